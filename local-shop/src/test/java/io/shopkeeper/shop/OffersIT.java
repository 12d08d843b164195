package io.shopkeeper.shop;

import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.discountedLine;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageLeft;
import static io.shopkeeper.jobs.testing.ShopEvents.pageView;
import static io.shopkeeper.jobs.testing.ShopEvents.recommendationSeen;
import static io.shopkeeper.jobs.testing.ShopEvents.searched;
import static io.shopkeeper.jobs.testing.ShopEvents.sortedBy;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static io.shopkeeper.jobs.testing.ShopEvents.withCoupon;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.EventCodec;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 end to end: campaigns created through the API reach the running job over the {@code
 * campaigns} topic; the job decides on the events in Kafka; the API serves the coupons, the
 * decision history and the campaign's results from what the job wrote to Redis; recommendations
 * served by the API, shown, clicked and followed by an order are counted for their strategy.
 */
class OffersIT extends ShopTestBase {
    /** Offers expire (validFor) on the wall clock the API reads: the scenario happens today. */
    private static final Instant T =
            Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));

    private static final String BARGAIN =
            "{\"id\":\"bargain-coupon\",\"name\":\"Coupon when a bargain hunter leaves at the price\","
                    + "\"trigger\":{\"type\":\"left_at_price\"},"
                    + "\"offer\":{\"kind\":\"coupon\",\"discountPercent\":10,\"validFor\":\"P2D\","
                    + "\"message\":\"10% off today\"},\"channel\":\"onsite\","
                    + "\"cap\":{\"perCustomer\":1,\"per\":\"P7D\"},\"holdoutPercent\":0,"
                    + "\"conversionWindow\":\"P7D\",\"priority\":50,\"status\":\"live\"}";
    private static final String REMINDER =
            "{\"id\":\"cart-reminder\",\"name\":\"Cart reminder\","
                    + "\"trigger\":{\"type\":\"cart_abandoned\",\"after\":\"PT10M\"},"
                    + "\"offer\":{\"kind\":\"message\",\"message\":\"Your cart is waiting\"},"
                    + "\"channel\":\"onsite\",\"holdoutPercent\":0,\"priority\":10,"
                    + "\"status\":\"live\"}";

    private static Instant at(Duration d) {
        return T.plus(d);
    }

    @Test
    void campaignsActOnLiveEventsAndTheirResultsAreServed() {
        for (String campaign : List.of(BARGAIN, REMINDER)) {
            HttpResponse<String> created = request("POST", "/v1/campaigns", campaign);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        awaitCampaignsLiveInEveryDecisionSubtask(at(Duration.ZERO));

        // A bargain hunter (coupon searches, cheapest first, discounted orders) and a regular
        // both look at a product and leave at its price.
        for (int s = 0; s < 3; s++) {
            Instant at = at(Duration.ofMinutes(40L * s));
            String session = "s-bh-" + s;
            send(searched("cust-bh", session, "coupon code", 4, at));
            send(sortedBy("cust-bh", session, "price_asc", at.plusSeconds(10)));
            send(viewed("cust-bh", session, "shoe-" + s, "shoes", at.plusSeconds(20)));
            // On to the checkout (the order travels on another topic and may come later).
            send(pageView("cust-bh", session, "checkout", at.plusSeconds(200)));
            send(
                    withCoupon(
                            ordered(
                                    "cust-bh",
                                    session,
                                    "o-bh-" + s,
                                    at.plusSeconds(300),
                                    discountedLine("shoe-" + s, "shoes", 1, 30.0, 60.0)),
                            "SAVE50",
                            30.0));
        }
        send(viewed("cust-bh", "s-bh-3", "i26", "shoes", at(Duration.ofHours(2))));
        send(pageLeft("cust-bh", "s-bh-3", at(Duration.ofHours(2)).plusSeconds(4)));
        send(
                ordered(
                        "cust-reg",
                        "s-reg-0",
                        "o-reg-0",
                        at(Duration.ZERO),
                        line("t1", "tea", 1, 20)));
        send(viewed("cust-reg", "s-reg-1", "i26", "shoes", at(Duration.ofHours(2))));
        send(pageLeft("cust-reg", "s-reg-1", at(Duration.ofHours(2)).plusSeconds(4)));

        JsonNode coupon =
                AwaitValue.until(
                        "the bargain hunter's coupon",
                        TIMEOUT,
                        () -> {
                            JsonNode offers = getJson("/v1/offers?customer=cust-bh").path("offers");
                            return offers.size() > 0 ? offers.get(0) : null;
                        });
        assertThat(coupon.path("campaignId").asText()).isEqualTo("bargain-coupon");
        assertThat(coupon.path("couponCode").asText()).startsWith("SK-");
        assertThat(coupon.path("reason").asText()).isEqualTo("left_at_price:i26");
        JsonNode regular = awaitHistory("cust-reg");
        assertThat(regular.get(0).path("outcome").asText()).isEqualTo("not_eligible");
        assertThat(regular.get(0).path("reason").asText()).isEqualTo("full_price_customer");
        assertThat(getJson("/v1/offers?customer=cust-reg").path("offers").size()).isZero();

        // A cart abandoner and a buyer; later traffic moves event time past the reminder's delay.
        send(carted("cust-away", "s-away", "i7", "shoes", at(Duration.ofHours(3))));
        send(carted("cust-buyer", "s-buy", "i8", "shoes", at(Duration.ofHours(3))));
        send(
                ordered(
                        "cust-buyer",
                        "s-buy",
                        "o-buy",
                        at(Duration.ofHours(3)).plusSeconds(120),
                        line("i8", "shoes", 1, 40)));
        // The bargain hunter redeems the coupon.
        send(
                withCoupon(
                        ordered(
                                "cust-bh",
                                "s-bh-4",
                                "o-bh-coupon",
                                at(Duration.ofHours(3)),
                                discountedLine("i26", "shoes", 1, 54.0, 60.0)),
                        coupon.path("couponCode").asText(),
                        6.0));
        // Orders travel on their own topic: event time moves on only once the buyer's is in.
        AwaitValue.until(
                "the buyer's order in their profile",
                TIMEOUT,
                () -> {
                    JsonNode p = getJsonIfPresent("/v1/customers/cust-buyer/profile");
                    return p != null && p.path("orders").asInt() == 1 ? p : null;
                });
        int[] polls = {0};
        JsonNode reminder =
                AwaitValue.until(
                        "the cart abandoner's reminder",
                        TIMEOUT,
                        () -> {
                            if (polls[0]++ % 20 == 0)
                                for (String v : List.of("cust-clock-a", "cust-clock-b"))
                                    send(pageView(v, "s-" + v, "home", at(Duration.ofHours(4))));
                            JsonNode offers =
                                    getJson("/v1/offers?customer=cust-away").path("offers");
                            return offers.size() > 0 ? offers.get(0) : null;
                        });
        assertThat(reminder.path("message").asText()).isEqualTo("Your cart is waiting");
        assertThat(reminder.path("reason").asText()).isEqualTo("cart_abandoned");
        // The buyer is never reminded. (Their session may also end at the price by now, which the
        // bargain coupon records as not eligible: a full-price customer.)
        assertThat(getJson("/v1/customers/cust-buyer/offers/history").path("decisions"))
                .noneMatch(d -> d.path("campaignId").asText().equals("cart-reminder"))
                .allMatch(d -> !d.path("outcome").asText().equals("sent"));
        assertThat(getJson("/v1/offers?customer=cust-buyer").path("offers").size()).isZero();

        JsonNode results =
                AwaitValue.until(
                        "the redeemed coupon in the campaign's results",
                        TIMEOUT,
                        () -> {
                            // An order's counters are written one after the other: all in.
                            JsonNode r = getJson("/v1/campaigns/bargain-coupon/results");
                            return r.path("treated").path("conversions").asLong() == 1
                                            && r.path("treated").path("revenue").asDouble() != 0
                                            && r.path("discountGiven").asDouble() != 0
                                    ? r
                                    : null;
                        });
        assertThat(results.path("treated").path("visitors").asLong()).isEqualTo(1);
        assertThat(results.path("treated").path("revenue").asDouble()).isEqualTo(54.0);
        assertThat(results.path("discountGiven").asDouble()).isEqualTo(6.0);
        assertThat(results.path("notEligible").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void recommendationResultsCountWhatTheStorefrontShowedAndWhatItSold() {
        JsonNode answer =
                getJson("/v1/recommendations?customer=cust-rec&context=product&item=i26&n=3");
        String id = answer.path("recommendationId").asText();
        String strategy = answer.path("strategy").asText();
        Instant at = at(Duration.ofHours(1));
        // The storefront reports through the collector, with the answer's id; a forged id and an
        // id in the former plain form are valid events but count for nothing.
        String events =
                "["
                        + String.join(
                                ",",
                                EventCodec.encodeToString(
                                        recommendationSeen(
                                                "cust-rec", "s-rec", id, "i27", false, at)),
                                EventCodec.encodeToString(
                                        recommendationSeen(
                                                "cust-rec",
                                                "s-rec",
                                                id,
                                                "i27",
                                                true,
                                                at.plusSeconds(5))),
                                EventCodec.encodeToString(
                                        recommendationSeen(
                                                "cust-rec",
                                                "s-rec",
                                                UUID.randomUUID() + "~home~trending|clicks",
                                                "i27",
                                                true,
                                                at.plusSeconds(6))),
                                EventCodec.encodeToString(
                                        recommendationSeen(
                                                "cust-rec",
                                                "s-rec",
                                                UUID.randomUUID().toString(),
                                                "i27",
                                                true,
                                                at.plusSeconds(7))))
                        + "]";
        HttpResponse<String> collected = request("POST", "/v1/events", events);
        assertThat(collected.statusCode()).as(collected.body()).isEqualTo(202);
        String since = LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
        awaitRecommendationRow(since, strategy, r -> r.path("clicks").asLong() == 1);

        // Orders travel on their own topic: sent once the click is in, so it comes after it.
        send(ordered("cust-rec", "s-rec", "o-rec", at.plusSeconds(600), line("i27", "s", 1, 35.5)));
        // Each counter of a row is its own keyed sum written on its own (the row fills in field by
        // field): the order is in once both of its counters are.
        JsonNode row =
                awaitRecommendationRow(
                        since,
                        strategy,
                        r -> r.path("orders").asLong() == 1 && r.path("revenue").asDouble() != 0);
        assertThat(row.path("impressions").asLong()).isEqualTo(1);
        assertThat(row.path("clicks").asLong()).isEqualTo(1);
        assertThat(row.path("clickThroughRate").asDouble()).isEqualTo(1.0);
        assertThat(row.path("revenue").asDouble()).isEqualTo(35.5);
        assertThat(getJson("/v1/recommendations/results?since=" + since).path("strategies"))
                .hasSize(1);
    }

    /** The results row of {@code strategy} on product pages once {@code done} holds. */
    private static JsonNode awaitRecommendationRow(
            String since, String strategy, java.util.function.Predicate<JsonNode> done) {
        return AwaitValue.until(
                strategy + " on product pages in the recommendation results",
                TIMEOUT,
                () -> {
                    for (JsonNode r :
                            getJson("/v1/recommendations/results?since=" + since)
                                    .path("strategies")) {
                        if (r.path("strategy").asText().equals(strategy)
                                && r.path("context").asText().equals("product")
                                && done.test(r)) return r;
                    }
                    return null;
                });
    }

    private static JsonNode awaitHistory(String visitor) {
        return AwaitValue.until(
                visitor + "'s decisions",
                TIMEOUT,
                () -> {
                    JsonNode d =
                            getJson("/v1/customers/" + visitor + "/offers/history")
                                    .path("decisions");
                    return d.size() > 0 ? d : null;
                });
    }
}
