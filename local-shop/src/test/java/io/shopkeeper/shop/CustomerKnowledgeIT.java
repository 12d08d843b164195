package io.shopkeeper.shop;

import static io.shopkeeper.jobs.testing.ShopEvents.T0;
import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.discountedLine;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.loggedIn;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageView;
import static io.shopkeeper.jobs.testing.ShopEvents.searched;
import static io.shopkeeper.jobs.testing.ShopEvents.sortedBy;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static io.shopkeeper.jobs.testing.ShopEvents.withCoupon;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.RedisKeys;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * "Know every customer" through the whole product: events into Kafka, the job, Redis, and the API's
 * profile, segment and deletion routes. The scenarios share one job, so they run in event-time
 * order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomerKnowledgeIT extends ShopTestBase {

    private static Instant day(int d) {
        return T0.plus(Duration.ofDays(d));
    }

    private static JsonNode awaitProfile(
            String visitor, java.util.function.Predicate<JsonNode> condition, String what) {
        return AwaitValue.until(
                what,
                TIMEOUT,
                () -> {
                    JsonNode profile = getJsonIfPresent("/v1/customers/" + visitor + "/profile");
                    return profile != null && condition.test(profile) ? profile : null;
                });
    }

    @Test
    @Order(1)
    void aLoyalRegularBuyingAtFullPriceIsLoyalAndNotPriceSensitive() {
        for (int order = 0; order < 4; order++) {
            Instant at = day(-80 + order * 20);
            String session = "s-loyal-" + order;
            send(pageView("cust-loyal", session, "home", at));
            send(viewed("cust-loyal", session, "tea-" + order, "tea", at.plusSeconds(30)));
            send(carted("cust-loyal", session, "tea-" + order, "tea", at.plusSeconds(90)));
            send(
                    ordered(
                            "cust-loyal",
                            session,
                            "o-loyal-" + order,
                            at.plusSeconds(200),
                            line("tea-" + order, "tea", 2, 12.0)));
        }
        JsonNode profile =
                awaitProfile(
                        "cust-loyal",
                        p -> p.path("orders").asInt() == 4,
                        "the loyal customer's four orders");
        assertThat(profile.path("lifecycle").asText()).isEqualTo("active");
        assertThat(profile.path("averageOrderValue").asDouble()).isEqualTo(24.0);
        assertThat(profile.path("repeatPurchaseRate").asDouble()).isEqualTo(0.75);
        assertThat(profile.path("priceSensitive").path("flagged").asBoolean()).isFalse();
        assertThat(textValues(profile.path("segments")))
                .contains("loyal")
                .doesNotContain("price_sensitive");
    }

    @Test
    @Order(2)
    void aBargainHunterIsFlaggedPriceSensitiveWithReasonsAndJoinsTheSegment() {
        for (int order = 0; order < 3; order++) {
            Instant at = T0.plus(Duration.ofHours(order));
            String session = "s-bargain-" + order;
            send(searched("cust-bargain", session, "coupon code", 4, at));
            send(sortedBy("cust-bargain", session, "price_asc", at.plusSeconds(10)));
            send(viewed("cust-bargain", session, "shoe-" + order, "shoes", at.plusSeconds(20)));
            send(
                    withCoupon(
                            ordered(
                                    "cust-bargain",
                                    session,
                                    "o-bargain-" + order,
                                    at.plusSeconds(300),
                                    discountedLine("shoe-" + order, "shoes", 1, 30.0, 60.0)),
                            "SAVE50",
                            30.0));
        }
        JsonNode profile =
                awaitProfile(
                        "cust-bargain",
                        p ->
                                p.path("orders").asInt() == 3
                                        && p.path("priceSensitive").path("flagged").asBoolean(),
                        "the bargain hunter's three orders and the price-sensitive flag");
        assertThat(profile.path("priceSensitive").path("reasons").size()).isPositive();
        assertThat(profile.path("priceSensitive").path("score").asDouble()).isBetween(0.5, 1.0);
        assertThat(profile.path("discountShare").asDouble()).isEqualTo(1.0);
        assertThat(profile.path("couponShare").asDouble()).isEqualTo(1.0);
        AwaitValue.until(
                "price_sensitive segment membership",
                TIMEOUT,
                () ->
                        redis.sismember(RedisKeys.segmentMembers("price_sensitive"), "cust-bargain")
                                ? true
                                : null);
        JsonNode segments = getJson("/v1/segments");
        assertThat(segments.path("segments").findValuesAsText("name"))
                .contains("vip", "price_sensitive", "drifting_now", "at_risk");
    }

    @Test
    @Order(3)
    void aVisitorWanderingAcrossCategoriesIsDriftingUntilTheyAddToCart() {
        Instant start = T0.plus(Duration.ofHours(5));
        String[] categories = {
            "garden", "toys", "books", "audio", "kitchen", "sports", "beauty", "auto", "pets",
            "office"
        };
        for (int i = 0; i < categories.length; i++) {
            send(viewed("anon-lost", "s-lost", "w-" + i, categories[i], start.plusSeconds(i * 8L)));
            if (i % 3 == 0)
                send(
                        searched(
                                "anon-lost",
                                "s-lost",
                                "thing " + i,
                                0,
                                start.plusSeconds(i * 8L + 4)));
        }
        JsonNode drifting =
                awaitProfile(
                        "anon-lost",
                        p -> p.path("drifting").path("flagged").asBoolean(),
                        "the wanderer flagged drifting");
        assertThat(drifting.path("drifting").path("reasons").size()).isPositive();
        assertThat(drifting.path("drifting").path("onSince").asLong()).isPositive();

        send(carted("anon-lost", "s-lost", "w-9", "office", start.plusSeconds(120)));
        awaitProfile(
                "anon-lost",
                p -> !p.path("drifting").path("flagged").asBoolean(),
                "the drifting flag switched off by a cart");
    }

    @Test
    @Order(4)
    void anonymousHistoryFollowsTheVisitorIntoTheirCustomerProfileAndTheCookieStillWorks() {
        Instant start = T0.plus(Duration.ofHours(6));
        send(viewed("anon-cookie", "s-id", "cam-1", "cameras", start));
        send(viewed("anon-cookie", "s-id", "cam-2", "cameras", start.plusSeconds(20)));
        awaitProfile(
                "anon-cookie", p -> p.path("recentViews").size() == 2, "the anonymous profile");

        send(loggedIn("anon-cookie", "cust-stitched", "s-id", start.plusSeconds(40)));
        send(viewed("anon-cookie", "s-id", "cam-3", "cameras", start.plusSeconds(60)));

        JsonNode customer =
                awaitProfile(
                        "cust-stitched",
                        p -> p.path("recentViews").size() == 3,
                        "the customer profile with all three views");
        assertThat(textValues(customer.path("recentViews")))
                .containsExactly("cam-3", "cam-2", "cam-1");
        assertThat(textValues(customer.path("anonymousIds"))).containsExactly("anon-cookie");
        AwaitValue.until(
                "alias of the cookie", TIMEOUT, () -> redis.get(RedisKeys.alias("anon-cookie")));
        JsonNode viaCookie = getJson("/v1/customers/anon-cookie/profile");
        assertThat(viaCookie.path("visitorId").asText()).isEqualTo("cust-stitched");
        assertThat(viaCookie.path("events").asInt()).isEqualTo(customer.path("events").asInt());
    }

    /**
     * The storefront's next view reaches Kafka before the login (it is keyed by the cookie, the
     * login by the customer: two partitions read at their own pace), though it happened after it.
     * The view lives in the customer's profile once, and the cookie's profile stays retired.
     */
    @Test
    @Order(5)
    void aViewReadBeforeTheLoginThatPrecededItEndsInTheCustomerProfileOnce() {
        Instant start = T0.plus(Duration.ofHours(6)).plusSeconds(600);
        send(viewed("anon-early", "s-early", "lens-1", "cameras", start));
        awaitProfile("anon-early", p -> p.path("recentViews").size() == 1, "the cookie's profile");

        send(viewed("anon-early", "s-early", "lens-2", "cameras", start.plusSeconds(60)));
        send(loggedIn("anon-early", "cust-early", "s-early", start.plusSeconds(40)));

        JsonNode customer =
                awaitProfile(
                        "cust-early",
                        p -> p.path("recentViews").size() == 2,
                        "the customer profile with both views");
        assertThat(textValues(customer.path("recentViews"))).containsExactly("lens-2", "lens-1");
        AwaitValue.until(
                "alias of the cookie", TIMEOUT, () -> redis.get(RedisKeys.alias("anon-early")));
        assertThat(redis.exists(RedisKeys.profile("anon-early")))
                .as("the cookie's profile is not created again by the view")
                .isFalse();
        assertThat(getJson("/v1/customers/anon-early/profile").path("visitorId").asText())
                .isEqualTo("cust-early");
    }

    @Test
    @Order(6)
    void forgettingACustomerRemovesEveryRedisKeyAboutThem() {
        Instant start = T0.plus(Duration.ofHours(7));
        send(viewed("anon-forget", "s-f", "lamp-1", "lamps", start));
        send(loggedIn("anon-forget", "cust-forget", "s-f", start.plusSeconds(10)));
        send(viewed("cust-forget", "s-f", "lamp-2", "lamps", start.plusSeconds(20)));
        send(
                ordered(
                        "cust-forget",
                        "s-f",
                        "o-f",
                        start.plusSeconds(60),
                        line("lamp-2", "lamps", 1, 40.0)));
        awaitProfile(
                "cust-forget",
                p -> p.path("orders").asInt() == 1 && p.path("segments").size() > 0,
                "the profile to forget");
        AwaitValue.until(
                "recommendations to forget",
                TIMEOUT,
                () -> redis.get(RedisKeys.recommendations("cust-forget")));

        HttpResponse<String> deleted = request("DELETE", "/v1/customers/cust-forget", null);
        assertThat(deleted.statusCode()).isEqualTo(202);
        AwaitValue.until(
                "deletion confirmed",
                TIMEOUT,
                () -> {
                    JsonNode status = getJson("/v1/customers/cust-forget/deletion");
                    return status.path("status").asText().equals("done") ? status : null;
                });

        List<String> mentions =
                AwaitValue.until(
                        "no key about the customer left",
                        TIMEOUT,
                        () -> {
                            List<String> left = keysMentioning("cust-forget", "anon-forget");
                            return left.isEmpty() ? left : null;
                        });
        assertThat(mentions).isEmpty();
        assertThat(request("GET", "/v1/customers/cust-forget/profile", null).statusCode())
                .isEqualTo(404);
    }

    /**
     * Every key whose name or value (strings and sets) mentions one of the ids, except the deletion
     * confirmation.
     */
    private static List<String> keysMentioning(String... ids) {
        List<String> found = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().count(500));
            for (String key : page.getResult()) {
                if (key.startsWith(RedisKeys.forgotten(""))) continue;
                String type = redis.type(key);
                String content =
                        switch (type) {
                            case "string" -> key + " " + redis.get(key);
                            case "set" -> key + " " + redis.smembers(key);
                            default -> key;
                        };
                for (String id : ids) if (content.contains(id)) found.add(key);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return found;
    }

    private static List<String> textValues(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
