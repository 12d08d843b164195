package io.shopkeeper.api.offers;

import static io.shopkeeper.api.ApiFixtures.ADMIN_KEY;
import static io.shopkeeper.api.ApiFixtures.NOW;
import static io.shopkeeper.api.ApiFixtures.STOREFRONT_KEY;
import static io.shopkeeper.api.ApiFixtures.VISITOR_SECRET;
import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.asStorefront;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static io.shopkeeper.api.ApiFixtures.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.access.AccessGuard;
import io.shopkeeper.api.access.VisitorTokens;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.offers.Campaign.Channel;
import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.Decision.Outcome;
import io.shopkeeper.schemas.offers.Offer;
import io.shopkeeper.schemas.offers.RecommendationCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/offers}, {@code &offers=true} on recommendations, the offer history and the
 * recommendation results, on a real Redis seeded as the job writes it.
 */
class OffersRouteTest extends RedisTestBase {

    private static Offer offer(
            String id, String visitor, OfferKind kind, Instant created, Duration validFor) {
        return new Offer(
                id,
                visitor,
                "camp-" + id,
                1,
                kind,
                Channel.ONSITE,
                kind == OfferKind.COUPON ? "SK-" + id.toUpperCase() + "4X7KQ2M9" : null,
                kind == OfferKind.COUPON ? 10.0 : null,
                null,
                kind == OfferKind.MESSAGE ? "hello" : null,
                kind == OfferKind.RECOMMENDATIONS ? "Picked for you" : null,
                null,
                created,
                created.plus(validFor),
                "left_at_price:i26");
    }

    private static void store(Offer o) {
        redis.hset(RedisKeys.offers(o.visitorId()), o.offerId(), EventCodec.encodeToString(o));
    }

    private static io.javalin.Javalin offersApp() {
        return app(store, customers, EventPublisher.disabled("not needed"), offers);
    }

    @Test
    void activeOffersNewestFirstExpiredOnesLeftOut() {
        // What a storefront asks: with its own key.
        store(
                offer(
                        "a",
                        "cust-1",
                        OfferKind.COUPON,
                        NOW.minus(Duration.ofHours(2)),
                        Duration.ofDays(2)));
        store(
                offer(
                        "b",
                        "cust-1",
                        OfferKind.MESSAGE,
                        NOW.minus(Duration.ofHours(1)),
                        Duration.ofDays(1)));
        store(
                offer(
                        "old",
                        "cust-1",
                        OfferKind.COUPON,
                        NOW.minus(Duration.ofDays(3)),
                        Duration.ofDays(2)));
        redis.hset(RedisKeys.offers("cust-1"), "junk", "{not json");
        asStorefront(
                offersApp(),
                (server, client) -> {
                    JsonNode r = body(client.get("/v1/offers?customer=cust-1"));
                    assertThat(r.get("offers"))
                            .extracting(n -> n.get("offerId").asText())
                            .containsExactly("b", "a");
                    JsonNode coupon = r.get("offers").get(1);
                    // The storefront key alone does not prove who is asking: the code is masked.
                    assertThat(coupon.get("couponCode").asText()).isEqualTo("SK-*******M9");
                    assertThat(coupon.get("discountPercent").asDouble()).isEqualTo(10.0);
                    assertThat(coupon.get("kind").asText()).isEqualTo("coupon");
                    assertThat(coupon.get("campaignId").asText()).isEqualTo("camp-a");
                    assertThat(coupon.get("reason").asText()).isEqualTo("left_at_price:i26");
                    assertThat(coupon.get("expiresAt").asText())
                            .isEqualTo(NOW.plus(Duration.ofHours(46)).toString());

                    assertThat(body(client.get("/v1/offers?customer=nobody")).get("offers"))
                            .isEmpty();
                    assertThat(client.get("/v1/offers").code()).isEqualTo(400);
                    assertThat(client.get("/v1/offers?customer=" + "x".repeat(600)).code())
                            .isEqualTo(400);
                });
    }

    @Test
    void couponCodesInFullOnlyToTheVisitorsOwnPageOrTheAdminKey() {
        store(offer("a", "cust-1", OfferKind.COUPON, NOW.minusSeconds(60), Duration.ofDays(2)));
        String own = new VisitorTokens(VISITOR_SECRET).sign("cust-1");
        String someoneElses = new VisitorTokens(VISITOR_SECRET).sign("cust-2");
        withoutKey(
                offersApp(),
                (server, client) -> {
                    for (String path :
                            List.of(
                                    "/v1/offers?customer=cust-1",
                                    "/v1/recommendations?customer=cust-1&offers=true")) {
                        assertThat(code(client, path, STOREFRONT_KEY, null))
                                .isEqualTo("SK-*******M9");
                        assertThat(code(client, path, STOREFRONT_KEY, someoneElses))
                                .isEqualTo("SK-*******M9");
                        assertThat(code(client, path, STOREFRONT_KEY, "not-a-token"))
                                .isEqualTo("SK-*******M9");
                        assertThat(code(client, path, STOREFRONT_KEY, own))
                                .isEqualTo("SK-A4X7KQ2M9");
                        assertThat(code(client, path, ADMIN_KEY, null)).isEqualTo("SK-A4X7KQ2M9");
                    }
                });
    }

    /** The coupon code of the first offer {@code path} answers with this key and token. */
    private static String code(
            io.javalin.testtools.HttpClient client, String path, String key, String token) {
        var response =
                client.get(
                        path,
                        r -> {
                            r.header("Authorization", "Bearer " + key);
                            if (token != null) r.header(AccessGuard.VISITOR_TOKEN_HEADER, token);
                        });
        assertThat(response.code()).isEqualTo(200);
        return body(response).get("offers").get(0).get("couponCode").asText();
    }

    @Test
    void aStitchedCookieSeesTheCustomersOffersAndAGuidedListCarriesTheirItems() {
        put(RedisKeys.alias("anon-9"), "cust-9");
        store(
                offer(
                        "g",
                        "cust-9",
                        OfferKind.RECOMMENDATIONS,
                        NOW.minusSeconds(60),
                        Duration.ofDays(1)));
        put(
                RedisKeys.recommendations("cust-9"),
                list("cust-9", scored("i1", 0.9), scored("i2", 0.8)));
        asStorefront(
                offersApp(),
                (server, client) -> {
                    JsonNode r = body(client.get("/v1/offers?customer=anon-9"));
                    JsonNode g = r.get("offers").get(0);
                    assertThat(g.get("headline").asText()).isEqualTo("Picked for you");
                    assertThat(g.get("items"))
                            .extracting(JsonNode::asText)
                            .containsExactly("i1", "i2");
                });
    }

    @Test
    void recommendationsCarryTheOffersWhenAsked() {
        put(RedisKeys.recommendations("cust-1"), list("cust-1", scored("i1", 0.9)));
        store(offer("a", "cust-1", OfferKind.COUPON, NOW.minusSeconds(60), Duration.ofDays(2)));
        asStorefront(
                offersApp(),
                (server, client) -> {
                    JsonNode with =
                            body(client.get("/v1/recommendations?customer=cust-1&offers=true"));
                    assertThat(with.get("recommendationId").asText()).isNotBlank();
                    assertThat(with.get("items")).isNotEmpty();
                    assertThat(with.get("offers"))
                            .extracting(n -> n.get("offerId").asText())
                            .containsExactly("a");

                    JsonNode without = body(client.get("/v1/recommendations?customer=cust-1"));
                    assertThat(without.has("offers")).isFalse();
                    assertThat(
                                    body(client.get(
                                                    "/v1/recommendations?customer=cust-1&offers=false"))
                                            .has("offers"))
                            .isFalse();
                    assertThat(
                                    client.get("/v1/recommendations?customer=cust-1&offers=perhaps")
                                            .code())
                            .isEqualTo(400);
                });
    }

    @Test
    void historyListsEveryDecisionNewestFirst() {
        long t = NOW.toEpochMilli();
        for (Decision d :
                List.of(
                        new Decision(
                                "cust-1",
                                "bargain",
                                1,
                                Outcome.NOT_ELIGIBLE,
                                "full_price_customer",
                                "left_at_price:i1",
                                null,
                                t - 3000),
                        new Decision(
                                "cust-1",
                                "bargain",
                                1,
                                Outcome.SENT,
                                "left_at_price",
                                "left_at_price:i2",
                                "of_1",
                                t - 2000),
                        new Decision(
                                "cust-1",
                                "reminder",
                                2,
                                Outcome.CAPPED,
                                "global_cap",
                                "cart_abandoned",
                                null,
                                t - 1000))) {
            redis.zadd(RedisKeys.offerHistory("cust-1"), d.at(), EventCodec.encodeToString(d));
        }
        asAdmin(
                offersApp(),
                (server, client) -> {
                    JsonNode r = body(client.get("/v1/customers/cust-1/offers/history"));
                    assertThat(r.get("customer").asText()).isEqualTo("cust-1");
                    assertThat(r.get("decisions"))
                            .extracting(
                                    n -> n.get("outcome").asText() + ":" + n.get("reason").asText())
                            .containsExactly(
                                    "capped:global_cap",
                                    "sent:left_at_price",
                                    "not_eligible:full_price_customer");
                    assertThat(
                                    body(client.get("/v1/customers/cust-1/offers/history?n=1"))
                                            .get("decisions"))
                            .hasSize(1);
                    assertThat(
                                    body(client.get("/v1/customers/nobody/offers/history"))
                                            .get("decisions"))
                            .isEmpty();
                    assertThat(client.get("/v1/customers/cust-1/offers/history?n=0").code())
                            .isEqualTo(400);
                    assertThat(client.get("/v1/customers/cust-1/offers/history?n=101").code())
                            .isEqualTo(400);
                });
    }

    @Test
    void recommendationResultsSumDaysPerStrategyAndContext() {
        redis.hset(
                RedisKeys.recommendationResults("2026-11-22"),
                Map.of(
                        RecommendationCounters.field(
                                        "personalized+trending", "home", "impressions"),
                                "100",
                        RecommendationCounters.field("personalized+trending", "home", "clicks"),
                                "7",
                        RecommendationCounters.field("personalized+trending", "home", "orders"),
                                "2",
                        RecommendationCounters.field("personalized+trending", "home", "revenue"),
                                "59.9",
                        RecommendationCounters.field("similar", "product", "impressions"), "40"));
        redis.hset(
                RedisKeys.recommendationResults("2026-11-20"),
                Map.of(
                        RecommendationCounters.field(
                                "personalized+trending", "home", "impressions"),
                        "100",
                        RecommendationCounters.field("personalized+trending", "home", "clicks"),
                        "3"));
        redis.hset(
                RedisKeys.recommendationResults("2026-11-10"),
                Map.of(RecommendationCounters.field("similar", "product", "impressions"), "1000"));
        asAdmin(
                offersApp(),
                (server, client) -> {
                    JsonNode r = body(client.get("/v1/recommendations/results"));
                    assertThat(r.get("since").asText()).isEqualTo("2026-11-16");
                    assertThat(r.get("until").asText()).isEqualTo("2026-11-22");
                    JsonNode home = r.get("strategies").get(0);
                    assertThat(home.get("strategy").asText()).isEqualTo("personalized+trending");
                    assertThat(home.get("context").asText()).isEqualTo("home");
                    assertThat(home.get("impressions").asLong()).isEqualTo(200);
                    assertThat(home.get("clicks").asLong()).isEqualTo(10);
                    assertThat(home.get("clickThroughRate").asDouble()).isEqualTo(0.05);
                    assertThat(home.get("orders").asLong()).isEqualTo(2);
                    assertThat(home.get("revenue").asDouble()).isEqualTo(59.9);
                    JsonNode similar = r.get("strategies").get(1);
                    assertThat(similar.get("impressions").asLong()).isEqualTo(40);

                    JsonNode all = body(client.get("/v1/recommendations/results?since=2026-11-01"));
                    assertThat(all.get("strategies").get(1).get("impressions").asLong())
                            .isEqualTo(1040);

                    for (String bad : new String[] {"yesterday", "2026-11-23", "2026-01-01"}) {
                        var response = client.get("/v1/recommendations/results?since=" + bad);
                        assertThat(response.code()).as(bad).isEqualTo(400);
                        assertThat(body(response).get("message").asText()).startsWith("since must");
                    }
                });
    }
}
