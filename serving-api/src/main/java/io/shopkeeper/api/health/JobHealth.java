package io.shopkeeper.api.health;

import java.time.Duration;
import java.util.Map;

/**
 * How {@code /health} judges the personalization job. {@link #fromEnv} reads {@code
 * SHOPKEEPER_HEALTH_REQUIRES_JOB} [true: healthy only while the job's heartbeat is fresh; false:
 * the job is reported but does not make the API unhealthy, e.g. an API deployed without the job],
 * {@code SHOPKEEPER_KAFKA_GROUP} [shopkeeper-personalization: the job's consumer group, for its
 * lag] and {@code SHOPKEEPER_HEARTBEAT_MAX_AGE} [PT5S: an older heartbeat means the job is down].
 */
public record JobHealth(boolean required, String consumerGroup, Duration maxHeartbeatAge) {
    public static final String REQUIRES_JOB = "SHOPKEEPER_HEALTH_REQUIRES_JOB";
    public static final String KAFKA_GROUP = "SHOPKEEPER_KAFKA_GROUP";
    public static final String HEARTBEAT_MAX_AGE = "SHOPKEEPER_HEARTBEAT_MAX_AGE";
    public static final String DEFAULT_GROUP = "shopkeeper-personalization";
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(5);

    public static JobHealth defaults() {
        return new JobHealth(true, DEFAULT_GROUP, DEFAULT_MAX_AGE);
    }

    public static JobHealth fromEnv() {
        return fromEnv(System.getenv());
    }

    public static JobHealth fromEnv(Map<String, String> env) {
        String required = env.getOrDefault(REQUIRES_JOB, "true").trim();
        if (!required.equals("true") && !required.equals("false")) {
            throw new IllegalArgumentException(
                    REQUIRES_JOB + " must be true or false; got '" + required + "'");
        }
        String maxAge = env.get(HEARTBEAT_MAX_AGE);
        return new JobHealth(
                Boolean.parseBoolean(required),
                env.getOrDefault(KAFKA_GROUP, DEFAULT_GROUP),
                maxAge == null || maxAge.isBlank() ? DEFAULT_MAX_AGE : Duration.parse(maxAge));
    }
}
