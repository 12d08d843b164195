package io.shopkeeper.jobs;

import io.shopkeeper.jobs.offers.OutboundOffer;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Where the job's results go: Redis, the dead-letter topic, the segment-changes topic, the offers
 * topic (outbound offers). Tests pass collecting sinks.
 */
public record JobSinks(
        Sink<RedisWrite> redis,
        Sink<DeadLetter> deadLetters,
        Sink<SegmentChange> segmentChanges,
        Sink<OutboundOffer> offers) {

    /** Outbound offers discarded (tests that do not look at them). */
    public JobSinks(
            Sink<RedisWrite> redis,
            Sink<DeadLetter> deadLetters,
            Sink<SegmentChange> segmentChanges) {
        this(redis, deadLetters, segmentChanges, new DiscardingSink<>());
    }
}
