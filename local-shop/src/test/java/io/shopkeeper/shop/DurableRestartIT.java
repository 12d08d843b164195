package io.shopkeeper.shop;

import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.JobHeartbeat;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A durable local shop (the quick start's) stopped and started again on the same data folder:
 * stopped with a savepoint, and cancelled as after a crash (resuming from the retained checkpoint).
 * Each time the customer's profile is where it was, with the same Kafka offsets: the next event
 * counts once and nothing before it counts twice. {@code /health} is 200 only while the job runs.
 */
class DurableRestartIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String CUSTOMER = "cust-durable";

    /**
     * Where the change log goes: a TaskManager's setting (a job's own reaches only a MiniCluster it
     * starts itself, as the quick start's), so this test's shared cluster gets one folder.
     */
    private static final Path CHANGELOG = tempDir("skd-changelog");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(changelogStorage())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static Configuration changelogStorage() {
        Configuration conf = new Configuration();
        conf.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
        conf.set(FsStateChangelogOptions.BASE_PATH, CHANGELOG.toUri().toString());
        return conf;
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteChangelog() throws IOException {
        LocalShop.deleteRecursively(CHANGELOG);
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private Path dataDir;
    private LocalShop shop;

    @BeforeEach
    void folder() throws IOException {
        dataDir = Files.createTempDirectory("skd");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (shop != null) shop.close();
        LocalShop.deleteRecursively(dataDir);
    }

    private LocalShop startShop(boolean changelog) throws Exception {
        LocalShop started = LocalShop.builder().dataDir(dataDir).durable().start();
        JobConfig config =
                started.jobConfig()
                        .parallelism(2)
                        .stateChangelog(changelog)
                        .checkpointInterval(Duration.ofSeconds(1))
                        .sourceIdleness(Duration.ofMillis(500))
                        .build();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PersonalizationJob.clusterConfiguration(config));
        env.setParallelism(2);
        started.startJob(config, env);
        started.startApi(0);
        return started;
    }

    @Test
    void stoppedWithASavepointOrCrashedTheShopResumesEveryProfileWhereItWas() throws Exception {
        stopAndCrash(false);
    }

    /**
     * The same with the changelog state backend ({@code --state.changelog}): the crash resumes from
     * a checkpoint whose state is mostly the change log (no materialization in between: the default
     * interval is 10 minutes), replayed on restore.
     */
    @Test
    void withTheChangelogStateBackendTheShopResumesEveryProfileWhereItWas() throws Exception {
        stopAndCrash(true);
        try (Stream<Path> log = Files.walk(CHANGELOG)) {
            assertThat(log.filter(Files::isRegularFile).count()).isPositive();
        }
    }

    private void stopAndCrash(boolean changelog) throws Exception {
        shop = startShop(changelog);
        assertThat(shop.resumedFrom()).isNull();
        awaitHealthy();
        for (int i = 1; i <= 5; i++) {
            send(viewed(CUSTOMER, "s1", "i" + i, "c1", seconds(i)));
        }
        awaitEvents(5);

        // Ctrl-C: the job stops with a savepoint, then Kafka and Redis stop.
        Optional<String> savepoint = shop.stopJobWithSavepoint(Duration.ofSeconds(60));
        assertThat(savepoint).isPresent();
        assertThat(heartbeat().state()).isEqualTo(JobHeartbeat.STOPPED);
        shop.close();

        shop = startShop(changelog);
        assertThat(shop.resumedFrom()).isEqualTo(Path.of(URI.create(savepoint.get())));
        awaitHealthy();
        send(viewed(CUSTOMER, "s1", "i6", "c1", seconds(6)));
        JsonNode profile = awaitEvents(6);
        assertThat(profile.get("sessions").asInt()).isEqualTo(1);
        assertThat(profile.get("recentViews").toString()).startsWith("[\"i6\",\"i5\"");

        // A crash: wait until a checkpoint has covered the sixth event, then cancel (as a kill
        // would leave it, the last checkpoint is retained) and start again.
        long applied = System.currentTimeMillis();
        AwaitValue.until(
                "a checkpoint after the sixth event",
                TIMEOUT,
                () -> {
                    JobHeartbeat beat = heartbeat();
                    return beat.lastCheckpointAt() != null && beat.lastCheckpointAt() > applied
                            ? beat
                            : null;
                });
        shop.job().cancel().get();
        shop.close();

        shop = startShop(changelog);
        assertThat(shop.resumedFrom().getFileName().toString()).startsWith("chk-");
        awaitHealthy();
        send(viewed(CUSTOMER, "s1", "i7", "c1", seconds(7)));
        profile = awaitEvents(7);
        assertThat(profile.get("sessions").asInt()).isEqualTo(1);
        // Only the snapshot resumed from is kept.
        assertThat(Files.list(dataDir.resolve("savepoints")).count()).isZero();
    }

    private void awaitHealthy() {
        AwaitValue.until(
                "/health 200 with the job running",
                TIMEOUT,
                () -> {
                    HttpResponse<String> health = get("/health");
                    return health.statusCode() == 200 ? health : null;
                });
        JsonNode body = readTree(get("/health").body());
        assertThat(body.at("/checks/job/details/state").asText()).isEqualTo("RUNNING");
    }

    /** Waits until the profile has counted {@code n} events, then checks it stays there. */
    private JsonNode awaitEvents(int n) {
        JsonNode profile =
                AwaitValue.until(
                        "profile of " + CUSTOMER + " with " + n + " events",
                        TIMEOUT,
                        () -> {
                            HttpResponse<String> response =
                                    get("/v1/customers/" + CUSTOMER + "/profile");
                            if (response.statusCode() != 200) return null;
                            JsonNode p = readTree(response.body());
                            assertThat(p.get("events").asInt()).isLessThanOrEqualTo(n);
                            return p.get("events").asInt() == n ? p : null;
                        });
        return profile;
    }

    private JobHeartbeat heartbeat() {
        try (var redis = shop.redis().newClient()) {
            return EventCodec.mapper()
                    .readValue(redis.get(RedisKeys.JOB_HEARTBEAT), JobHeartbeat.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void send(ShopEvent event) {
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                shop.kafka().bootstrapServers(),
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                ByteArraySerializer.class))) {
            producer.send(
                            new ProducerRecord<>(
                                    event.getType().topic(),
                                    event.visitorKey(),
                                    EventCodec.encode(event)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce " + event, e);
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + shop.api().port() + path))
                            .header("Authorization", "Bearer " + shop.api().access().adminKey())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("unreadable JSON: " + json, e);
        }
    }
}
