package io.shopkeeper.api.recommendations;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asStorefront;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.itemIds;
import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.store.RedisRecommendationStore;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.RecommendationIds;
import io.shopkeeper.schemas.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /v1/recommendations} on a real Redis holding what the job would have written. */
class RecommendationsRouteTest extends RedisTestBase {

    private static void trending(String... items) {
        var scoredItems = new ArrayList<io.shopkeeper.schemas.ScoredItem>();
        for (int i = 0; i < items.length; i++) scoredItems.add(scored(items[i], 100 - i));
        put(
                RedisKeys.trending(),
                list(null, scoredItems.toArray(io.shopkeeper.schemas.ScoredItem[]::new)));
    }

    @Test
    void unknownVisitorGetsTrendingItems() {
        trending("t1", "t2", "t3");

        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.get("/v1/recommendations?customer=anon-42");
                    assertThat(response.code()).isEqualTo(200);
                    JsonNode body = body(response);
                    assertThat(body.get("strategy").asText()).isEqualTo("trending");
                    assertThat(body.get("customer").asText()).isEqualTo("anon-42");
                    assertThat(body.get("context").asText()).isEqualTo("home");
                    assertThat(itemIds(body)).containsExactly("t1", "t2", "t3");
                    assertThat(body.get("items").get(0).get("reason").asText())
                            .isEqualTo("trending");
                    assertThat(body.get("items").get(0).get("score").asDouble()).isEqualTo(1.0);
                });
    }

    /**
     * The answer goes out as the text result did: JSON with its length (not chunked), its UTF-8
     * bytes, characters beyond ASCII and the BMP included.
     */
    @Test
    void answerIsSentWithItsLengthInUtf8() {
        put(
                RedisKeys.recommendations("c1"),
                list(
                        "c1",
                        scored("pé€", 0.9, "similar_to:ü"),
                        scored("p2", 0.45, "bought_with:y")));
        put(RedisKeys.recommendations("c2"), list("c2", scored("p😀", 0.9, "r😀")));
        trending("t1");

        asStorefront(
                app(store),
                (server, client) -> {
                    for (String customer : List.of("c1", "c2", "anon-1")) {
                        var response = client.get("/v1/recommendations?customer=" + customer);
                        assertThat(response.code()).isEqualTo(200);
                        assertThat(response.header("Content-Type")).isEqualTo("application/json");
                        assertThat(response.header("Transfer-Encoding")).isNull();
                        byte[] bytes = response.body().bytes();
                        assertThat(response.header("Content-Length"))
                                .isEqualTo(Integer.toString(bytes.length));
                        JsonNode body = io.shopkeeper.schemas.EventCodec.mapper().readTree(bytes);
                        assertThat(body.get("customer").asText()).isEqualTo(customer);
                        if (customer.equals("c1")) {
                            assertThat(itemIds(body)).startsWith("pé€", "p2");
                            assertThat(body.get("items").get(0).get("reason").asText())
                                    .isEqualTo("similar_to:ü");
                        }
                        if (customer.equals("c2")) {
                            assertThat(itemIds(body)).startsWith("p😀");
                            assertThat(body.get("items").get(0).get("reason").asText())
                                    .isEqualTo("r😀");
                        }
                    }
                });
    }

    @Test
    void knownVisitorGetsPersonalizedListWithStoredReasons() {
        put(
                RedisKeys.recommendations("c1"),
                list(
                        "c1",
                        scored("p1", 0.9, "viewed_together:x"),
                        scored("p2", 0.45, "bought_with:y")));
        trending("t1");

        asStorefront(
                app(store),
                (server, client) -> {
                    JsonNode body = body(client.get("/v1/recommendations?customer=c1&n=2"));
                    assertThat(body.get("strategy").asText()).isEqualTo("personalized");
                    assertThat(itemIds(body)).containsExactly("p1", "p2");
                    assertThat(body.get("items").get(0).get("score").asDouble()).isEqualTo(1.0);
                    assertThat(body.get("items").get(1).get("score").asDouble()).isEqualTo(0.5);
                    assertThat(body.get("items").get(1).get("reason").asText())
                            .isEqualTo("bought_with:y");
                });
    }

    @Test
    void productPageBlendsSimilarItemsAndNeverRecommendsTheItemOnScreen() {
        // The visitor's list predates the view of "shoe-1" and even contains it.
        put(
                RedisKeys.recommendations("c1"),
                list("c1", scored("shoe-1", 1.0), scored("hat-1", 0.8), scored("sock-1", 0.5)));
        put(
                RedisKeys.similarItems("shoe-1"),
                list(
                        "shoe-1",
                        scored("shoe-2", 0.9, "similar_to:shoe-1"),
                        scored("sock-1", 0.9, "similar_to:shoe-1")));

        asStorefront(
                app(store),
                (server, client) -> {
                    JsonNode body =
                            body(
                                    client.get(
                                            "/v1/recommendations?customer=c1&context=product&item=shoe-1"));
                    assertThat(body.get("strategy").asText()).isEqualTo("personalized+similar");
                    assertThat(itemIds(body)).doesNotContain("shoe-1").contains("shoe-2", "hat-1");
                    // Proposed by both sources, so it ranks first.
                    assertThat(itemIds(body).get(0)).isEqualTo("sock-1");
                    assertThat(body.get("items").get(0).get("reason").asText())
                            .isEqualTo("similar_to:shoe-1");
                });
    }

    @Test
    void newVisitorOnProductPageGetsSimilarItemsThenTrending() {
        put(
                RedisKeys.similarItems("shoe-1"),
                list("shoe-1", scored("shoe-2", 3), scored("shoe-3", 1)));
        trending("shoe-1", "t1");

        asStorefront(
                app(store),
                (server, client) -> {
                    JsonNode body =
                            body(
                                    client.get(
                                            "/v1/recommendations?customer=anon-1&context=product&item=shoe-1&n=3"));
                    assertThat(body.get("strategy").asText()).isEqualTo("similar+trending");
                    assertThat(itemIds(body)).containsExactly("shoe-2", "shoe-3", "t1");
                    assertThat(body.get("items").get(2).get("score").asDouble())
                            .isLessThanOrEqualTo(body.get("items").get(1).get("score").asDouble());
                });
    }

    @Test
    void shortPersonalizedListIsFilledWithTrendingWithoutDuplicates() {
        put(RedisKeys.recommendations("c1"), list("c1", scored("p1", 2), scored("t1", 1)));
        trending("t1", "t2", "t3");

        asStorefront(
                app(store),
                (server, client) -> {
                    JsonNode body = body(client.get("/v1/recommendations?customer=c1&n=4"));
                    assertThat(body.get("strategy").asText()).isEqualTo("personalized+trending");
                    assertThat(itemIds(body)).containsExactly("p1", "t1", "t2", "t3");
                });
    }

    @Test
    void categoryTrendingComesBeforeOverallTrending() {
        put(RedisKeys.trendingInCategory("shoes"), list("shoes", scored("shoe-9", 4)));
        trending("t1", "shoe-9");

        asStorefront(
                app(store),
                (server, client) -> {
                    JsonNode body =
                            body(
                                    client.get(
                                            "/v1/recommendations?customer=anon-1&context=search&category=shoes"));
                    assertThat(itemIds(body)).containsExactly("shoe-9", "t1");
                    assertThat(body.get("items").get(0).get("reason").asText())
                            .isEqualTo("trending_in:shoes");
                    assertThat(body.get("strategy").asText()).isEqualTo("trending");
                });
    }

    @Test
    void answerHoldsAtMostNItems() {
        trending("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11", "t12");

        asStorefront(
                app(store),
                (server, client) -> {
                    assertThat(itemIds(body(client.get("/v1/recommendations?customer=c1"))))
                            .hasSize(10);
                    assertThat(itemIds(body(client.get("/v1/recommendations?customer=c1&n=3"))))
                            .containsExactly("t1", "t2", "t3");
                });
    }

    @Test
    void everyAnswerHasAFreshRecommendationIdNamingItsContextAndStrategy() {
        trending("t1");

        asStorefront(
                app(store),
                (server, client) -> {
                    List<String> ids = new ArrayList<>();
                    for (PageContext page : PageContext.values()) {
                        String context = page.wireName();
                        JsonNode answer =
                                body(
                                        client.get(
                                                "/v1/recommendations?customer=c1&item=t9&context="
                                                        + context));
                        String id = answer.get("recommendationId").asText();
                        ids.add(id);
                        // The job counts the answer's impressions and clicks from the id alone.
                        assertThat(RecommendationIds.parse(id))
                                .isEqualTo(
                                        new RecommendationIds.Parsed(
                                                context, answer.get("strategy").asText()));
                        assertThat(UUID.fromString(id.substring(0, 36)).version()).isEqualTo(4);
                    }
                    assertThat(ids).doesNotHaveDuplicates();
                });
    }

    @Test
    void emptyStoreGivesEmptyListNotAnError() {
        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.get("/v1/recommendations?customer=c1");
                    assertThat(response.code()).isEqualTo(200);
                    JsonNode body = body(response);
                    assertThat(body.get("items")).isEmpty();
                    assertThat(body.get("strategy").asText()).isEqualTo("none");
                });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "customer=c1&n=0         | n must be between 1 and 100",
                "customer=c1&n=101       | n must be between 1 and 100",
                "customer=c1&n=abc       | n must be an integer; got 'abc'",
                "customer=c1&context=bogus | context must be one of home, product, cart, search",
                "customer=c1&context=HOME | context must be one of home, product, cart, search",
                "customer=c1&offers=yes  | offers must be true or false",
                "n=5                     | customer is required",
                "customer=               | customer must not be blank",
                "customer=c1&item=       | item must not be blank",
            })
    void badParameterGets400NamingTheParameter(String query, String message) {
        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.get("/v1/recommendations?" + query);
                    assertThat(response.code()).isEqualTo(400);
                    JsonNode body = body(response);
                    assertThat(body.get("error").asText()).isEqualTo("bad_request");
                    assertThat(body.get("status").asInt()).isEqualTo(400);
                    assertThat(body.get("message").asText()).isEqualTo(message);
                });
    }

    @Test
    void unreachableRedisGives503JsonError() {
        var settings =
                new RedisRecommendationStore.Settings(
                        2,
                        0,
                        Duration.ofMillis(200),
                        Duration.ofMillis(200),
                        Duration.ofMillis(200));
        try (var down =
                RedisRecommendationStore.connect("127.0.0.1", EmbeddedRedis.freePort(), settings)) {
            asStorefront(
                    app(down),
                    (server, client) -> {
                        var response = client.get("/v1/recommendations?customer=c1");
                        assertThat(response.code()).isEqualTo(503);
                        JsonNode body = body(response);
                        assertThat(body.get("error").asText()).isEqualTo("service_unavailable");
                        assertThat(body.get("message").asText()).startsWith("redis is unavailable");
                    });
        }
    }
}
