package io.shopkeeper.api.health;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.JobHeartbeat;
import io.shopkeeper.schemas.RedisKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * The personalization job is up while its heartbeat ({@link RedisKeys#JOB_HEARTBEAT}) says {@code
 * RUNNING} and is younger than {@code maxAge}. Details: {@code state} (RUNNING, STOPPED, STALE: no
 * heartbeat for longer than maxAge, or UNKNOWN: never seen), {@code heartbeatAgeMs}, {@code
 * runningForMs}, {@code lastCheckpointId} and {@code lastCheckpointAgeMs} (absent before the run's
 * first checkpoint) and {@code consumerLag} (records in the input topics not yet covered by the
 * job's last checkpoint; absent when unknown). Ages are measured against this API's clock.
 */
public final class JobProbe implements Probe {
    private final UnifiedJedis redis;
    private final Supplier<OptionalLong> consumerLag;
    private final Duration maxAge;
    private final Clock clock;

    public JobProbe(
            UnifiedJedis redis, Supplier<OptionalLong> consumerLag, Duration maxAge, Clock clock) {
        this.redis = redis;
        this.consumerLag = consumerLag;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "job";
    }

    @Override
    public ProbeResult check() {
        JobHeartbeat beat;
        try {
            String json = redis.get(RedisKeys.JOB_HEARTBEAT);
            beat = json == null ? null : EventCodec.mapper().readValue(json, JobHeartbeat.class);
        } catch (Exception e) {
            return ProbeResult.down("job heartbeat unreadable: " + e.getMessage());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (beat == null) {
            details.put("state", "UNKNOWN");
            return new ProbeResult(false, "the job has never sent a heartbeat", details);
        }
        long now = clock.millis();
        long age = Math.max(0, now - beat.at());
        boolean stale = age > maxAge.toMillis();
        details.put("state", stale && beat.running() ? "STALE" : beat.state());
        details.put("heartbeatAgeMs", age);
        if (beat.running() && !stale) details.put("runningForMs", now - beat.runningSince());
        if (beat.lastCheckpointId() != null) {
            details.put("lastCheckpointId", beat.lastCheckpointId());
            details.put("lastCheckpointAgeMs", Math.max(0, now - beat.lastCheckpointAt()));
        }
        consumerLag.get().ifPresent(lag -> details.put("consumerLag", lag));
        if (!beat.running()) return new ProbeResult(false, "the job is stopped", details);
        if (stale) {
            return new ProbeResult(
                    false, "no heartbeat from the job for " + age / 1000 + " s", details);
        }
        return new ProbeResult(true, null, details);
    }
}
