package io.shopkeeper.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.JobHeartbeat;
import io.shopkeeper.schemas.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The job's readiness as the API reads it from the heartbeat in a real Redis. */
class JobProbeTest extends RedisTestBase {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static JobProbe probe(OptionalLong lag) {
        return new JobProbe(redis, () -> lag, Duration.ofSeconds(5), CLOCK);
    }

    private static void heartbeat(String state, long ageMs, Long checkpointId, Long checkpointAge) {
        long at = NOW.toEpochMilli() - ageMs;
        redis.set(
                RedisKeys.JOB_HEARTBEAT,
                EventCodec.encodeToString(
                        new JobHeartbeat(
                                "shopkeeper-personalization",
                                state,
                                at,
                                at - 30_000,
                                checkpointId,
                                checkpointAge == null
                                        ? null
                                        : NOW.toEpochMilli() - checkpointAge)));
    }

    @Test
    void freshRunningHeartbeatIsUpWithCheckpointAgeAndLag() {
        heartbeat(JobHeartbeat.RUNNING, 800, 12L, 4_000L);
        ProbeResult result = probe(OptionalLong.of(37)).check();
        assertThat(result.up()).isTrue();
        assertThat(result.details())
                .containsEntry("state", "RUNNING")
                .containsEntry("heartbeatAgeMs", 800L)
                .containsEntry("runningForMs", 30_800L)
                .containsEntry("lastCheckpointId", 12L)
                .containsEntry("lastCheckpointAgeMs", 4_000L)
                .containsEntry("consumerLag", 37L);
    }

    @Test
    void beforeTheFirstCheckpointTheJobIsUpWithoutCheckpointFields() {
        heartbeat(JobHeartbeat.RUNNING, 100, null, null);
        ProbeResult result = probe(OptionalLong.empty()).check();
        assertThat(result.up()).isTrue();
        assertThat(result.details())
                .doesNotContainKeys("lastCheckpointId", "lastCheckpointAgeMs", "consumerLag");
    }

    @Test
    void aHeartbeatOlderThanTheLimitIsStale() {
        heartbeat(JobHeartbeat.RUNNING, 9_000, 12L, 20_000L);
        ProbeResult result = probe(OptionalLong.empty()).check();
        assertThat(result.up()).isFalse();
        assertThat(result.details()).containsEntry("state", "STALE");
        assertThat(result.error()).contains("no heartbeat from the job for 9 s");
    }

    @Test
    void aStoppedJobIsDownAtOnce() {
        heartbeat(JobHeartbeat.STOPPED, 200, 12L, 3_000L);
        ProbeResult result = probe(OptionalLong.empty()).check();
        assertThat(result.up()).isFalse();
        assertThat(result.details()).containsEntry("state", "STOPPED");
    }

    @Test
    void aJobThatNeverRanIsUnknown() {
        ProbeResult result = probe(OptionalLong.empty()).check();
        assertThat(result.up()).isFalse();
        assertThat(result.details()).containsEntry("state", "UNKNOWN");
    }
}
