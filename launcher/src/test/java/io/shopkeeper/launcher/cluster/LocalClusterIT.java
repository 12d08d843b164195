package io.shopkeeper.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.launcher.LocalJobSettings;
import java.io.IOException;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local cluster as separate OS processes running the job jar submitted through Flink's REST
 * API: a TaskManager killed with SIGKILL mid-stream loses nothing and counts nothing twice (every
 * visitor's numbered events reach their profile exactly once, in order); an upgrade with a changed
 * option (stop with a savepoint, resubmit from it) keeps every profile; {@code down} then {@code
 * up} resumes the job from its savepoint.
 */
class LocalClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofMinutes(4);
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
    void aKilledTaskManagerLosesNothingAnUpgradeKeepsStateAndDownThenUpResumes() throws Exception {
        assertThat(state.role(LocalCluster.KAFKA)).hasSize(1);
        assertThat(state.role(LocalCluster.REDIS)).hasSize(1);
        assertThat(state.role(LocalCluster.JOBMANAGER)).hasSize(1);
        assertThat(state.role(LocalCluster.TASKMANAGER)).hasSize(2);
        assertThat(state.role(LocalCluster.API)).hasSize(1);
        assertThat(state.processes()).allMatch(ClusterProcess::alive);
        Set<Long> pids = new HashSet<>();
        state.processes().forEach(p -> pids.add(p.pid()));
        assertThat(pids).hasSize(6).doesNotContain(ProcessHandle.current().pid());

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
        assertEveryProfileHas(EVENTS);
        send(visitor(1), EVENTS + 1, EVENTS + 1);
        await(
                "the upgraded job to count one more event",
                () -> profile(visitor(1)).path("events").asInt() == EVENTS + 1);

        // down takes a savepoint; up resumes from it with the same Kafka log and Redis data.
        cluster.down(System.out);
        assertThat(state.processes()).noneMatch(ClusterProcess::alive);
        assertThat(cluster.state()).isEmpty();
        long restarted = System.nanoTime();
        state = cluster.up(settings, System.out);
        System.out.printf("cluster up (resuming) took %.1f s%n", seconds(restarted));
        assertThat(profile(visitor(1)).path("events").asInt()).isEqualTo(EVENTS + 1);
        assertThat(profile(visitor(2)).path("events").asInt()).isEqualTo(EVENTS);
        send(visitor(0), EVENTS + 1, EVENTS + 1);
        await(
                "the resumed job to count one more event",
                () -> profile(visitor(0)).path("events").asInt() == EVENTS + 1);
        assertThat(profile(visitor(0)).path("recentViews").get(0).asText())
                .isEqualTo(item(EVENTS + 1));
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
        StringBuilder batch = new StringBuilder("[");
        for (int n = from; n <= to; n++) {
            if (n > from) batch.append(',');
            batch.append(
                    String.format(
                            "{\"eventId\":\"%s-%d\",\"type\":\"product_view\",\"timestamp\":\"%s\","
                                    + "\"sessionId\":\"s-%s\",\"anonymousId\":\"%s\",\"itemId\":\"%s\"}",
                            visitor, n, START.plusSeconds(n), visitor, visitor, item(n)));
        }
        batch.append(']');
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(state.apiUrl() + "/v1/events"))
                                .header("Authorization", "Bearer " + access.storefrontKey())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("accepted").asInt())
                .isEqualTo(to - from + 1);
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
