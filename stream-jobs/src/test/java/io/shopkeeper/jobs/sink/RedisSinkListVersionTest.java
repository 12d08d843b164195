package io.shopkeeper.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.ListVersion;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.time.Duration;
import java.util.List;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The sink writes every shared list (trending, similar items, bought together) with its {@link
 * ListVersion}, and deletes the version with the list; a visitor's own list has none.
 */
class RedisSinkListVersionTest {
    @Test
    void sharedListsAreWrittenAndDeletedWithTheirVersion() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.startTemporary();
                ShopRedis reader =
                        ShopRedis.connect(
                                RedisEndpoint.single(redis.host(), redis.port()),
                                ShopRedis.ClientSettings.defaults("test"))) {
            // flushBatch 1: every write flushes at once, so no timer service is needed.
            RedisSink.Writer writer =
                    new RedisSink.Writer(
                            ShopRedis.connect(
                                    RedisEndpoint.single(redis.host(), redis.port()),
                                    ShopRedis.ClientSettings.defaults("test")),
                            null,
                            RedisSink.Batching.always(Duration.ofMillis(50), 1),
                            Duration.ofSeconds(5),
                            new SimpleCounter(),
                            new SimpleCounter());
            UnifiedJedis commands = reader.commands();
            try {
                String similar = RedisKeys.similarItems("i1");
                writer.write(RedisWrite.list(similar, list("i1", "s1")), null);
                writer.write(RedisWrite.list(RedisKeys.trending(), list("all", "t1")), null);
                writer.write(
                        RedisWrite.list(RedisKeys.recommendations("c1"), list("c1", "p1")), null);

                assertThat(commands.get(RedisKeys.listVersion(similar)))
                        .isEqualTo(ListVersion.of(commands.get(similar)))
                        .hasSize(16);
                assertThat(commands.get(RedisKeys.listVersion(RedisKeys.trending())))
                        .isEqualTo(ListVersion.of(commands.get(RedisKeys.trending())));
                assertThat(RedisKeys.listVersion(RedisKeys.recommendations("c1"))).isNull();

                String before = commands.get(RedisKeys.listVersion(similar));
                writer.write(RedisWrite.list(similar, list("i1", "s2")), null);
                assertThat(commands.get(RedisKeys.listVersion(similar)))
                        .isNotEqualTo(before)
                        .isEqualTo(ListVersion.of(commands.get(similar)));

                writer.write(RedisWrite.delete(similar), null);
                assertThat(commands.exists(similar)).isFalse();
                assertThat(commands.exists(RedisKeys.listVersion(similar))).isFalse();
            } finally {
                writer.close();
            }
        }
    }

    private static RecommendationList list(String subject, String item) {
        return new RecommendationList(
                subject, "test", 1_000L, List.of(ScoredItem.rounded(item, 1.0, null)));
    }
}
