package io.shopkeeper.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.embedded.EmbeddedRedisCluster;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis sink's writer on a Redis Cluster (three masters, a replica each): a flush's keys span
 * every master, and when one master is killed mid-stream the writer retries until its replica has
 * taken over; every write, before and after, ends in Redis exactly as written.
 */
class RedisSinkClusterTest {
    private static final int KEYS = 240;

    @Test
    void writesSpanEveryMasterAndSurviveAKilledMaster() throws Exception {
        try (EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3);
                ShopRedis reader =
                        ShopRedis.connect(
                                cluster.endpoint(), ShopRedis.ClientSettings.defaults("test"))) {
            SimpleCounter retries = new SimpleCounter();
            SimpleCounter written = new SimpleCounter();
            // flushBatch 40: flushes happen as writes arrive; the timer service's clock never
            // moves.
            RedisSink.Writer writer =
                    new RedisSink.Writer(
                            ShopRedis.connect(
                                    cluster.endpoint(),
                                    ShopRedis.ClientSettings.defaults("test")
                                            .withTimeouts(Duration.ofMillis(500))),
                            new TestProcessingTimeService(),
                            RedisSink.Batching.always(Duration.ofMillis(50), 40),
                            Duration.ofSeconds(90),
                            written,
                            retries);
            long killedAt = 0;
            try {
                for (int i = 0; i < KEYS; i++) {
                    if (i == KEYS / 2) {
                        killedAt = System.nanoTime();
                        cluster.kill(0);
                    }
                    writer.write(RedisWrite.text("sk:test:value:" + i, "v" + i), null);
                    writer.write(RedisWrite.setAdd("sk:test:set:" + (i % 7), "m" + i), null);
                }
                writer.flush(false);
            } finally {
                writer.close();
            }
            System.out.printf(
                    "Redis master killed mid-stream: the sink caught up %.1f s later after %d"
                            + " retries%n",
                    (System.nanoTime() - killedAt) / 1e9, retries.getCount());

            assertThat(retries.getCount())
                    .as("the killed master's writes were retried")
                    .isPositive();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) keys.add("sk:test:value:" + i);
            // The reader's slot map still names the dead master: its first read fails and
            // refreshes it, as the API's does.
            List<String> values =
                    AwaitValue.until(
                            "a read of every key",
                            Duration.ofSeconds(30),
                            () -> {
                                try {
                                    return reader.get(keys.toArray(String[]::new));
                                } catch (JedisException e) {
                                    return null;
                                }
                            });
            for (int i = 0; i < KEYS; i++)
                assertThat(values.get(i)).as(keys.get(i)).isEqualTo("v" + i);
            long members = 0;
            for (int s = 0; s < 7; s++) members += reader.commands().scard("sk:test:set:" + s);
            assertThat(members).isEqualTo(KEYS);
        }
    }
}
