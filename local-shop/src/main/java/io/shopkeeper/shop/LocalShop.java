package io.shopkeeper.shop;

import io.shopkeeper.api.ApiServer;
import io.shopkeeper.api.ApiSettings;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.schemas.EventTimePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole shop in this process, started in order and closed in reverse: a KRaft Kafka broker with
 * every Shopkeeper topic, a redis-server, the personalization job, the API. The one owner of that
 * order for the quick start, the benchmarks and the end-to-end tests.
 *
 * <p>{@link #start()} brings up Kafka and Redis; the job ({@link #startJob}) and the API ({@link
 * #startApi}) are started when the caller is ready (a benchmark may load Kafka first). {@link
 * #close()} stops whatever was started, last first, and deletes a temporary data folder.
 */
public final class LocalShop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalShop.class);

    private final Builder settings;
    private final Path dataDir;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafka kafka;
    private EmbeddedRedis redis;
    private JobClient job;
    private ApiServer api;
    private Path resumedFrom;

    /** How long {@link #close()} waits for a durable shop's job to stop with a savepoint. */
    static final Duration SAVEPOINT_TIMEOUT = Duration.ofSeconds(120);

    private LocalShop(Builder settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a local shop; every one has a default fit for a throw-away run. */
    public static final class Builder {
        private Path dataDir;
        private boolean kafkaEnabled = true;
        private int partitions = 2;
        private Map<String, String> topicConfigs = Map.of();
        private int redisPort;
        private boolean persistentRedis;
        private Duration eventMaxAge = EventTimePolicy.DEFAULT_MAX_AGE;
        private boolean durable;
        private int kafkaPort;

        private Builder() {}

        /**
         * Oldest event timestamp the job and the API accept (wall clock); raise it to feed recorded
         * history with fixed dates (tests, planted personas).
         */
        public Builder eventMaxAge(Duration maxAge) {
            this.eventMaxAge = maxAge;
            return this;
        }

        /**
         * Folder for Kafka's log ({@code kafka/}, fresh on every start unless {@link #durable}),
         * Redis data ({@code redis/}, with {@link #persistentRedis}), checkpoints ({@code
         * checkpoints/}) and savepoints ({@code savepoints/}); kept on close. Without it a
         * temporary folder is used and deleted on close. Keep it short: RocksDB and Kafka dislike
         * long paths.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** No Kafka broker (the API then runs without publishing, as in the API benchmark). */
        public Builder withoutKafka() {
            this.kafkaEnabled = false;
            return this;
        }

        /** Partitions of every Shopkeeper topic (default 2). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Topic configs for every Shopkeeper topic, e.g. {@code retention.ms=-1}. */
        public Builder topicConfigs(Map<String, String> configs) {
            this.topicConfigs = Map.copyOf(configs);
            return this;
        }

        /** Redis port; 0 (the default) picks a free one. */
        public Builder redisPort(int port) {
            this.redisPort = port;
            return this;
        }

        /** Keeps Redis's data in {@code dataDir/redis} across restarts (append-only file). */
        public Builder persistentRedis() {
            this.persistentRedis = true;
            return this;
        }

        /**
         * Everything survives a restart: Kafka's log (topics, records, committed offsets), Redis's
         * data, and the job's state: {@link #startJob} resumes from the latest savepoint or
         * retained checkpoint in the data folder ({@link #resumePoint}), with the offsets it holds.
         */
        public Builder durable() {
            this.durable = true;
            this.persistentRedis = true;
            return this;
        }

        /** Kafka's client port; 0 (the default) picks a free one. */
        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        /** Starts Kafka (topics created) and Redis. */
        public LocalShop start() throws Exception {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("sk-shop");
            Files.createDirectories(dir);
            LocalShop shop = new LocalShop(this, dir);
            try {
                shop.startInfrastructure();
            } catch (Exception | Error e) {
                shop.close();
                throw e;
            }
            return shop;
        }
    }

    private void startInfrastructure() throws Exception {
        if (settings.dataDir == null) started.push(() -> deleteRecursively(dataDir));
        if (settings.kafkaEnabled) {
            Path kafkaDir = dataDir.resolve("kafka");
            if (settings.durable) {
                kafka = started(EmbeddedKafka.startDurable(kafkaDir, settings.kafkaPort));
            } else {
                // A fresh KRaft cluster each start.
                deleteRecursively(kafkaDir);
                kafka = started(EmbeddedKafka.start(kafkaDir, true));
            }
            kafka.createShopkeeperTopics(settings.partitions, settings.topicConfigs);
        }
        int port = settings.redisPort != 0 ? settings.redisPort : EmbeddedRedis.freePort();
        redis =
                started(
                        EmbeddedRedis.start(
                                port, settings.persistentRedis ? dataDir.resolve("redis") : null));
    }

    /**
     * The job's settings for this shop: Kafka, Redis and the checkpoint folder filled in; the
     * caller adds the rest.
     */
    public JobConfig.Builder jobConfig() {
        JobConfig.Builder builder =
                JobConfig.builder()
                        .redis(redis.host(), redis.port())
                        .stateDir(dataDir.resolve("checkpoints"))
                        .eventMaxAge(settings.eventMaxAge)
                        .savepointDir(dataDir.resolve("savepoints"));
        if (kafka != null) builder.kafkaBootstrap(kafka.bootstrapServers());
        return builder;
    }

    /** Submits the job on a MiniCluster in this JVM with the cluster settings. */
    public JobClient startJob(JobConfig config) throws Exception {
        return startJob(config, PersonalizationJob.localEnvironment(config));
    }

    /**
     * Submits the job to {@code env} (e.g. one with the web UI, or a test's MiniCluster). A {@link
     * Builder#durable} shop resumes it from {@link #resumePoint} (older snapshots are deleted) and
     * {@link #close()} stops it with a savepoint; otherwise {@link #close()} cancels it unless it
     * already finished.
     */
    public JobClient startJob(JobConfig config, StreamExecutionEnvironment env) throws Exception {
        if (job != null) throw new IllegalStateException("the job is already started");
        if (settings.durable) {
            Optional<Path> from = resumePoint();
            if (from.isPresent()) {
                snapshots().pruneAllBut(from.get());
                // The state of an operator this version dropped is left behind (README, Upgrades).
                env.configure(
                        new Configuration()
                                .set(
                                        StateRecoveryOptions.SAVEPOINT_PATH,
                                        from.get().toUri().toString())
                                .set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true));
                LOG.info("resuming the job from {}", from.get());
            }
            resumedFrom = from.orElse(null);
        }
        job = PersonalizationJob.submit(env, config);
        JobClient submitted = job;
        started.push(() -> stopJob(submitted));
        return job;
    }

    /**
     * Where a durable shop's job resumes: the newest complete savepoint or retained checkpoint in
     * the data folder; empty on a fresh folder.
     */
    public Optional<Path> resumePoint() {
        return snapshots().latest();
    }

    /** The snapshot this run of the job resumed from; null when it started from nothing. */
    public Path resumedFrom() {
        return resumedFrom;
    }

    private Snapshots snapshots() {
        return new Snapshots(dataDir.resolve("checkpoints"), dataDir.resolve("savepoints"));
    }

    /**
     * Stops the job with a savepoint in {@code savepoints/} and returns its path. A savepoint that
     * could not be taken while the job keeps running (e.g. a task was not running when it was
     * triggered) is tried again, a second apart, until {@code timeout}; when it still fails, or the
     * job stopped meanwhile, the job is cancelled, which keeps its last checkpoint.
     */
    public Optional<String> stopJobWithSavepoint(Duration timeout) {
        if (job == null) throw new IllegalStateException("the job is not started");
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                String path =
                        job.stopWithSavepoint(
                                        false,
                                        dataDir.resolve("savepoints").toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(left, TimeUnit.NANOSECONDS);
                LOG.info("job stopped with savepoint {}", path);
                return Optional.of(path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cancelAfterFailedSavepoint(e);
            } catch (Exception e) {
                boolean retry =
                        !isTerminal(job)
                                && System.nanoTime() + SAVEPOINT_RETRY_PAUSE.toNanos() < deadline;
                if (!retry) return cancelAfterFailedSavepoint(e);
                LOG.warn("savepoint attempt {} failed ({}); trying again", attempt, e.toString());
                try {
                    Thread.sleep(SAVEPOINT_RETRY_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return cancelAfterFailedSavepoint(interrupted);
                }
            }
        }
    }

    private static final Duration SAVEPOINT_RETRY_PAUSE = Duration.ofSeconds(1);

    private Optional<String> cancelAfterFailedSavepoint(Exception e) {
        LOG.warn(
                "stop with savepoint failed ({}); cancelling, the last checkpoint is kept",
                e.toString());
        try {
            cancel(job);
        } catch (Exception cancelFailed) {
            LOG.warn("cancel failed too: {}", cancelFailed.toString());
        }
        return Optional.empty();
    }

    private void stopJob(JobClient submitted) throws Exception {
        if (settings.durable && !isTerminal(submitted)) {
            stopJobWithSavepoint(SAVEPOINT_TIMEOUT);
        } else {
            cancel(submitted);
        }
    }

    private static boolean isTerminal(JobClient job) {
        try {
            return job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState();
        } catch (Exception e) {
            return true; // its MiniCluster is gone with it
        }
    }

    /** Starts the API on {@code port} (0: a free one) against this shop's Redis and Kafka. */
    public ApiServer startApi(int port) {
        return startApi(port, AccessSettings.generatedKeys());
    }

    /** Starts the API with the given keys (see {@link ApiServer#access()} for generated ones). */
    public ApiServer startApi(int port, AccessSettings access) {
        if (api != null) throw new IllegalStateException("the API is already started");
        api =
                started(
                        ApiServer.start(
                                new ApiSettings(
                                                port,
                                                redis.host(),
                                                redis.port(),
                                                kafka != null ? kafka.bootstrapServers() : "")
                                        .withAccess(access)
                                        .withEventMaxAge(settings.eventMaxAge)));
        return api;
    }

    public EmbeddedKafka kafka() {
        if (kafka == null) throw new IllegalStateException("this shop runs without Kafka");
        return kafka;
    }

    public EmbeddedRedis redis() {
        return redis;
    }

    public JobClient job() {
        return job;
    }

    public ApiServer api() {
        return api;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops what was started, last first (API, job, Redis, Kafka); never throws. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("while stopping the shop: {}", e.toString());
            }
        }
    }

    private <T extends AutoCloseable> T started(T resource) {
        started.push(resource);
        return resource;
    }

    private static void cancel(JobClient job) throws Exception {
        // A job stopped with a savepoint takes its local MiniCluster with it.
        if (isTerminal(job)) return;
        job.cancel().get(60, TimeUnit.SECONDS);
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
