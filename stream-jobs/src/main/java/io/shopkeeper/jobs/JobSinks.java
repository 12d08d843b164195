package io.shopkeeper.jobs;

import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the job's results go: Redis, the dead-letter topic, the segment-changes topic. Tests pass
 * collecting sinks.
 */
public record JobSinks(
        Sink<RedisWrite> redis, Sink<DeadLetter> deadLetters, Sink<SegmentChange> segmentChanges) {}
