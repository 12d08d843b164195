package io.shopkeeper.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.embedded.RedisClusterSetup;
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
import redis.clients.jedis.HostAndPort;

/**
 * {@code cluster up --ha}: three Kafka nodes and a Redis Cluster of three masters with a replica
 * each, as separate processes. One broker killed with SIGKILL mid-stream, then one Redis master:
 * the replica takes over, the job and the API keep going, and every visitor's numbered events reach
 * their profile exactly once, in order (an event the collector did not answer 202 for is sent
 * again, as a tracker would: the job counts an event id once).
 */
class LocalClusterHaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final int VISITORS = 8;
    private static final int EVENTS = 30;
    private static final Instant START = Instant.now().minusSeconds(600);

    private static Path dir;
    private static LocalCluster cluster;
    private static LocalCluster.Settings settings;
    private static final AccessSettings access = AccessSettings.generatedKeys();
    private static ClusterState state;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void up() throws Exception {
        dir = Files.createTempDirectory("skh");
        int metrics = freeRange(2);
        settings =
                new LocalCluster.Settings(
                        1,
                        new ClusterPorts(
                                freeRange(1),
                                RedisClusterSetup.freeNodePorts(LocalCluster.HA_REDIS_MASTERS * 2),
                                freeRange(LocalCluster.HA_KAFKA_NODES * 2),
                                freeRange(6),
                                metrics + "-" + (metrics + 1)),
                        BuildOutputs.jobJar(),
                        BuildOutputs.flinkLibClasspath(),
                        access,
                        job ->
                                LocalJobSettings.apply(job)
                                        .checkpointInterval(Duration.ofSeconds(2)),
                        null,
                        true);
        cluster = new LocalCluster(dir);
        long started = System.nanoTime();
        state = cluster.up(settings, System.out);
        System.out.printf("cluster up --ha took %.1f s%n", seconds(started));
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) cluster.down(System.out);
        if (dir != null) io.shopkeeper.shop.LocalShop.deleteRecursively(dir);
    }

    @Test
    void aKilledBrokerAndAKilledRedisMasterLoseNothing() throws Exception {
        assertThat(state.role(LocalCluster.KAFKA)).hasSize(3);
        assertThat(state.role(LocalCluster.REDIS)).hasSize(6);
        assertThat(state.role(LocalCluster.JOBMANAGER)).hasSize(1);
        assertThat(state.role(LocalCluster.TASKMANAGER)).hasSize(1);
        assertThat(state.role(LocalCluster.API)).hasSize(1);
        assertThat(state.processes()).allMatch(ClusterProcess::alive);
        assertThat(state.jobArgs())
                .contains("--redis.cluster=" + settings.redisCluster())
                .contains("--kafka.bootstrap=" + settings.kafkaBootstrap());

        sendEach(1, EVENTS / 3);
        awaitProfiles(EVENTS / 3);

        // One of three brokers killed mid-stream: the collector and the job go on with two.
        ClusterProcess broker = state.role(LocalCluster.KAFKA).get(1);
        long brokerKilled = System.nanoTime();
        broker.kill();
        assertThat(broker.alive()).isFalse();
        sendEach(EVENTS / 3 + 1, EVENTS * 2 / 3);
        awaitProfiles(EVENTS * 2 / 3);
        double afterBroker = seconds(brokerKilled);

        // One Redis master killed mid-stream: its replica takes over.
        ClusterProcess master = state.role(LocalCluster.REDIS).get(0);
        HostAndPort replica = new HostAndPort("127.0.0.1", settings.ports().redisNode(3));
        assertThat(RedisClusterSetup.role(replica)).isEqualTo("slave");
        long masterKilled = System.nanoTime();
        master.kill();
        assertThat(master.alive()).isFalse();
        sendEach(EVENTS * 2 / 3 + 1, EVENTS);
        await("the replica to take over", () -> "master".equals(RedisClusterSetup.role(replica)));
        double tookOver = seconds(masterKilled);
        awaitProfiles(EVENTS);
        double caughtUp = seconds(masterKilled);
        await(
                "/health to answer 200",
                () -> LocalCluster.status(state.apiUrl() + "/health") == 200);
        double healthy = seconds(masterKilled);
        System.out.printf(
                "--ha faults: broker SIGKILL, every profile at %d events %.1f s later; Redis"
                        + " master SIGKILL, replica master after %.1f s, every profile complete"
                        + " after %.1f s, /health 200 after %.1f s; %d events resent%n",
                EVENTS * 2 / 3, afterBroker, tookOver, caughtUp, healthy, resent);

        // Replays after failovers overwrite, never add: still exactly EVENTS two checkpoints on.
        FlinkRest flink = new FlinkRest(state.flinkUrl());
        long later = completedCheckpoints(flink);
        await("two more checkpoints", () -> completedCheckpoints(flink) >= later + 2);
        assertEveryProfileHas(EVENTS);
    }

    private int resent;

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

    /** Every visitor's events {@code from..to}, one at a time, each until the collector took it. */
    private void sendEach(int from, int to) {
        for (int n = from; n <= to; n++) {
            for (int v = 0; v < VISITORS; v++) {
                String visitor = visitor(v);
                int seq = n;
                if (!send(visitor, seq)) {
                    await(
                            "the collector to take " + visitor + "-" + seq,
                            () -> {
                                resent++;
                                return send(visitor, seq);
                            });
                }
            }
        }
    }

    /** Posts event {@code n} of a visitor (a product view of item n); true when answered 202. */
    private boolean send(String visitor, int n) {
        String event =
                String.format(
                        "{\"eventId\":\"%s-%d\",\"type\":\"product_view\",\"timestamp\":\"%s\","
                                + "\"sessionId\":\"s-%s\",\"anonymousId\":\"%s\",\"itemId\":\"%s\"}",
                        visitor, n, START.plusSeconds(n), visitor, visitor, item(n));
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(state.apiUrl() + "/v1/events"))
                                    .header("Authorization", "Bearer " + access.storefrontKey())
                                    .header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(10))
                                    .POST(HttpRequest.BodyPublishers.ofString(event))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 202
                    && JSON.readTree(response.body()).path("accepted").asInt() == 1;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
                                    .timeout(Duration.ofSeconds(10))
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
        return "anon-ha-" + v;
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
        Set<Integer> tried = new HashSet<>();
        for (int attempt = 0; attempt < 100; attempt++) {
            int first;
            try (ServerSocket socket = new ServerSocket(0)) {
                first = socket.getLocalPort();
            } catch (IOException e) {
                continue;
            }
            if (first + n > 65535 || !tried.add(first)) continue;
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
