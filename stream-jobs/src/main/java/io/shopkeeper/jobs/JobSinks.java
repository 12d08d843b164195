package io.shopkeeper.jobs;

import io.shopkeeper.jobs.offers.OfferHandover;
import io.shopkeeper.jobs.offers.OutboundOffer;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Where the job's results go: Redis, the dead-letter topic, the segment-changes topic, the offers
 * topic (outbound offers), the offer-handovers topic (read back by the job). Tests pass collecting
 * sinks.
 */
public record JobSinks(
        Sink<RedisWrite> redis,
        Sink<DeadLetter> deadLetters,
        Sink<SegmentChange> segmentChanges,
        Sink<OutboundOffer> offers,
        Sink<OfferHandover> offerHandovers) {

    /** Stitched visitors' offer state discarded (tests that do not read it back). */
    public JobSinks(
            Sink<RedisWrite> redis,
            Sink<DeadLetter> deadLetters,
            Sink<SegmentChange> segmentChanges,
            Sink<OutboundOffer> offers) {
        this(redis, deadLetters, segmentChanges, offers, new DiscardingSink<>());
    }

    /** Outbound offers discarded (tests that do not look at them). */
    public JobSinks(
            Sink<RedisWrite> redis,
            Sink<DeadLetter> deadLetters,
            Sink<SegmentChange> segmentChanges) {
        this(redis, deadLetters, segmentChanges, new DiscardingSink<>());
    }
}
