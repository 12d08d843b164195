package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.sink.RedisWrite;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The profiles' Redis writes ({@link ProfileOutputs#redisWrites}), each visitor's profile document
 * written once per interval while the job works through a backlog instead of at every step.
 *
 * <p>Live (the watermark within {@code backlogLag} of the wall clock, as {@code EventTimeOrder}
 * decides), every write goes out at once: freshness is untouched. In a backlog a visitor's profile
 * document waits, replaced by the next one of the same visitor (its events-applied count added),
 * and goes out at the latest {@value #FLUSH_MILLIS} ms later, before every checkpoint barrier (so
 * Redis never lags a completed checkpoint), when the job is live again, at the end of input, or
 * when {@value #MAX_PENDING} visitors wait (the one whose latest document is oldest first). Every
 * other write (segment sets, deletions, aliases) goes out at once, after a waiting document of the
 * same key: each key sees its writes in the order they were made, and ends as it would have. Only
 * intermediate versions of a document are skipped, with their JSON encoding, their trip to the sink
 * and their Redis SET.
 */
public class ProfileWrites extends AbstractStreamOperator<RedisWrite>
        implements OneInputStreamOperator<ProfileUpdate, RedisWrite> {
    /** A waiting profile document goes out at most this long after it was made. */
    static final long FLUSH_MILLIS = 10_000;

    /** Visitors whose documents wait at most. */
    static final int MAX_PENDING = 10_000;

    private final long backlogLagMillis;

    private transient LinkedHashMap<String, RedisWrite> pending;
    private transient long watermark;
    private transient boolean flushScheduled;

    /**
     * @param backlogLag as {@code --ordering.backlog-lag}
     */
    public ProfileWrites(Duration backlogLag) {
        this.backlogLagMillis = backlogLag.toMillis();
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new LinkedHashMap<>();
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<ProfileUpdate> record) {
        boolean backlog = inBacklog();
        for (RedisWrite write : ProfileOutputs.redisWrites(record.getValue())) {
            RedisWrite waiting = pending.remove(write.getKey());
            if (backlog && write.getProfile() != null) {
                if (waiting != null)
                    write.setEventsApplied(write.getEventsApplied() + waiting.getEventsApplied());
                pending.put(write.getKey(), write);
                scheduleFlush();
            } else {
                if (waiting != null) emit(waiting);
                output.collect(
                        record.hasTimestamp()
                                ? new StreamRecord<>(write, record.getTimestamp())
                                : new StreamRecord<>(write));
            }
        }
        if (!backlog) flush();
        else if (pending.size() > MAX_PENDING) {
            Iterator<RedisWrite> eldest = pending.values().iterator();
            emit(eldest.next());
            eldest.remove();
        }
    }

    private boolean inBacklog() {
        return watermark < getProcessingTimeService().getCurrentProcessingTime() - backlogLagMillis;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        if (!pending.isEmpty() && !inBacklog()) flush();
        super.processWatermark(mark);
    }

    private void scheduleFlush() {
        if (flushScheduled) return;
        flushScheduled = true;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        now + FLUSH_MILLIS,
                        time -> {
                            flushScheduled = false;
                            flush();
                        });
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (pending.isEmpty()) return;
        for (RedisWrite write : pending.values()) emit(write);
        pending.clear();
    }

    /** A write that waited: it goes out without the timestamp of any one step. */
    private void emit(RedisWrite write) {
        output.collect(new StreamRecord<>(write));
    }
}
