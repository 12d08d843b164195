package io.shopkeeper.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis sink's writer against a real redis-server that goes away: it retries with backoff and
 * completes its flush once Redis is back; an outage longer than its retry budget fails the write
 * (the job then restarts from its last checkpoint).
 */
class RedisSinkOutageTest {
    private static RedisSink.Writer writer(int port, Duration retryFor, SimpleCounter retries) {
        // flushBatch 1: every write flushes at once, so no timer service is needed.
        return new RedisSink.Writer(
                ShopRedis.connect(
                        RedisEndpoint.single("127.0.0.1", port),
                        ShopRedis.ClientSettings.defaults("test")),
                null,
                RedisSink.Batching.always(Duration.ofMillis(50), 1),
                retryFor,
                new SimpleCounter(),
                retries);
    }

    @Test
    void aWriteDuringARedisRestartIsRetriedUntilRedisIsBack() throws Exception {
        int port = EmbeddedRedis.freePort();
        EmbeddedRedis redis = EmbeddedRedis.start(port, null);
        SimpleCounter retries = new SimpleCounter();
        RedisSink.Writer writer = writer(port, Duration.ofSeconds(60), retries);
        try {
            writer.write(RedisWrite.text("sk:test:before", "1"), null);
            redis.close();

            CompletableFuture<Void> during =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    writer.write(RedisWrite.text("sk:test:during", "2"), null);
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            AwaitValue.until(
                    "the writer retrying",
                    Duration.ofSeconds(30),
                    () -> retries.getCount() >= 2 ? retries : null);
            assertThat(during).isNotDone();

            redis = EmbeddedRedis.start(port, null);
            during.get();
            try (JedisPooled client = redis.newClient()) {
                assertThat(client.get("sk:test:during")).isEqualTo("2");
            }
        } finally {
            writer.close();
            redis.close();
        }
    }

    @Test
    void anOutageLongerThanTheRetryBudgetFailsTheWrite() throws Exception {
        int port = EmbeddedRedis.freePort();
        SimpleCounter retries = new SimpleCounter();
        RedisSink.Writer writer = writer(port, Duration.ofMillis(700), retries);
        try {
            assertThatThrownBy(() -> writer.write(RedisWrite.text("sk:test:lost", "x"), null))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Redis write failed for");
            assertThat(retries.getCount()).isPositive();
        } finally {
            writer.close();
        }
    }
}
