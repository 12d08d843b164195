package io.shopkeeper.api.items;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asStorefront;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.itemIds;
import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.store.RedisRecommendationStore;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * A real redis-server stopped under the API and started again on the same port: trending and
 * recommendations keep answering 200 from the last trending lists read, marked {@code "stale":
 * true}, a route with nothing to fall back on answers the JSON 503, and everything is fresh again
 * once Redis is back, without restarting the API.
 */
class RedisOutageRouteTest {
    private int port;
    private EmbeddedRedis redis;
    private RedisRecommendationStore store;

    @BeforeEach
    void start() throws Exception {
        port = EmbeddedRedis.freePort();
        redis = EmbeddedRedis.start(port, null);
        store =
                RedisRecommendationStore.connect(
                        redis.host(), port, RedisRecommendationStore.Settings.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        redis.close();
    }

    @Test
    void trendingAndRecommendationsAnswerStaleDuringAnOutageAndFreshAfterIt() throws Exception {
        try (JedisPooled client = redis.newClient()) {
            client.set(
                    RedisKeys.trending(),
                    EventCodec.encodeToString(list(null, scored("t1", 9), scored("t2", 8))));
            client.set(
                    RedisKeys.trendingInCategory("shoes"),
                    EventCodec.encodeToString(list("shoes", scored("shoe-7", 5))));
        }
        asStorefront(
                app(store),
                (server, http) -> {
                    JsonNode fresh = body(http.get("/v1/trending?n=5"));
                    assertThat(itemIds(fresh)).containsExactly("t1", "t2");
                    assertThat(fresh.has("stale")).isFalse();
                    http.get("/v1/trending?category=shoes");
                    assertThat(body(http.get("/v1/recommendations?customer=c1")).has("stale"))
                            .isFalse();

                    redis.close();

                    var trending = http.get("/v1/trending?n=5");
                    assertThat(trending.code()).isEqualTo(200);
                    JsonNode stale = body(trending);
                    assertThat(stale.get("stale").asBoolean()).isTrue();
                    assertThat(itemIds(stale)).containsExactly("t1", "t2");
                    JsonNode inCategory = body(http.get("/v1/trending?category=shoes"));
                    assertThat(inCategory.get("stale").asBoolean()).isTrue();
                    assertThat(itemIds(inCategory)).containsExactly("shoe-7");

                    var recommendations = http.get("/v1/recommendations?customer=c1&n=5");
                    assertThat(recommendations.code()).isEqualTo(200);
                    JsonNode recs = body(recommendations);
                    assertThat(recs.get("stale").asBoolean()).isTrue();
                    assertThat(recs.get("strategy").asText()).startsWith("trending");
                    assertThat(itemIds(recs)).containsExactly("t1", "t2");

                    // Nothing read before for this category: the one error shape, 503.
                    var never = http.get("/v1/items/shoe-7/similar");
                    assertThat(never.code()).isEqualTo(503);
                    assertThat(body(never).get("status").asInt()).isEqualTo(503);

                    redis = EmbeddedRedis.start(port, null);
                    try (JedisPooled client = redis.newClient()) {
                        client.set(
                                RedisKeys.trending(),
                                EventCodec.encodeToString(list(null, scored("t3", 10))));
                    }
                    JsonNode recovered = body(http.get("/v1/trending?n=5"));
                    assertThat(recovered.has("stale")).isFalse();
                    assertThat(itemIds(recovered)).containsExactly("t3");
                });
    }
}
