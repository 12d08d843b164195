package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.offers.Campaign;
import io.shopkeeper.schemas.offers.CampaignCodec;
import io.shopkeeper.schemas.offers.Holdout;
import io.shopkeeper.schemas.offers.Offer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The decision benchmark's own logic: which probe ids it uses and which offer it waits for. */
class DecisionBenchmarkTest {
    private static final Instant AT = Instant.parse("2026-11-26T01:00:00Z");

    @Test
    void probeIdsAreOutsideTheCampaignsHoldoutAndTheGlobalOne() {
        List<String> ids = IntStream.range(0, 10_000).mapToObj(i -> "anon-probe-x-" + i).toList();
        List<String> kept =
                ids.stream()
                        .filter(
                                v ->
                                        DecisionBenchmark.isOutsideHoldouts(
                                                v, "bargain-coupon", 10, 5))
                        .toList();
        assertThat(kept)
                .noneMatch(v -> Holdout.isHeldOut("bargain-coupon", v, 10))
                .noneMatch(v -> Holdout.isHeldOut(Holdout.GLOBAL, v, 5));
        // Independent hashes: about 90% x 95% of the ids are kept.
        assertThat(kept.size()).isBetween(8_350, 8_750);
        assertThat(ids.stream().filter(v -> DecisionBenchmark.isOutsideHoldouts(v, "c", 0, 0)))
                .hasSize(ids.size());
    }

    @Test
    void aProbeWaitsForAnUnexpiredOfferOfItsCampaignForItsTrigger() {
        Campaign coupon = campaign("bargain-coupon", "P2D");
        Campaign other = campaign("regular-leaves-free-delivery", "P2D");
        String mine =
                json(
                        Offer.of(
                                "o1",
                                "anon-probe-1",
                                coupon,
                                "left_at_price:i26",
                                AT.minusSeconds(1)));
        String otherItem =
                json(
                        Offer.of(
                                "o2",
                                "anon-probe-1",
                                coupon,
                                "left_at_price:i27",
                                AT.minusSeconds(1)));
        String otherCampaign =
                json(
                        Offer.of(
                                "o3",
                                "anon-probe-1",
                                other,
                                "left_at_price:i26",
                                AT.minusSeconds(1)));

        assertThat(
                        DecisionBenchmark.hasOffer(
                                List.of(mine), "bargain-coupon", "left_at_price:i26", AT))
                .isTrue();
        assertThat(
                        DecisionBenchmark.hasOffer(
                                List.of("not json", otherCampaign, otherItem, mine),
                                "bargain-coupon",
                                "left_at_price:i26",
                                AT))
                .isTrue();
        assertThat(
                        DecisionBenchmark.hasOffer(
                                List.of(otherCampaign, otherItem),
                                "bargain-coupon",
                                "left_at_price:i26",
                                AT))
                .isFalse();
        // Expired offers are not served by the API, so they do not count.
        assertThat(
                        DecisionBenchmark.hasOffer(
                                List.of(mine),
                                "bargain-coupon",
                                "left_at_price:i26",
                                AT.plus(Duration.ofDays(3))))
                .isFalse();
        assertThat(DecisionBenchmark.hasOffer(null, "bargain-coupon", "left_at_price:i26", AT))
                .isFalse();
        assertThat(DecisionBenchmark.hasOffer(List.of(), "bargain-coupon", "left_at_price:i26", AT))
                .isFalse();
    }

    @Test
    void aProbeIsTriggeredOnceItsPathIsAppliedAndItIsFlaggedPriceSensitive() {
        assertThat(DecisionBenchmark.isFlaggedAfterPath(profile(3, true))).isTrue();
        assertThat(DecisionBenchmark.isFlaggedAfterPath(profile(4, true))).isTrue();
        assertThat(DecisionBenchmark.isFlaggedAfterPath(profile(2, true))).isFalse();
        assertThat(DecisionBenchmark.isFlaggedAfterPath(profile(3, false))).isFalse();
        assertThat(DecisionBenchmark.isFlaggedAfterPath(null)).isFalse();
        assertThat(DecisionBenchmark.isFlaggedAfterPath("{")).isFalse();
        // The trigger counts in the profile once it is applied: the path's events and one more.
        assertThat(DecisionBenchmark.isApplied(profile(4, true), 4)).isTrue();
        assertThat(DecisionBenchmark.isApplied(profile(3, true), 4)).isFalse();
        assertThat(DecisionBenchmark.isApplied(null, 4)).isFalse();
    }

    @Test
    void subtaskIsFlinksKeyGroupAssignment() {
        assertThat(
                        IntStream.range(0, 200)
                                .map(i -> DecisionBenchmark.subtask("anon-probe-" + i, 2))
                                .distinct()
                                .sorted()
                                .toArray())
                .containsExactly(0, 1);
    }

    private static String profile(long events, boolean flagged) {
        ProfileDocument p = new ProfileDocument();
        p.setEvents(events);
        p.setPriceSensitive(
                new ProfileDocument.Signal(
                        flagged ? 0.85 : 0.2,
                        flagged,
                        List.of("coupon_search", "sort_price_asc"),
                        flagged ? 1 : 0));
        return EventCodec.encodeToString(p);
    }

    private static Campaign campaign(String id, String validFor) {
        CampaignCodec.Result r =
                CampaignCodec.decode(
                        "{\"id\":\""
                                + id
                                + "\",\"name\":\"n\",\"trigger\":{\"type\":\"left_at_price\"},"
                                + "\"offer\":{\"kind\":\"coupon\",\"discountPercent\":10,\"validFor\":\""
                                + validFor
                                + "\"},\"status\":\"live\"}");
        assertThat(r.error()).isNull();
        return r.campaign();
    }

    private static String json(Offer o) {
        return EventCodec.encodeToString(o);
    }
}
