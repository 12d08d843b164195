package io.shopkeeper.api;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.api.catalog.CatalogCache;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.api.events.KafkaEventPublisher;
import io.shopkeeper.api.health.CachedProbe;
import io.shopkeeper.api.health.ConsumerLag;
import io.shopkeeper.api.health.HealthCheck;
import io.shopkeeper.api.health.JobHealth;
import io.shopkeeper.api.health.JobProbe;
import io.shopkeeper.api.health.KafkaProbe;
import io.shopkeeper.api.health.Probe;
import io.shopkeeper.api.http.HttpLimits;
import io.shopkeeper.api.recommendations.RecommendationRules;
import io.shopkeeper.api.store.RedisCustomerStore;
import io.shopkeeper.api.store.RedisOfferStore;
import io.shopkeeper.api.store.RedisRecommendationStore;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The API running for real on Redis and Kafka: connects the clients, starts the HTTP server and
 * closes everything on {@link #close()}. Used by {@link ApiMain}, the quick-start launcher and the
 * benchmark.
 */
public final class ApiServer implements AutoCloseable {
    /** Bound on waiting for Kafka: metadata, acknowledgements of one request. */
    static final Duration KAFKA_PUBLISH_TIMEOUT = Duration.ofSeconds(5);

    static final Duration KAFKA_PROBE_TIMEOUT = Duration.ofMillis(500);
    static final Duration HEALTH_CACHE_TTL = Duration.ofSeconds(1);

    private final Javalin app;
    private final Deque<AutoCloseable> resources;
    private final AccessSettings access;

    private ApiServer(Javalin app, Deque<AutoCloseable> resources, AccessSettings access) {
        this.app = app;
        this.resources = resources;
        this.access = access;
    }

    /**
     * Starts the API as configured; {@code settings.port() == 0} picks a free port (see {@link
     * #port()}).
     */
    public static ApiServer start(ApiSettings settings) {
        return start(settings, JobHealth.fromEnv());
    }

    /** Starts the API; {@code jobHealth} says whether {@code /health} needs the job's heartbeat. */
    public static ApiServer start(ApiSettings settings, JobHealth jobHealth) {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            Clock clock = Clock.systemUTC();
            PrometheusMeterRegistry registry =
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.push(registry::close);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            resources.push(gc);

            RecommendationRules rules =
                    settings.rulesFile() == null
                            ? RecommendationRules.builtIn()
                            : RecommendationRules.load(Path.of(settings.rulesFile()));

            ShopRedis redis =
                    RedisRecommendationStore.pool(
                            settings.redisEndpoint(), RedisRecommendationStore.Settings.defaults());
            resources.push(redis);
            CatalogCache catalog =
                    CatalogCache.start(redis.commands(), CatalogCache.Settings.defaults());
            resources.push(catalog);
            RedisRecommendationStore store = new RedisRecommendationStore(redis);
            RedisCustomerStore customers = new RedisCustomerStore(redis);
            RedisOfferStore offers = new RedisOfferStore(redis);
            List<Probe> probes = new ArrayList<>();
            probes.add(Probe.of("redis", store::ping));

            EventPublisher publisher;
            if (settings.kafkaEnabled()) {
                publisher =
                        new KafkaEventPublisher(settings.kafkaBootstrap(), KAFKA_PUBLISH_TIMEOUT);
                KafkaProbe kafka = new KafkaProbe(settings.kafkaBootstrap(), KAFKA_PROBE_TIMEOUT);
                resources.push(kafka);
                probes.add(new CachedProbe(kafka, HEALTH_CACHE_TTL, clock));
            } else {
                publisher = EventPublisher.disabled(ApiSettings.KAFKA_BOOTSTRAP + " is not set");
            }
            resources.push(publisher);
            Supplier<OptionalLong> lag = OptionalLong::empty;
            if (settings.kafkaEnabled()) {
                ConsumerLag consumerLag =
                        new ConsumerLag(
                                settings.kafkaBootstrap(),
                                jobHealth.consumerGroup(),
                                KAFKA_PROBE_TIMEOUT);
                resources.push(consumerLag);
                lag = consumerLag;
            }
            Probe job =
                    new CachedProbe(
                            new JobProbe(redis.commands(), lag, jobHealth.maxHeartbeatAge(), clock),
                            HEALTH_CACHE_TTL,
                            clock);

            Javalin app =
                    ShopkeeperApi.create(
                            new ApiDependencies(
                                    store,
                                    customers,
                                    publisher,
                                    jobHealth.required()
                                            ? new HealthCheck(append(probes, job))
                                            : new HealthCheck(probes, List.of(job)),
                                    registry,
                                    clock,
                                    catalog,
                                    rules,
                                    settings.access(),
                                    offers),
                            HttpLimits.defaults(),
                            settings.eventMaxAge());
            resources.push(app::stop);
            app.start(settings.port());
            return new ApiServer(app, resources, settings.access());
        } catch (RuntimeException e) {
            closeAll(resources, e);
            throw e;
        }
    }

    /** The keys (and other access settings) the server accepts. */
    public AccessSettings access() {
        return access;
    }

    private static List<Probe> append(List<Probe> probes, Probe probe) {
        List<Probe> all = new ArrayList<>(probes);
        all.add(probe);
        return all;
    }

    /** The port the HTTP server listens on. */
    public int port() {
        return app.port();
    }

    /**
     * Stops the HTTP server, then the catalog follower, then closes the Kafka and Redis clients.
     */
    @Override
    public void close() {
        RuntimeException failure = new IllegalStateException("closing the API failed");
        closeAll(resources, failure);
        if (failure.getSuppressed().length > 0) throw failure;
    }

    private static void closeAll(Deque<AutoCloseable> resources, Throwable collector) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                collector.addSuppressed(e);
            }
        }
    }
}
