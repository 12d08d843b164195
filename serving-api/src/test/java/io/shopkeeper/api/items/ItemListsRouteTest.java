package io.shopkeeper.api.items;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asStorefront;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.itemIds;
import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.RedisKeys;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/items/{id}/similar} and {@code GET /v1/trending} on a real Redis. */
class ItemListsRouteTest extends RedisTestBase {

    @Test
    void similarItemsAreServedInStoredOrderUpToN() {
        put(
                RedisKeys.similarItems("shoe-1"),
                list(
                        "shoe-1",
                        scored("shoe-2", 0.9, "co_viewed"),
                        scored("shoe-3", 0.7),
                        scored("sock-1", 0.2)));

        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.get("/v1/items/shoe-1/similar?n=2");
                    assertThat(response.code()).isEqualTo(200);
                    JsonNode body = body(response);
                    assertThat(body.get("subject").asText()).isEqualTo("shoe-1");
                    assertThat(itemIds(body)).containsExactly("shoe-2", "shoe-3");
                    assertThat(body.get("items").get(0).get("reason").asText())
                            .isEqualTo("co_viewed");
                    assertThat(body.get("items").get(1).get("reason").asText())
                            .isEqualTo("similar_to:shoe-1");
                    assertThat(body.get("items").get(1).get("score").asDouble()).isEqualTo(0.7);
                });
    }

    @Test
    void newItemWithoutSimilarItemsGetsEmptyListNot404() {
        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.get("/v1/items/brand-new/similar");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(body(response).get("items")).isEmpty();
                });
    }

    @Test
    void trendingOverallAndInCategory() {
        put(RedisKeys.trending(), list(null, scored("t1", 9), scored("t2", 8)));
        put(RedisKeys.trendingInCategory("shoes"), list("shoes", scored("shoe-7", 5)));

        asStorefront(
                app(store),
                (server, client) -> {
                    JsonNode overall = body(client.get("/v1/trending"));
                    assertThat(itemIds(overall)).containsExactly("t1", "t2");
                    assertThat(overall.get("items").get(0).get("reason").asText())
                            .isEqualTo("trending");

                    JsonNode shoes = body(client.get("/v1/trending?category=shoes&n=5"));
                    assertThat(shoes.get("subject").asText()).isEqualTo("shoes");
                    assertThat(itemIds(shoes)).containsExactly("shoe-7");
                    assertThat(shoes.get("items").get(0).get("reason").asText())
                            .isEqualTo("trending_in:shoes");
                });
    }

    @Test
    void unknownCategoryGetsEmptyTrendingList() {
        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.get("/v1/trending?category=hats");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(body(response).get("items")).isEmpty();
                });
    }

    @Test
    void badLimitGets400NamingN() {
        asStorefront(
                app(store),
                (server, client) -> {
                    var similar = client.get("/v1/items/shoe-1/similar?n=0");
                    assertThat(similar.code()).isEqualTo(400);
                    assertThat(body(similar).get("message").asText())
                            .isEqualTo("n must be between 1 and 100");

                    var trending = client.get("/v1/trending?n=ten");
                    assertThat(trending.code()).isEqualTo(400);
                    assertThat(body(trending).get("message").asText())
                            .isEqualTo("n must be an integer; got 'ten'");
                });
    }
}
