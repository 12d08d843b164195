package io.shopkeeper.jobs.ingest;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Watermarks of one Kafka partition: bounded out-of-orderness, and idleness that tells a partition
 * which has nothing more to say from one which stalls while it reads a backlog.
 *
 * <p>A partition idle for {@code idleness} stops holding back event time (Flink's {@code
 * withIdleness}). That is right for a live partition that falls quiet, and wrong for a partition in
 * the middle of a backfill or of catching up after downtime when its broker or this machine stalls
 * for a few seconds: the other partitions' watermark then runs ahead of everything it has not read
 * yet, which then arrives late (sessions already ended on their timers, events of one visitor
 * applied out of order). So while the newest event read from the partition is more than {@code
 * backlogLag} behind the wall clock (it is reading history), it counts as idle only after the
 * longer {@code backlogIdleness}; once it reads live events, after {@code idleness}. The cost: at
 * the very end of a backfill the last partitions are taken for finished {@code backlogIdleness}
 * after their last record rather than {@code idleness}.
 *
 * <p>Idleness is measured on the source's input activity clock, which stands still while the source
 * is backpressured. Per record: one comparison; the wall clock is read only at the periodic emit.
 */
public final class PartitionWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrderness;
    private final long idlenessNanos;
    private final long backlogIdlenessNanos;
    private final long backlogLag;
    private final RelativeClock activity;
    private final LongSupplier wallClock;

    private long newest;
    private long records;
    private long recordsAtLastCheck;
    private long quietSinceNanos;

    /**
     * @param outOfOrderness how far behind the newest event an event may arrive
     * @param idleness a live partition silent this long stops holding back event time
     * @param backlogIdleness the same for a partition reading history
     * @param backlogLag the newest event this far behind the wall clock means reading history
     * @param activity the source's input activity clock
     * @param wallClock epoch millis now
     */
    public PartitionWatermarks(
            Duration outOfOrderness,
            Duration idleness,
            Duration backlogIdleness,
            Duration backlogLag,
            RelativeClock activity,
            LongSupplier wallClock) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.idlenessNanos = idleness.toNanos();
        this.backlogIdlenessNanos = backlogIdleness.toNanos();
        this.backlogLag = backlogLag.toMillis();
        this.activity = activity;
        this.wallClock = wallClock;
        this.newest = Long.MIN_VALUE + this.outOfOrderness + 1;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        if (timestamp > newest) newest = timestamp;
        records++;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (idle()) {
            output.markIdle();
        } else {
            output.emitWatermark(new Watermark(newest - outOfOrderness - 1));
        }
    }

    private boolean idle() {
        if (records != recordsAtLastCheck) {
            recordsAtLastCheck = records;
            quietSinceNanos = 0;
            return false;
        }
        long now = activity.relativeTimeNanos();
        if (quietSinceNanos == 0) {
            quietSinceNanos = now;
            return false;
        }
        boolean readingHistory = records > 0 && newest < wallClock.getAsLong() - backlogLag;
        return now - quietSinceNanos > (readingHistory ? backlogIdlenessNanos : idlenessNanos);
    }
}
