package io.shopkeeper.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.launcher.LocalJobSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local cluster as separate OS processes running the job jar submitted through Flink's REST
 * API, one cluster run for every fault (each checked by the same checker: every visitor's numbered
 * events reach their profile exactly once, in order): a TaskManager killed with SIGKILL mid-stream;
 * redis-server stopped for 30 s mid-stream (the job's sink retries, the API answers trending from
 * its own cache marked stale); the Kafka broker restarted mid-stream (the collector answers 503
 * with Retry-After, never 202, while it cannot hand an event to Kafka, and the client's retry
 * lands). Then an upgrade with a changed option (stop with a savepoint, resubmit from it) keeps
 * every profile, and {@code down} then {@code up} resumes the job from its savepoint. Recovery
 * times are printed (docs/operations.md).
 */
class LocalClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final Duration REDIS_OUTAGE = Duration.ofSeconds(30);
    private static final int VISITORS = 12;
    private static final int EVENTS = 40;
    private static final Instant START = Instant.now().minusSeconds(600);

    private static Path dir;
    private static LocalCluster cluster;
    private static LocalCluster.Settings settings;
    private static AccessSettings access = AccessSettings.generatedKeys();
    private static ClusterState state;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("skc");
        int metrics = freeRange(3);
        settings =
                new LocalCluster.Settings(
                        2,
                        new ClusterPorts(
                                freeRange(1),
                                freeRange(1),
                                freeRange(2),
                                freeRange(8),
                                metrics + "-" + (metrics + 2)),
                        BuildOutputs.jobJar(),
                        BuildOutputs.flinkLibClasspath(),
                        access,
                        job ->
                                LocalJobSettings.apply(job)
                                        .checkpointInterval(Duration.ofSeconds(2)),
                        null);
        cluster = new LocalCluster(dir);
        long started = System.nanoTime();
        state = cluster.up(settings, System.out);
        System.out.printf("cluster up (first start) took %.1f s%n", seconds(started));
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) cluster.down(System.out);
        if (dir != null) io.shopkeeper.shop.LocalShop.deleteRecursively(dir);
    }

    @Test
    void faultsLoseNothingAnUpgradeKeepsStateAndDownThenUpResumes() throws Exception {
        assertThat(state.role(LocalCluster.KAFKA)).hasSize(1);
        assertThat(state.role(LocalCluster.REDIS)).hasSize(1);
        assertThat(state.role(LocalCluster.JOBMANAGER)).hasSize(1);
        assertThat(state.role(LocalCluster.TASKMANAGER)).hasSize(2);
        assertThat(state.role(LocalCluster.API)).hasSize(1);
        assertThat(state.processes()).allMatch(ClusterProcess::alive);
        Set<Long> pids = new HashSet<>();
        state.processes().forEach(p -> pids.add(p.pid()));
        assertThat(pids).hasSize(6).doesNotContain(ProcessHandle.current().pid());
        FlinkRest rest = new FlinkRest(state.flinkUrl());
        for (ClusterProcess tm : state.role(LocalCluster.TASKMANAGER)) {
            await(
                    tm.name() + " to collect with the parallel collector",
                    () -> collectors(rest, tm.name()).contains("PS_Scavenge"));
            assertThat(collectors(rest, tm.name())).doesNotContain("G1");
        }

        // The first half of every visitor's numbered events, processed and checkpointed.
        sendEach(1, EVENTS / 2);
        awaitProfiles(EVENTS / 2);
        FlinkRest flink = new FlinkRest(state.flinkUrl());
        long checkpoint = completedCheckpoints(flink);
        await("a checkpoint after the first half", () -> completedCheckpoints(flink) > checkpoint);

        // Mid-stream: more events, then SIGKILL the TaskManager running the profiles, then the
        // rest.
        sendEach(EVENTS / 2 + 1, EVENTS * 3 / 4);
        ClusterProcess victim = taskManagerRunningProfiles(flink);
        long failuresBefore = failures(flink);
        long killedAt = System.nanoTime();
        victim.kill();
        assertThat(victim.alive()).isFalse();
        sendEach(EVENTS * 3 / 4 + 1, EVENTS);
        await("the JobManager to fail the job over", () -> failures(flink) > failuresBefore);
        double noticed = seconds(killedAt);

        await(
                "the job to restart on the remaining TaskManager",
                () -> {
                    try {
                        flink.awaitRunning(state.jobId(), Duration.ofSeconds(1));
                        return flink.get("jobs/" + state.jobId()).path("status-counts").isObject();
                    } catch (IOException e) {
                        return false;
                    }
                });
        double running = seconds(killedAt);
        awaitProfiles(EVENTS);
        double caughtUp = seconds(killedAt);
        System.out.printf(
                "TaskManager SIGKILL: failure noticed after %.1f s, job running again after %.1f s,"
                        + " every profile complete after %.1f s%n",
                noticed, running, caughtUp);
        // Replays after the restore overwrite, never add: still exactly EVENTS after more
        // checkpoints.
        long later = completedCheckpoints(flink);
        await("two more checkpoints", () -> completedCheckpoints(flink) >= later + 2);
        assertEveryProfileHas(EVENTS);

        int total = redisStoppedForThirtySecondsMidStream(flink, EVENTS);
        total = kafkaRestartedMidStream(total);

        // Upgrade: stop with a savepoint, run the jar again from it with a changed option.
        String before = state.jobId();
        long upgradeStarted = System.nanoTime();
        String upgraded =
                new JobControl(flink, cluster)
                        .upgrade(settings.jobJar(), List.of(), List.of("trending.size=30"));
        System.out.printf(
                "job upgrade (savepoint, resubmit, running) took %.1f s%n",
                seconds(upgradeStarted));
        state = cluster.state().orElseThrow();
        assertThat(upgraded).isNotEqualTo(before).isEqualTo(state.jobId());
        assertThat(state.jobArgs())
                .contains("--trending.size=30")
                .doesNotContain("--trending.size=50");
        assertThat(flink.jobState(before)).contains("FINISHED");
        assertEveryProfileHas(total);
        int more = total + 1;
        send(visitor(1), more, more);
        await(
                "the upgraded job to count one more event",
                () -> profile(visitor(1)).path("events").asInt() == more);

        // down takes a savepoint; up resumes from it with the same Kafka log and Redis data.
        cluster.down(System.out);
        assertThat(state.processes()).noneMatch(ClusterProcess::alive);
        assertThat(cluster.state()).isEmpty();
        long restarted = System.nanoTime();
        state = cluster.up(settings, System.out);
        System.out.printf("cluster up (resuming) took %.1f s%n", seconds(restarted));
        assertThat(profile(visitor(1)).path("events").asInt()).isEqualTo(more);
        assertThat(profile(visitor(2)).path("events").asInt()).isEqualTo(total);
        send(visitor(0), more, more);
        await(
                "the resumed job to count one more event",
                () -> profile(visitor(0)).path("events").asInt() == more);
        assertThat(profile(visitor(0)).path("recentViews").get(0).asText()).isEqualTo(item(more));
    }

    /**
     * redis-server stopped (SIGTERM, its append-only file kept) for {@link #REDIS_OUTAGE} while
     * events keep coming: the collector still accepts them (it needs Kafka only), the job's Redis
     * sink retries with backoff instead of failing over, and the API answers trending and
     * recommendations from the lists it read last, marked stale, all along. Once redis-server is
     * back everything recovers by itself and every event is in its profile once. Returns the events
     * per visitor now.
     */
    private int redisStoppedForThirtySecondsMidStream(FlinkRest flink, int before)
            throws Exception {
        // Trending needs a window to close: a visitor's event a few minutes of event time after
        // the others moves the watermark past a window end (the sequence events after it are
        // late for the windows and applied as they come by the profiles).
        send("anon-clock", 1, 1, START.plusSeconds(600));
        await("a trending list", () -> trending().path("items").size() > 0);
        JsonNode lastGood = trending();
        sendEach(before + 1, before + 5);

        long failuresBefore = failures(flink);
        ClusterProcess redis = state.role(LocalCluster.REDIS).get(0);
        long stoppedAt = System.nanoTime();
        redis.stop(Duration.ofSeconds(30));
        assertThat(redis.alive()).isFalse();
        sendEach(before + 6, before + 10);
        int answers = 0;
        while (seconds(stoppedAt) < REDIS_OUTAGE.toSeconds()) {
            JsonNode trending = trending();
            assertThat(trending.path("stale").asBoolean()).as(trending.toString()).isTrue();
            assertThat(trending.path("items")).isEqualTo(lastGood.path("items"));
            JsonNode recommendations =
                    get("/v1/recommendations?customer=" + visitor(0) + "&context=home&n=5", 200);
            assertThat(recommendations.path("stale").asBoolean()).isTrue();
            assertThat(recommendations.path("items").size()).isPositive();
            answers++;
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
        assertThat(answers).as("answers during the outage").isGreaterThan(5);

        long restartedAt = System.nanoTime();
        state = cluster.restartRole(LocalCluster.REDIS, settings);
        double redisUp = seconds(restartedAt);
        await("/health 200", () -> LocalCluster.status(state.apiUrl() + "/health") == 200);
        double healthy = seconds(restartedAt);
        awaitProfiles(before + 10);
        double complete = seconds(restartedAt);
        await("fresh trending", () -> !trending().path("stale").asBoolean());
        System.out.printf(
                "redis-server stopped for %.0f s: answering again %.1f s after its restart, /health"
                        + " 200 after %.1f s, every profile complete after %.1f s%n",
                (restartedAt - stoppedAt) / 1e9, redisUp, healthy, complete);
        assertThat(failures(flink))
                .as("the sink retried: the job did not fail over")
                .isEqualTo(failuresBefore);
        return before + 10;
    }

    /**
     * The Kafka broker stopped (SIGTERM, its log kept) and started again while visitors post
     * events: while it is down the collector answers 503 with the JSON error and Retry-After, never
     * 202; every client retries after Retry-After until its events are accepted; the job and the
     * collector recover by themselves, and every event is in its profile once. Returns the events
     * per visitor now.
     */
    private int kafkaRestartedMidStream(int before) throws Exception {
        sendEach(before + 1, before + 5);
        awaitProfiles(before + 5);
        ClusterProcess kafka = state.role(LocalCluster.KAFKA).get(0);
        long stoppedAt = System.nanoTime();
        kafka.stop(Duration.ofSeconds(60));
        assertThat(kafka.alive()).isFalse();
        double stopped = seconds(stoppedAt);

        ExecutorService clients = Executors.newFixedThreadPool(VISITORS);
        try {
            List<Future<Integer>> refusals = new ArrayList<>();
            for (int v = 0; v < VISITORS; v++) {
                String visitor = visitor(v);
                refusals.add(clients.submit(() -> sendRetrying(visitor, before + 6, before + 10)));
            }
            await("every client refused once", () -> refused.get() >= VISITORS);

            long restartedAt = System.nanoTime();
            state = cluster.restartRole(LocalCluster.KAFKA, settings);
            double brokerUp = seconds(restartedAt);
            for (Future<Integer> refusal : refusals) {
                assertThat(refusal.get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                        .as("503s before the events were accepted")
                        .isPositive();
            }
            double accepted = seconds(restartedAt);
            await("/health 200", () -> LocalCluster.status(state.apiUrl() + "/health") == 200);
            double healthy = seconds(restartedAt);
            awaitProfiles(before + 10);
            double complete = seconds(restartedAt);
            System.out.printf(
                    "Kafka broker stopped in %.1f s, down %.1f s: answering again %.1f s after its"
                            + " restart, every client's retry accepted after %.1f s, /health 200"
                            + " after %.1f s, every profile complete after %.1f s%n",
                    stopped,
                    (restartedAt - stoppedAt) / 1e9,
                    brokerUp,
                    accepted,
                    healthy,
                    complete);
        } finally {
            clients.shutdownNow();
        }
        return before + 10;
    }

    private final AtomicInteger refused = new AtomicInteger();

    /**
     * A client posting events {@code from..to} of a visitor as one batch until accepted, as the
     * tracker does: every 503 must carry the JSON error and Retry-After, and the client waits that
     * long before trying again. Returns how many times it was refused.
     */
    private int sendRetrying(String visitor, int from, int to) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int refusals = 0;
        while (true) {
            HttpResponse<String> response = post(batch(visitor, from, to, null));
            if (response.statusCode() == 202) {
                assertThat(JSON.readTree(response.body()).path("accepted").asInt())
                        .isEqualTo(to - from + 1);
                return refusals;
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("error").asText()).isEqualTo("service_unavailable");
            assertThat(error.path("status").asInt()).isEqualTo(503);
            assertThat(error.path("message").asText()).isNotBlank();
            long retryAfter =
                    Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isPositive();
            if (refusals++ == 0) refused.incrementAndGet();
            if (System.nanoTime() > deadline)
                throw new AssertionError(visitor + " still refused after " + DEADLINE);
            LockSupport.parkNanos(Duration.ofSeconds(retryAfter).toNanos());
        }
    }

    private JsonNode trending() {
        return get("/v1/trending?n=5", 200);
    }

    /** GET with the storefront key; the answer must have {@code status}. */
    private JsonNode get(String path, int status) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(state.apiUrl() + path))
                                    .header("Authorization", "Bearer " + access.storefrontKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitProfiles(int events) {
        await(
                "every profile at " + events + " events",
                () ->
                        IntStream.range(0, VISITORS)
                                .allMatch(
                                        v -> profile(visitor(v)).path("events").asInt() >= events));
        assertEveryProfileHas(events);
    }

    /** No gap, no duplicate: the count, and the newest views in sequence order. */
    private void assertEveryProfileHas(int events) {
        for (int v = 0; v < VISITORS; v++) {
            JsonNode profile = profile(visitor(v));
            assertThat(profile.path("events").asInt()).as(visitor(v)).isEqualTo(events);
            List<String> views = new ArrayList<>();
            profile.path("recentViews").forEach(n -> views.add(n.asText()));
            List<String> expected = new ArrayList<>();
            for (int n = events; n > 0 && expected.size() < views.size(); n--)
                expected.add(item(n));
            assertThat(views).as(visitor(v)).isNotEmpty().isEqualTo(expected);
        }
    }

    /** The names of a TaskManager's garbage collector metrics, as its REST metrics list them. */
    private static String collectors(FlinkRest flink, String taskManager) {
        StringBuilder names = new StringBuilder();
        try {
            for (JsonNode metric : flink.get("taskmanagers/" + taskManager + "/metrics")) {
                String id = metric.path("id").asText();
                if (id.startsWith("Status.JVM.GarbageCollector."))
                    names.append(id.replace(' ', '_')).append(' ');
            }
        } catch (IOException e) {
            return "";
        }
        return names.toString();
    }

    private ClusterProcess taskManagerRunningProfiles(FlinkRest flink) throws IOException {
        Set<String> hosts = new HashSet<>();
        for (JsonNode vertex : flink.get("jobs/" + state.jobId()).path("vertices")) {
            if (!vertex.path("name").asText().toLowerCase().contains("profile")) continue;
            JsonNode detail =
                    flink.get("jobs/" + state.jobId() + "/vertices/" + vertex.path("id").asText());
            detail.path("subtasks").forEach(s -> hosts.add(s.path("taskmanager-id").asText()));
        }
        assertThat(hosts).as("TaskManagers running the profiles").isNotEmpty();
        return state.role(LocalCluster.TASKMANAGER).stream()
                .filter(tm -> hosts.contains(tm.name()))
                .findFirst()
                .orElseThrow();
    }

    /** Failures the JobManager recorded for the job (its exception history). */
    private static long failures(FlinkRest flink) {
        try {
            return flink.get("jobs/" + state.jobId() + "/exceptions")
                    .path("exceptionHistory")
                    .path("entries")
                    .size();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long completedCheckpoints(FlinkRest flink) {
        try {
            return flink.get("jobs/" + state.jobId() + "/checkpoints")
                    .path("counts")
                    .path("completed")
                    .asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    private void sendEach(int from, int to) throws Exception {
        for (int v = 0; v < VISITORS; v++) send(visitor(v), from, to);
    }

    /** Posts events {@code from..to} of a visitor as one batch: product views of item n. */
    private void send(String visitor, int from, int to) throws Exception {
        send(visitor, from, to, null);
    }

    /** As {@link #send(String, int, int)}, every event at {@code at} if given. */
    private void send(String visitor, int from, int to, Instant at) throws Exception {
        HttpResponse<String> response = post(batch(visitor, from, to, at));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("accepted").asInt())
                .isEqualTo(to - from + 1);
    }

    /** Event n of a visitor: a product view of item n at {@code START + n s} (or {@code at}). */
    private static String batch(String visitor, int from, int to, Instant at) {
        StringBuilder batch = new StringBuilder("[");
        for (int n = from; n <= to; n++) {
            if (n > from) batch.append(',');
            batch.append(
                    String.format(
                            "{\"eventId\":\"%s-%d\",\"type\":\"product_view\",\"timestamp\":\"%s\","
                                    + "\"sessionId\":\"s-%s\",\"anonymousId\":\"%s\",\"itemId\":\"%s\"}",
                            visitor,
                            n,
                            at != null ? at : START.plusSeconds(n),
                            visitor,
                            visitor,
                            item(n)));
        }
        return batch.append(']').toString();
    }

    private HttpResponse<String> post(String batch) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(state.apiUrl() + "/v1/events"))
                        .header("Authorization", "Bearer " + access.storefrontKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode profile(String visitor) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    state.apiUrl()
                                                            + "/v1/customers/"
                                                            + visitor
                                                            + "/profile"))
                                    .header("Authorization", "Bearer " + access.adminKey())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    ? JSON.readTree(response.body())
                    : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String visitor(int v) {
        return "anon-seq-" + v;
    }

    private static String item(int n) {
        return "i" + n;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /** The first of {@code n} consecutive free ports. */
    private static int freeRange(int n) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first;
            try (ServerSocket socket = new ServerSocket(0)) {
                first = socket.getLocalPort();
            } catch (IOException e) {
                continue;
            }
            if (first + n > 65535) continue;
            boolean free = true;
            for (int p = first; p < first + n && free; p++) {
                try (ServerSocket probe = new ServerSocket(p)) {
                    probe.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) return first;
        }
        throw new IllegalStateException("no " + n + " consecutive free ports");
    }
}
