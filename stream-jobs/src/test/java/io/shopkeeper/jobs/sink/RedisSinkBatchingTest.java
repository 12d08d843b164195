package io.shopkeeper.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * When the sink's writer flushes, against a real redis-server and a clock the test moves: live (its
 * watermark within the backlog lag of the clock) a write reaches Redis after the live interval; in
 * a backlog after the backlog interval or at the backlog batch, a key written twice in between
 * reaching Redis once with its last value; a write made live after a backlog's buffered writes does
 * not wait for the backlog's timer.
 */
class RedisSinkBatchingTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final RedisSink.Batching BATCHING =
            new RedisSink.Batching(
                    Duration.ofMillis(50), 100, Duration.ofSeconds(1), 3, Duration.ofSeconds(15));

    private EmbeddedRedis redis;
    private JedisPooled client;
    private TestProcessingTimeService clock;
    private SimpleCounter keysWritten;
    private RedisSink.Writer writer;

    @BeforeEach
    void start() throws Exception {
        redis = EmbeddedRedis.startTemporary();
        client = redis.newClient();
        clock = new TestProcessingTimeService();
        clock.setCurrentTime(T0);
        keysWritten = new SimpleCounter();
        writer =
                new RedisSink.Writer(
                        ShopRedis.connect(
                                RedisEndpoint.single(redis.host(), redis.port()),
                                ShopRedis.ClientSettings.defaults("test")),
                        clock,
                        BATCHING,
                        Duration.ofSeconds(5),
                        keysWritten,
                        new SimpleCounter());
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        client.close();
        redis.close();
    }

    @Test
    void liveAWriteReachesRedisAfterTheLiveInterval() throws Exception {
        writer.writeWatermark(new Watermark(T0 - 2_000));
        writer.write(RedisWrite.text("sk:test:a", "1"), null);
        clock.setCurrentTime(T0 + 49);
        assertThat(client.get("sk:test:a")).isNull();
        clock.setCurrentTime(T0 + 50);
        assertThat(client.get("sk:test:a")).isEqualTo("1");
    }

    @Test
    void inABacklogAKeyWrittenTwiceWithinTheIntervalReachesRedisOnceWithItsLastValue()
            throws Exception {
        writer.writeWatermark(new Watermark(T0 - Duration.ofDays(30).toMillis()));
        writer.write(RedisWrite.text("sk:test:a", "1"), null);
        clock.setCurrentTime(T0 + 500);
        assertThat(client.get("sk:test:a")).as("not at the live interval").isNull();
        writer.write(RedisWrite.text("sk:test:a", "2"), null);
        writer.write(RedisWrite.text("sk:test:b", "1"), null);
        clock.setCurrentTime(T0 + 999);
        assertThat(client.get("sk:test:a")).isNull();
        clock.setCurrentTime(T0 + 1_000);
        assertThat(client.get("sk:test:a")).isEqualTo("2");
        assertThat(client.get("sk:test:b")).isEqualTo("1");
        assertThat(keysWritten.getCount()).as("one SET per key").isEqualTo(2);
    }

    @Test
    void beforeTheFirstWatermarkTheWriterCountsAsInABacklog() throws Exception {
        writer.write(RedisWrite.text("sk:test:a", "1"), null);
        clock.setCurrentTime(T0 + 500);
        assertThat(client.get("sk:test:a")).isNull();
        clock.setCurrentTime(T0 + 1_000);
        assertThat(client.get("sk:test:a")).isEqualTo("1");
    }

    @Test
    void inABacklogTheBacklogBatchFlushesWithoutWaiting() throws Exception {
        writer.writeWatermark(new Watermark(T0 - Duration.ofDays(30).toMillis()));
        writer.write(RedisWrite.text("sk:test:a", "1"), null);
        writer.write(RedisWrite.text("sk:test:b", "1"), null);
        assertThat(client.get("sk:test:a")).isNull();
        writer.write(RedisWrite.text("sk:test:c", "1"), null);
        assertThat(client.mget("sk:test:a", "sk:test:b", "sk:test:c"))
                .containsExactly("1", "1", "1");
    }

    @Test
    void aWriteMadeLiveDoesNotWaitForTheBacklogsTimer() throws Exception {
        writer.writeWatermark(new Watermark(T0 - Duration.ofDays(30).toMillis()));
        writer.write(RedisWrite.text("sk:test:old", "1"), null);
        clock.setCurrentTime(T0 + 100);
        writer.writeWatermark(new Watermark(T0 + 100 - 3_000)); // caught up
        writer.write(RedisWrite.text("sk:test:live", "1"), null);
        clock.setCurrentTime(T0 + 150);
        assertThat(client.mget("sk:test:old", "sk:test:live")).containsExactly("1", "1");
        // the backlog's timer fires later and finds nothing to write
        clock.setCurrentTime(T0 + 1_000);
        assertThat(keysWritten.getCount()).isEqualTo(2);
    }

    @Test
    void batchingRejectsAnEmptyBatch() {
        assertThatThrownBy(() -> RedisSink.Batching.always(Duration.ofMillis(50), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
