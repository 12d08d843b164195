package io.shopkeeper.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/**
 * A partition's watermarks: a live partition that falls quiet stops holding back event time after
 * the idleness; one reading history that stalls (a slow broker, a busy machine) keeps holding it
 * back until the longer backlog idleness, so the other partitions cannot run ahead of what it has
 * not read yet.
 */
class PartitionWatermarksTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration IDLENESS = Duration.ofSeconds(5);
    private static final Duration BACKLOG_IDLENESS = Duration.ofSeconds(60);
    private static final Duration BACKLOG_LAG = Duration.ofSeconds(15);

    private long activityNanos = 1;
    private final RelativeClock activity =
            new RelativeClock() {
                @Override
                public long relativeTimeMillis() {
                    return activityNanos / 1_000_000;
                }

                @Override
                public long relativeTimeNanos() {
                    return activityNanos;
                }
            };
    private final PartitionWatermarks<String> partition =
            new PartitionWatermarks<>(
                    OUT_OF_ORDERNESS,
                    IDLENESS,
                    BACKLOG_IDLENESS,
                    BACKLOG_LAG,
                    activity,
                    NOW::toEpochMilli);
    private final Output output = new Output();

    /** The last thing the partition said: a watermark or idle. */
    private static final class Output implements WatermarkOutput {
        Long watermark;
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            this.watermark = watermark.getTimestamp();
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }

    private void event(Instant at) {
        partition.onEvent("e", at.toEpochMilli(), output);
    }

    /** Periodic emits (every 200 ms of activity time) for {@code quiet}. */
    private void quietFor(Duration quiet) {
        long end = activityNanos + quiet.toNanos();
        while (activityNanos < end) {
            activityNanos += Duration.ofMillis(200).toNanos();
            partition.onPeriodicEmit(output);
        }
    }

    @Test
    void theWatermarkTrailsTheNewestEventByTheOutOfOrderness() {
        event(NOW.minusSeconds(10));
        event(NOW.minusSeconds(30)); // older: does not move it back
        partition.onPeriodicEmit(output);
        assertThat(output.watermark)
                .isEqualTo(NOW.minusSeconds(10).minus(OUT_OF_ORDERNESS).toEpochMilli() - 1);
        assertThat(output.idle).isFalse();
    }

    @Test
    void aLivePartitionThatFallsQuietIsIdleAfterTheIdleness() {
        event(NOW.minusSeconds(1));
        quietFor(IDLENESS.minusMillis(400));
        assertThat(output.idle).isFalse();
        quietFor(Duration.ofSeconds(1));
        assertThat(output.idle).isTrue();

        event(NOW);
        partition.onPeriodicEmit(output);
        assertThat(output.idle).as("active again with its next record").isFalse();
    }

    @Test
    void aPartitionReadingHistoryThatStallsKeepsHoldingBackEventTime() {
        event(NOW.minus(Duration.ofDays(10)));
        quietFor(Duration.ofSeconds(30));
        assertThat(output.idle).as("a 30 s stall in a backfill").isFalse();
        assertThat(output.watermark)
                .isEqualTo(
                        NOW.minus(Duration.ofDays(10)).minus(OUT_OF_ORDERNESS).toEpochMilli() - 1);
        quietFor(BACKLOG_IDLENESS.minusSeconds(30).plusSeconds(1));
        assertThat(output.idle).as("nothing for the backlog idleness: read to its end").isTrue();
    }

    @Test
    void aPartitionWithoutAnyRecordIsIdleAfterTheIdleness() {
        quietFor(IDLENESS.plusSeconds(1));
        assertThat(output.idle).isTrue();
    }
}
