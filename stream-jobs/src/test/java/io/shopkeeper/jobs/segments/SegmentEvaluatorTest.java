package io.shopkeeper.jobs.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.schemas.ProfileDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.jexl3.JexlException;
import org.junit.jupiter.api.Test;

/**
 * {@link SegmentEvaluator#segmentsOf} remembers the segments per combination of the facts the
 * conditions name: whatever it remembered, it gives what running every condition gives.
 */
class SegmentEvaluatorTest {
    private static final String[] LIFECYCLES = {
        null, "new", "active", "at_risk", "lapsed", "won_back"
    };

    @Test
    void theDefaultsGiveWhatRunningEveryConditionGives() {
        SegmentEvaluator segments = SegmentEvaluator.defaults();
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            ProfileDocument profile = random(random);
            assertThat(segments.segmentsOf(profile))
                    .as("profile %d", i)
                    .isEqualTo(segments.evaluate(profile));
        }
        // six facts of a few values each: far fewer combinations than profiles
        assertThat(segments.remembered()).isBetween(1, 3_456);
    }

    /**
     * Conditions on facts of many values (doubles): more combinations than are remembered, so the
     * memory starts over, and nothing it held before answers for another combination.
     */
    @Test
    void conditionsOnContinuousFactsGiveWhatRunningThemGives() {
        SegmentEvaluator segments =
                new SegmentEvaluator(
                        List.of(
                                new SegmentDefinition("big", "", "spend > 250.5"),
                                new SegmentDefinition(
                                        "keen", "", "priceSensitivityScore >= 0.5 && !known"),
                                new SegmentDefinition("fresh", "", "tenureDays < 30"),
                                new SegmentDefinition("carts", "", "cartItems > 2"),
                                new SegmentDefinition(
                                        "mixed",
                                        "",
                                        "lifecycle == 'active' && (orders > 1 || spend > 90)")));
        Random random = new Random(5);
        boolean sawEachAnswer = false;
        for (int i = 0; i < 3 * SegmentEvaluator.MEMO_MAX; i++) {
            ProfileDocument profile = random(random);
            List<String> expected = segments.evaluate(profile);
            assertThat(segments.segmentsOf(profile)).as("profile %d", i).isEqualTo(expected);
            // asked again: from the memory this time
            assertThat(segments.segmentsOf(profile)).as("profile %d again", i).isEqualTo(expected);
            assertThat(segments.remembered()).isLessThanOrEqualTo(SegmentEvaluator.MEMO_MAX);
            sawEachAnswer |= expected.size() == 5;
        }
        assertThat(sawEachAnswer).isTrue();
    }

    /** A condition that fails for some facts fails each time they come back: no answer kept. */
    @Test
    void aFailingConditionFailsEveryTime() {
        SegmentEvaluator segments =
                new SegmentEvaluator(
                        List.of(
                                new SegmentDefinition("ok", "", "orders >= 0"),
                                new SegmentDefinition(
                                        "broken", "", "orders > 0 && 1 / (orders - orders) > 0")));
        ProfileDocument buyer = new ProfileDocument();
        buyer.setOrders(2);
        for (int i = 0; i < 3; i++)
            assertThatThrownBy(() -> segments.segmentsOf(buyer)).isInstanceOf(JexlException.class);
        ProfileDocument browser = new ProfileDocument();
        assertThat(segments.segmentsOf(browser)).containsExactly("ok");
        assertThat(segments.segmentsOf(browser)).containsExactly("ok");
    }

    /** What a caller gets is its own list: changing it changes nothing remembered. */
    @Test
    void theListReturnedIsTheCallersOwn() {
        SegmentEvaluator segments = SegmentEvaluator.defaults();
        ProfileDocument vip = new ProfileDocument();
        vip.setMonetaryScore(5);
        List<String> first = segments.segmentsOf(vip);
        first.add("changed");
        assertThat(segments.segmentsOf(vip)).containsExactly("vip");
    }

    private static ProfileDocument random(Random random) {
        ProfileDocument d = new ProfileDocument();
        d.setVisitorId("v" + random.nextInt(100));
        if (random.nextBoolean()) d.setCustomerId(d.getVisitorId());
        d.setLifecycle(LIFECYCLES[random.nextInt(LIFECYCLES.length)]);
        d.setOrders(random.nextInt(4) == 0 ? random.nextInt(12) : random.nextInt(2));
        d.setSpend(d.getOrders() == 0 ? 0 : Math.round(random.nextDouble() * 50_000) / 100.0);
        if (random.nextBoolean()) d.setMonetaryScore(1 + random.nextInt(5));
        if (random.nextBoolean()) d.setFrequencyScore(1 + random.nextInt(5));
        if (random.nextInt(3) == 0) d.setRecencyScore(1 + random.nextInt(5));
        if (random.nextInt(3) == 0) d.setRecencyDays(random.nextInt(400));
        d.setSessions(random.nextInt(30));
        d.setTenureDays(Math.round(random.nextDouble() * 6000) / 100.0);
        d.setDiscountShare(random.nextInt(4) / 4.0);
        d.setCouponShare(random.nextInt(3) / 2.0);
        d.setAverageOrderValue(random.nextDouble() * 100);
        if (random.nextInt(3) > 0)
            d.setPriceSensitive(
                    new ProfileDocument.Signal(
                            random.nextInt(11) / 10.0, random.nextBoolean(), new ArrayList<>(), 0));
        if (random.nextInt(3) > 0)
            d.setDrifting(
                    new ProfileDocument.Signal(
                            random.nextDouble(), random.nextBoolean(), new ArrayList<>(), 0));
        List<String> carts = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) carts.add("i" + i);
        d.setRecentCarts(carts);
        return d;
    }
}
