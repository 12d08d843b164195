package io.shopkeeper.api.recommendations;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asStorefront;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.itemIds;
import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.Await;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.catalog.CatalogCache;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.XAddParams;

/**
 * {@code GET /v1/recommendations} per page context, with the rules and re-rankings, on a real Redis
 * holding what the job would have written (lists, profiles, the catalog hash and its change stream)
 * and a real {@link CatalogCache} following it.
 */
class RecommendationContextsRouteTest extends RedisTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final CatalogCache.Settings FAST =
            new CatalogCache.Settings(100, Duration.ofMillis(50), 1000, 1, Duration.ofMillis(50));

    private static void catalog(
            String id, String category, double price, double listPrice, boolean inStock) {
        ItemInfo info = new ItemInfo();
        info.setItemId(id);
        info.setCategoryId(category);
        info.setPrice(price);
        info.setListPrice(listPrice);
        info.setInStock(inStock);
        redis.hset(RedisKeys.CATALOG, id, EventCodec.encodeToString(info));
        redis.xadd(
                RedisKeys.CATALOG_CHANGES,
                XAddParams.xAddParams()
                        .maxLen(RedisKeys.CATALOG_CHANGES_KEPT)
                        .approximateTrimming(),
                Map.of("item", id));
    }

    private static void catalog(String id, String category) {
        catalog(id, category, 10, 10, true);
    }

    private static void trending(String key, String... items) {
        List<ScoredItem> scored = new ArrayList<>();
        for (int i = 0; i < items.length; i++) scored.add(scored(items[i], 10 - i));
        put(key, list(null, scored.toArray(ScoredItem[]::new)));
    }

    private static List<String> reasons(JsonNode body) {
        List<String> reasons = new ArrayList<>();
        body.get("items").forEach(item -> reasons.add(item.get("reason").asText()));
        return reasons;
    }

    private static JsonNode get(io.javalin.testtools.HttpClient client, String query) {
        var response = client.get("/v1/recommendations?" + query);
        assertThat(response.code()).isEqualTo(200);
        return body(response);
    }

    @Test
    void productPageBlendsSimilarAndBoughtTogetherAndDropsHiddenAndOutOfStockItems() {
        catalog("s1", "shoes");
        catalog("s2", "shoes", 10, 10, false);
        catalog("b1", "socks");
        put(
                RedisKeys.similarItems("shoe-1"),
                list("shoe-1", scored("s1", 0.9), scored("s2", 0.8), scored("h1", 0.7)));
        put(
                RedisKeys.boughtTogether("shoe-1"),
                list("shoe-1", scored("b1", 3, "bought_together:shoe-1"), scored("shoe-1", 2)));
        var rules = RecommendationRules.parse("{\"hiddenItems\":[\"h1\"]}", "test");

        try (CatalogCache catalog = CatalogCache.start(redis, FAST)) {
            asStorefront(
                    app(store, catalog, rules),
                    (server, client) -> {
                        JsonNode body = get(client, "customer=anon-1&context=product&item=shoe-1");
                        assertThat(itemIds(body)).containsExactly("s1", "b1");
                        assertThat(reasons(body))
                                .containsExactly("similar_to:shoe-1", "bought_together:shoe-1");
                        assertThat(body.get("strategy").asText())
                                .isEqualTo("similar+bought_together");
                    });
        }
    }

    @Test
    void cartPageRecommendsWhatIsBoughtWithTheCartsItemsNeverTheCartsItems() {
        put(RedisKeys.boughtTogether("k1"), list("k1", scored("a", 1), scored("k2", 0.9)));
        put(
                RedisKeys.boughtTogether("k2"),
                list("k2", scored("a", 0.5), scored("b", 1), scored("k1", 1)));
        trending(RedisKeys.trending(), "k1", "t1");

        asStorefront(
                app(store, io.shopkeeper.api.catalog.Catalog.EMPTY, RecommendationRules.defaults()),
                (server, client) -> {
                    JsonNode body = get(client, "customer=anon-1&context=cart&items=k1,k2");
                    assertThat(itemIds(body)).containsExactly("a", "b", "t1");
                    assertThat(reasons(body))
                            .containsExactly(
                                    "bought_together:k1", "bought_together:k2", "trending");
                    assertThat(body.get("strategy").asText()).isEqualTo("bought_together+trending");
                });
    }

    @Test
    void cartPageWithoutItemsUsesTheProfilesRecentCarts() {
        put(RedisKeys.profile("c1"), "{\"visitorId\":\"c1\",\"recentCarts\":[\"k2\"]}");
        put(RedisKeys.boughtTogether("k2"), list("k2", scored("b", 1), scored("k2", 1)));

        asStorefront(
                app(store, io.shopkeeper.api.catalog.Catalog.EMPTY, RecommendationRules.defaults()),
                (server, client) -> {
                    JsonNode body = get(client, "customer=c1&context=cart");
                    assertThat(itemIds(body)).containsExactly("b");
                    assertThat(reasons(body)).containsExactly("bought_together:k2");
                });
    }

    @Test
    void homePageIsPersonalizedByAffinityWithoutPurchasedItemsAndWithPinnedItemsFirst() {
        catalog("shoe-a", "shoes");
        catalog("hat-a", "hats");
        catalog("p-bought", "shoes");
        catalog("coffee-1", "coffee");
        put(
                RedisKeys.recommendations("c1"),
                list(
                        "c1",
                        scored("shoe-a", 1.0),
                        scored("p-bought", 0.95),
                        scored("hat-a", 0.9),
                        scored("coffee-1", 0.5)));
        put(
                RedisKeys.profile("c1"),
                """
                {"visitorId":"c1","purchasedItems":["p-bought","coffee-1"],"categoryAffinity":{"hats":5.0,"shoes":1.0},
                 "priceSensitive":{"score":0.1,"flagged":false},"drifting":{"score":0.0,"flagged":false}}""");
        var rules =
                RecommendationRules.parse(
                        "{\"pinned\":{\"home\":[\"promo\"]},\"repurchasableCategories\":[\"coffee\"]}",
                        "test");

        try (CatalogCache catalog = CatalogCache.start(redis, FAST)) {
            asStorefront(
                    app(store, catalog, rules),
                    (server, client) -> {
                        JsonNode body = get(client, "customer=c1&context=home");
                        // hat-a 0.9 x (1 + 0.5) = 1.35; shoe-a 1.0 x (1 + 0.5 x 0.2) = 1.1;
                        // coffee-1 bought but repurchasable.
                        assertThat(itemIds(body))
                                .containsExactly("promo", "hat-a", "shoe-a", "coffee-1");
                        assertThat(reasons(body))
                                .containsExactly(
                                        "pinned", "personalized", "personalized", "personalized");
                        assertThat(body.get("items").get(1).get("score").asDouble())
                                .isEqualTo(1.35);
                        assertThat(body.get("strategy").asText())
                                .isEqualTo("personalized+affinity+pinned");
                    });
        }
    }

    @Test
    void searchPageShowsTrendingInTheQuerysCategoryAndFiltersOtherCategories() {
        catalog("s1", "shoes");
        catalog("s2", "shoes");
        catalog("s3", "shoes");
        catalog("h1", "hats");
        trending(RedisKeys.trendingInCategory("shoes"), "s1", "s2");
        trending(RedisKeys.trending(), "h1", "t1", "s3");

        try (CatalogCache catalog = CatalogCache.start(redis, FAST)) {
            asStorefront(
                    app(store, catalog, RecommendationRules.defaults()),
                    (server, client) -> {
                        JsonNode body =
                                get(client, "customer=anon-1&context=search&category=shoes");
                        assertThat(itemIds(body)).containsExactly("s1", "s2", "t1", "s3");
                        assertThat(reasons(body))
                                .containsExactly(
                                        "trending_in:shoes",
                                        "trending_in:shoes",
                                        "trending",
                                        "trending");
                    });
        }
    }

    @Test
    void itemIsDroppedOnceItsOutOfStockChangeArrives() {
        catalog("s1", "shoes");
        put(RedisKeys.similarItems("x"), list("x", scored("s1", 2), scored("s2", 1)));

        try (CatalogCache catalog = CatalogCache.start(redis, FAST)) {
            asStorefront(
                    app(store, catalog, RecommendationRules.defaults()),
                    (server, client) -> {
                        assertThat(itemIds(get(client, "customer=anon-1&context=product&item=x")))
                                .containsExactly("s1", "s2");

                        catalog("s1", "shoes", 10, 10, false);

                        Await.until(
                                "s1 to be dropped",
                                WAIT,
                                () ->
                                        itemIds(
                                                        get(
                                                                client,
                                                                "customer=anon-1&context=product&item=x"))
                                                .equals(List.of("s2")));
                    });
        }
    }

    @Test
    void priceSensitiveVisitorGetsDiscountedItemsFirst() {
        catalog("seen", "shoes", 50, 50, true);
        catalog("full", "shoes", 50, 50, true);
        catalog("sale", "shoes", 40, 50, true);
        catalog("pricey", "shoes", 200, 200, true);
        var ranked = list("x", scored("full", 1.0), scored("pricey", 0.95), scored("sale", 0.7));
        put(RedisKeys.recommendations("saver"), ranked);
        put(RedisKeys.recommendations("spender"), ranked);
        put(
                RedisKeys.profile("saver"),
                "{\"recentViews\":[\"seen\"],\"priceSensitive\":{\"score\":0.8,\"flagged\":true}}");
        put(
                RedisKeys.profile("spender"),
                "{\"recentViews\":[\"seen\"],\"priceSensitive\":{\"score\":0.1,\"flagged\":false}}");

        try (CatalogCache catalog = CatalogCache.start(redis, FAST)) {
            asStorefront(
                    app(store, catalog, RecommendationRules.defaults()),
                    (server, client) -> {
                        JsonNode saver = get(client, "customer=saver");
                        // sale 0.7 x 1.7 = 1.19; full 1.0; pricey 0.95 x 0.5 (4x their typical
                        // price of 50).
                        assertThat(itemIds(saver)).containsExactly("sale", "full", "pricey");
                        assertThat(saver.get("strategy").asText())
                                .isEqualTo("personalized+price_aware");
                        assertThat(itemIds(get(client, "customer=spender")))
                                .containsExactly("full", "pricey", "sale");
                    });
        }
    }

    @Test
    void driftingVisitorGetsBroadenedResults() {
        for (String id : List.of("s1", "s2", "s3")) catalog(id, "shoes");
        catalog("g1", "games");
        catalog("g2", "games");
        put(
                RedisKeys.similarItems("x"),
                list("x", scored("s1", 3), scored("s2", 2), scored("s3", 1)));
        trending(RedisKeys.trending(), "g1", "g2", "t1");
        put(
                RedisKeys.profile("wanderer"),
                """
                {"categoryAffinity":{"games":2.0},"drifting":{"score":0.7,"flagged":true,"reasons":["wandering_across_categories"]}}""");

        try (CatalogCache catalog = CatalogCache.start(redis, FAST)) {
            asStorefront(
                    app(store, catalog, RecommendationRules.defaults()),
                    (server, client) -> {
                        assertThat(
                                        itemIds(
                                                get(
                                                        client,
                                                        "customer=steady&context=product&item=x&n=6")))
                                .containsExactly("s1", "s2", "s3", "g1", "g2", "t1");

                        JsonNode body = get(client, "customer=wanderer&context=product&item=x&n=6");
                        // Trending in the games they touched mixed in above the (halved) similar
                        // items, 2 shoes at most
                        // before the backfill.
                        assertThat(itemIds(body))
                                .containsExactly("g1", "g2", "s1", "s2", "t1", "s3");
                        assertThat(reasons(body).subList(0, 2))
                                .containsExactly("trending_in:games", "trending_in:games");
                        assertThat(body.get("strategy").asText())
                                .isEqualTo("similar+trending+affinity+broadened+diversified");
                    });
        }
    }

    @Test
    void badItemsParameterGets400() {
        asStorefront(
                app(store),
                (server, client) -> {
                    var response =
                            client.get("/v1/recommendations?customer=c1&context=cart&items=a,,b");
                    assertThat(response.code()).isEqualTo(400);
                    assertThat(body(response).get("message").asText())
                            .isEqualTo(
                                    "items must be a comma-separated list of at most 20 non-blank ids of at most "
                                            + io.shopkeeper.api.http.Params.MAX_ID_LENGTH
                                            + " characters");
                });
    }
}
