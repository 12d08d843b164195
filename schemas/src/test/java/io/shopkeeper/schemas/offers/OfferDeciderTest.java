package io.shopkeeper.schemas.offers;

import static io.shopkeeper.schemas.offers.OfferFixtures.T0;
import static io.shopkeeper.schemas.offers.OfferFixtures.bargainHunter;
import static io.shopkeeper.schemas.offers.OfferFixtures.campaign;
import static io.shopkeeper.schemas.offers.OfferFixtures.coupon;
import static io.shopkeeper.schemas.offers.OfferFixtures.message;
import static io.shopkeeper.schemas.offers.OfferFixtures.regular;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.offers.Decision.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferDeciderTest {
    private final OfferDecider decider =
            new OfferDecider(new Caps.Global(3, Duration.ofDays(7)), 0);
    private final Campaign bargain =
            campaign(
                    "bargain",
                    "left_at_price",
                    coupon(10),
                    "\"audience\":\"lifecycle != 'lapsed'\"");

    private List<OfferDecider.Result> decide(
            Map<String, Object> facts, List<Caps.Assigned> history, Campaign... campaigns) {
        return decider.decide(
                "cust-1", List.of(campaigns), facts, history, "left_at_price:i26", T0);
    }

    @Test
    void bargainHunterLeavingAtThePriceGetsTheCoupon() {
        var results = decide(bargainHunter(), List.of(), bargain);
        assertThat(results)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.decision().outcome()).isEqualTo(Outcome.SENT);
                            assertThat(r.decision().trigger()).isEqualTo("left_at_price:i26");
                            assertThat(r.offer().couponCode()).startsWith("SK-");
                            assertThat(r.offer().discountPercent()).isEqualTo(10.0);
                            assertThat(r.offer().expiresAt())
                                    .isEqualTo(T0.plus(Duration.ofDays(2)));
                            assertThat(r.offer().offerId()).isEqualTo(r.decision().offerId());
                        });
    }

    @Test
    void couponsGoOnlyToPriceSensitiveVisitorsUnlessAllowed() {
        assertThat(decide(regular(), List.of(), bargain))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.decision().outcome()).isEqualTo(Outcome.NOT_ELIGIBLE);
                            assertThat(r.decision().reason()).isEqualTo("full_price_customer");
                            assertThat(r.offer()).isNull();
                        });
        Campaign forAll =
                campaign(
                        "for-all", "left_at_price", coupon(10), "\"allowFullPriceCustomers\":true");
        assertThat(decide(regular(), List.of(), forAll).get(0).decision().outcome())
                .isEqualTo(Outcome.SENT);
        Campaign note = campaign("note", "left_at_price", message("Need help?"), "");
        assertThat(decide(regular(), List.of(), note).get(0).decision().outcome())
                .isEqualTo(Outcome.SENT);
    }

    @Test
    void audienceDecidesEligibility() {
        var lapsed = bargainHunter();
        lapsed.put("lifecycle", "lapsed");
        assertThat(decide(lapsed, List.of(), bargain).get(0).decision().reason())
                .isEqualTo("audience");
    }

    @Test
    void campaignCapAndGlobalCapCountEarlierAssignments() {
        long day = Duration.ofDays(1).toMillis();
        var oneBargainYesterday = List.of(new Caps.Assigned("bargain", T0.toEpochMilli() - day));
        assertThat(decide(bargainHunter(), oneBargainYesterday, bargain).get(0).decision().reason())
                .isEqualTo("campaign_cap");
        var eightDaysAgo = List.of(new Caps.Assigned("bargain", T0.toEpochMilli() - 8 * day));
        assertThat(decide(bargainHunter(), eightDaysAgo, bargain).get(0).decision().outcome())
                .isEqualTo(Outcome.SENT);

        var threeOthers = new ArrayList<Caps.Assigned>();
        for (int i = 1; i <= 3; i++)
            threeOthers.add(new Caps.Assigned("other-" + i, T0.toEpochMilli() - i * day));
        assertThat(decide(bargainHunter(), threeOthers, bargain).get(0).decision().reason())
                .isEqualTo("global_cap");
    }

    @Test
    void theHighestPriorityEligibleCampaignTakesTheMomentTheOthersAreCapped() {
        Campaign high = campaign("high", "left_at_price", message("high"), "\"priority\":90");
        Campaign low = campaign("low", "left_at_price", message("low"), "\"priority\":10");
        Campaign couponHigher =
                campaign("coupon-top", "left_at_price", coupon(5), "\"priority\":100");
        // The coupon outranks both but a regular is not eligible for it: "high" takes the moment.
        var results = decide(regular(), List.of(), low, couponHigher, high);
        assertThat(results)
                .extracting(
                        r ->
                                r.decision().campaignId()
                                        + ":"
                                        + r.decision().outcome().wireName()
                                        + ":"
                                        + r.decision().reason())
                .containsExactly(
                        "coupon-top:not_eligible:full_price_customer",
                        "high:sent:left_at_price",
                        "low:capped:lower_priority");
    }

    @Test
    void heldOutVisitorsGetTheWouldHaveSentOfferRecordedButFlaggedHeldOut() {
        Campaign half = campaign("half", "left_at_price", message("hi"), "\"holdoutPercent\":50");
        int held = 0;
        for (int i = 0; i < 2000; i++) {
            var r = decider.decide("v" + i, List.of(half), regular(), List.of(), "t", T0).get(0);
            assertThat(r.offer()).isNotNull();
            if (r.decision().outcome() == Outcome.HELD_OUT) {
                held++;
                assertThat(r.decision().reason()).isEqualTo("holdout");
                assertThat(Holdout.isHeldOut("half", "v" + i, 50)).isTrue();
            }
        }
        assertThat(held).isBetween(900, 1100);

        OfferDecider everyoneHeld = new OfferDecider(Caps.Global.NONE, 100);
        assertThat(
                        everyoneHeld
                                .decide("v1", List.of(half), regular(), List.of(), "t", T0)
                                .get(0)
                                .decision()
                                .reason())
                .isEqualTo("global_holdout");
    }

    @Test
    void campaignsNotLiveOrOutsideTheirDatesAreNotConsidered() {
        Campaign paused = bargain.withStatus(Campaign.Status.PAUSED);
        assertThat(decide(bargainHunter(), List.of(), paused)).isEmpty();
        Campaign later =
                campaign(
                        "later",
                        "left_at_price",
                        message("m"),
                        "\"startsAt\":\"2026-12-01T00:00:00Z\"");
        Campaign over =
                campaign(
                        "over",
                        "left_at_price",
                        message("m"),
                        "\"endsAt\":\"2026-11-01T00:00:00Z\"");
        assertThat(decide(bargainHunter(), List.of(), later, over)).isEmpty();
    }

    @Test
    void theSameMomentDecidedTwiceGivesTheSameOfferAndASecondOneInTheWindowADifferentId() {
        String first = decide(bargainHunter(), List.of(), bargain).get(0).offer().offerId();
        assertThat(decide(bargainHunter(), List.of(), bargain).get(0).offer().offerId())
                .isEqualTo(first);

        Campaign twice =
                campaign(
                        "twice",
                        "left_at_price",
                        message("m"),
                        "\"cap\":{\"perCustomer\":2,\"per\":\"P7D\"}");
        var a = decide(bargainHunter(), List.of(), twice).get(0);
        var b =
                decide(
                                bargainHunter(),
                                List.of(new Caps.Assigned("twice", T0.toEpochMilli() - 1000)),
                                twice)
                        .get(0);
        assertThat(b.decision().outcome()).isEqualTo(Outcome.SENT);
        assertThat(b.offer().offerId()).isNotEqualTo(a.offer().offerId());
    }
}
