package io.shopkeeper.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.schemas.redis.NodePipelines;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of three masters with a replica each (real redis-server processes formed by
 * {@link RedisClusterSetup}) and {@link ShopRedis} on it: reads and writes whose keys span every
 * master, a whole-keyspace scan, and a master killed: its replica takes over and nothing written
 * (and confirmed by the replica) before is lost.
 */
class RedisClusterTest {
    private static final ShopRedis.ClientSettings CLIENT =
            ShopRedis.ClientSettings.defaults("test").withTimeouts(Duration.ofMillis(500));

    @Test
    void keysOfEveryMasterAreReadInOneCallPipelinedAndScanned() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3);
                ShopRedis redis = ShopRedis.connect(cluster.endpoint(), CLIENT)) {
            assertThat(redis.isCluster()).isTrue();
            assertThat(redis.ping()).isTrue();
            assertThat(redis.masters()).hasSize(3);
            List<String> keys = IntStream.range(0, 60).mapToObj(i -> "sk:test:" + i).toList();
            Set<Integer> slots = new HashSet<>();
            for (String key : keys) slots.add(JedisClusterCRC16.getSlot(key));
            assertThat(slots.stream().map(s -> s * 3 / ShopRedis.SLOTS).distinct()).hasSize(3);

            for (String key : keys) redis.commands().set(key, "v-" + key);
            // One MGET across slots is what a cluster refuses; get() reads them per master.
            assertThatThrownBy(() -> redis.commands().mget(keys.get(0), keys.get(1)))
                    .isInstanceOf(JedisException.class);
            List<String> asked = new ArrayList<>(keys);
            asked.add(7, "sk:test:absent");
            List<String> values = redis.get(asked.toArray(String[]::new));
            assertThat(values).hasSize(61);
            assertThat(values.get(7)).isNull();
            for (int i = 0; i < asked.size(); i++) {
                if (i != 7) assertThat(values.get(i)).isEqualTo("v-" + asked.get(i));
            }

            try (NodePipelines pipelines = redis.pipelines()) {
                List<Response<Long>> added = new ArrayList<>();
                for (String key : keys) {
                    String set = key + ":members";
                    added.add(pipelines.forKey(set).sadd(set, "a", "b"));
                }
                assertThatThrownBy(() -> pipelines.awaitReplicas(1, Duration.ofMillis(300)))
                        .as("a wait the 500 ms socket timeout could cut short")
                        .isInstanceOf(IllegalArgumentException.class);
                pipelines.awaitReplicas(1, Duration.ofMillis(250));
                pipelines.syncAndCheck();
                assertThat(added).allSatisfy(r -> assertThat(r.get()).isEqualTo(2L));
            }

            Set<String> scanned = new HashSet<>();
            List<String> all = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page =
                        redis.scan(cursor, new ScanParams().match("sk:test:*").count(7));
                all.addAll(page.getResult());
                scanned.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
            assertThat(scanned).hasSize(120).containsAll(keys);
            assertThat(all).hasSize(120); // no key twice
        }
    }

    @Test
    void aKilledMastersReplicaTakesOverAndNothingConfirmedIsLost() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3);
                ShopRedis redis = ShopRedis.connect(cluster.endpoint(), CLIENT)) {
            List<String> before = IntStream.range(0, 90).mapToObj(i -> "sk:before:" + i).toList();
            write(redis, before);

            long killed = System.nanoTime();
            cluster.kill(0);
            List<String> after = IntStream.range(0, 90).mapToObj(i -> "sk:after:" + i).toList();
            long deadline = killed + Duration.ofSeconds(60).toNanos();
            int failures = 0;
            double promotedAfter = -1;
            while (true) {
                if (promotedAfter < 0
                        && "master".equals(RedisClusterSetup.role(cluster.replicaOf(0)))) {
                    promotedAfter = (System.nanoTime() - killed) / 1e9;
                }
                try {
                    write(redis, after);
                    break;
                } catch (JedisException e) {
                    failures++;
                    assertThat(System.nanoTime())
                            .as("writes resume (last failure: %s)", e.toString())
                            .isLessThan(deadline);
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            }
            double seconds = (System.nanoTime() - killed) / 1e9;
            System.out.printf(
                    "Redis master killed: its replica master after %.1f s, writes to every slot"
                            + " resumed after %.1f s (%d failed attempts)%n",
                    promotedAfter, seconds, failures);

            assertThat(failures)
                    .as("the killed master's slots were unavailable a while")
                    .isPositive();
            HostAndPort promoted = cluster.replicaOf(0);
            assertThat(RedisClusterSetup.role(promoted)).isEqualTo("master");
            List<String> everything = new ArrayList<>(before);
            everything.addAll(after);
            List<String> values = redis.get(everything.toArray(String[]::new));
            for (int i = 0; i < everything.size(); i++) {
                assertThat(values.get(i)).as(everything.get(i)).isEqualTo("v-" + everything.get(i));
            }
            assertThat(redis.ping()).isTrue();
        }
    }

    /**
     * Writes {@code keys} as the job's sink does: a pipeline per master, confirmed by replicas (a
     * promoted master has none, so its WAIT always takes the whole 100 ms).
     */
    private static void write(ShopRedis redis, List<String> keys) {
        try (NodePipelines pipelines = redis.pipelines()) {
            for (String key : keys) pipelines.forKey(key).set(key, "v-" + key);
            pipelines.awaitReplicas(1, Duration.ofMillis(100));
            pipelines.syncAndCheck();
        }
    }

    @Test
    void nodePortsLeaveRoomForTheClusterBus() throws Exception {
        int first = RedisClusterSetup.freeNodePorts(6);
        assertThat(first + 5).isLessThanOrEqualTo(RedisClusterSetup.MAX_NODE_PORT);
        // An OS ephemeral port can be above 55535: its bus port (+10000) cannot exist.
        HostAndPort tooHigh = new HostAndPort("127.0.0.1", RedisClusterSetup.MAX_NODE_PORT + 1);
        assertThatThrownBy(
                        () -> RedisClusterSetup.create(List.of(tooHigh), List.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("55536")
                .hasMessageContaining("between 1 and 55535");
    }
}
