package io.shopkeeper.api;

import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.schemas.EventTimePolicy;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Where the API listens and what it connects to. {@link #fromEnv()} reads (defaults in brackets):
 * {@code SHOPKEEPER_API_PORT} [7070; 0 picks a free port], {@code SHOPKEEPER_REDIS_HOST}
 * [127.0.0.1], {@code SHOPKEEPER_REDIS_PORT} [6379], {@code SHOPKEEPER_REDIS_CLUSTER} [unset: the
 * one Redis at host and port; else {@code host:port,...}, some nodes of a Redis Cluster, which
 * replaces host and port], {@code SHOPKEEPER_KAFKA_BOOTSTRAP} [localhost:9092; set it empty to run
 * without Kafka: the event collector then answers 503 and health omits Kafka], {@code
 * SHOPKEEPER_RULES_FILE} [unset: the built-in recommendation rules; else a JSON rules file, see
 * {@link io.shopkeeper.api.recommendations.RecommendationRules}], {@code SHOPKEEPER_EVENT_MAX_AGE}
 * [P30D: the oldest event timestamp the collector accepts, see {@link EventTimePolicy}], and the
 * API keys, CORS origins and rate limits of {@link AccessSettings#fromEnv}.
 */
public record ApiSettings(
        int port,
        String redisHost,
        int redisPort,
        String kafkaBootstrap,
        String rulesFile,
        AccessSettings access,
        Duration eventMaxAge,
        String redisCluster) {
    public static final String PREFIX = "SHOPKEEPER_";
    public static final String API_PORT = PREFIX + "API_PORT";
    public static final String REDIS_HOST = PREFIX + "REDIS_HOST";
    public static final String REDIS_PORT = PREFIX + "REDIS_PORT";
    public static final String REDIS_CLUSTER = PREFIX + "REDIS_CLUSTER";
    public static final String KAFKA_BOOTSTRAP = PREFIX + "KAFKA_BOOTSTRAP";
    public static final String RULES_FILE = PREFIX + "RULES_FILE";
    public static final String EVENT_MAX_AGE = PREFIX + "EVENT_MAX_AGE";

    public static final int DEFAULT_PORT = 7070;
    public static final String DEFAULT_REDIS_HOST = "127.0.0.1";
    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final String DEFAULT_KAFKA_BOOTSTRAP = "localhost:9092";

    public ApiSettings {
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("port must be 0..65535; got " + port);
        if (redisPort < 1 || redisPort > 65535)
            throw new IllegalArgumentException("redisPort must be 1..65535; got " + redisPort);
        if (redisHost == null || redisHost.isBlank())
            throw new IllegalArgumentException("redisHost is required");
        if (access == null) throw new IllegalArgumentException("access is required");
        if (eventMaxAge == null) eventMaxAge = EventTimePolicy.DEFAULT_MAX_AGE;
        if (eventMaxAge.isNegative() || eventMaxAge.isZero())
            throw new IllegalArgumentException("eventMaxAge must be positive; got " + eventMaxAge);
        redisCluster = blankToNull(redisCluster);
        RedisEndpoint.parseNodes(redisCluster);
    }

    /** On the one Redis at host and port. */
    public ApiSettings(
            int port,
            String redisHost,
            int redisPort,
            String kafkaBootstrap,
            String rulesFile,
            AccessSettings access,
            Duration eventMaxAge) {
        this(port, redisHost, redisPort, kafkaBootstrap, rulesFile, access, eventMaxAge, null);
    }

    /** Where Redis is: the cluster's nodes when given, else the one server. */
    public RedisEndpoint redisEndpoint() {
        return RedisEndpoint.of(redisHost, redisPort, redisCluster);
    }

    /** The same settings on a Redis Cluster ({@code host:port,...}; null: the one server). */
    public ApiSettings withRedisCluster(String nodes) {
        return new ApiSettings(
                port, redisHost, redisPort, kafkaBootstrap, rulesFile, access, eventMaxAge, nodes);
    }

    /** With the default accepted event age ({@link EventTimePolicy#DEFAULT_MAX_AGE}). */
    public ApiSettings(
            int port,
            String redisHost,
            int redisPort,
            String kafkaBootstrap,
            String rulesFile,
            AccessSettings access) {
        this(port, redisHost, redisPort, kafkaBootstrap, rulesFile, access, null);
    }

    /**
     * With the built-in recommendation rules and fresh random keys (read them back from {@link
     * #access()}).
     */
    public ApiSettings(int port, String redisHost, int redisPort, String kafkaBootstrap) {
        this(port, redisHost, redisPort, kafkaBootstrap, null, AccessSettings.generatedKeys());
    }

    /** The same settings with a rules file. */
    public ApiSettings withRules(String file) {
        return new ApiSettings(
                port,
                redisHost,
                redisPort,
                kafkaBootstrap,
                file,
                access,
                eventMaxAge,
                redisCluster);
    }

    /** The same settings accepting events up to {@code maxAge} old (backfills, recorded tests). */
    public ApiSettings withEventMaxAge(Duration maxAge) {
        return new ApiSettings(
                port,
                redisHost,
                redisPort,
                kafkaBootstrap,
                rulesFile,
                access,
                maxAge,
                redisCluster);
    }

    /** The same settings with other access settings (keys, CORS, limits). */
    public ApiSettings withAccess(AccessSettings newAccess) {
        return new ApiSettings(
                port,
                redisHost,
                redisPort,
                kafkaBootstrap,
                rulesFile,
                newAccess,
                eventMaxAge,
                redisCluster);
    }

    public static ApiSettings fromEnv() {
        return fromEnv(System.getenv());
    }

    /** Reads the settings from {@code env} (the process environment in production). */
    public static ApiSettings fromEnv(Map<String, String> env) {
        return new ApiSettings(
                intValue(env, API_PORT, DEFAULT_PORT),
                env.getOrDefault(REDIS_HOST, DEFAULT_REDIS_HOST),
                intValue(env, REDIS_PORT, DEFAULT_REDIS_PORT),
                env.getOrDefault(KAFKA_BOOTSTRAP, DEFAULT_KAFKA_BOOTSTRAP),
                blankToNull(env.get(RULES_FILE)),
                AccessSettings.fromEnv(env),
                durationValue(env, EVENT_MAX_AGE),
                env.get(REDIS_CLUSTER));
    }

    /** True when an event log is configured. */
    public boolean kafkaEnabled() {
        return kafkaBootstrap != null && !kafkaBootstrap.isBlank();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Duration durationValue(Map<String, String> env, String name) {
        String value = blankToNull(env.get(name));
        if (value == null) return null;
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 duration such as P30D; got '" + value + "'");
        }
    }

    private static int intValue(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return defaultValue;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer; got '" + value + "'");
        }
    }
}
