package io.shopkeeper.jobs.sink;

import org.apache.flink.util.OutputTag;

/**
 * The side output of the steps where a visitor event can end without a write that carries it to
 * {@link io.shopkeeper.schemas.RedisKeys#EVENTS_APPLIED}: decode (a record of a visitor topic
 * dead-lettered), deduplicate (a repeat dropped) and profiles (a late {@code page_leave} or an
 * event already applied, which change nothing; an event the step failed on; a forget request). Each
 * emits one {@link RedisWrite#eventsDone} there, and the job unions it into the Redis sink, so
 * every visitor event the job reads is counted once.
 */
public final class EventsDone {
    public static final OutputTag<RedisWrite> TAG = new OutputTag<>("visitor-events-done") {};

    private EventsDone() {}

    /** One visitor event done. */
    public static RedisWrite one() {
        return RedisWrite.eventsDone(1);
    }
}
