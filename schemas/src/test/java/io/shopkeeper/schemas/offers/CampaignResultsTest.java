package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignResultsTest {

    @Test
    void resultsFromCountersWithUpliftAndIncrementalRevenue() {
        CampaignResults r =
                CampaignResults.from(
                        "bargain",
                        Map.ofEntries(
                                Map.entry("sent", "70"),
                                Map.entry("held_out", "80"),
                                Map.entry("capped", "5"),
                                Map.entry("not_eligible", "40"),
                                Map.entry("treated.impressions", "66"),
                                Map.entry("treated.clicks", "30"),
                                Map.entry("treated.conversions", "56"),
                                Map.entry("treated.revenue", "2800.5"),
                                Map.entry("holdout.conversions", "48"),
                                Map.entry("holdout.revenue", "2000"),
                                Map.entry("treated.discount", "280")));
        assertThat(r.eligible()).isEqualTo(155);
        assertThat(r.treated().visitors()).isEqualTo(70);
        assertThat(r.treated().conversionRate()).isEqualTo(0.8);
        assertThat(r.holdout().conversionRate()).isEqualTo(0.6);
        assertThat(r.holdout().impressions()).isNull();
        assertThat(r.uplift()).isCloseTo(0.2, within(1e-12));
        // Newcombe (1998), example (a): 56/70 - 48/80 = 0.2000 (0.0524, 0.3339).
        assertThat(r.upliftCi95().lower()).isCloseTo(0.0524, within(0.00006));
        assertThat(r.upliftCi95().upper()).isCloseTo(0.3339, within(0.00006));
        // 2800.50 - 2000 * 70 / 80 = 1050.50
        assertThat(r.incrementalRevenue()).isEqualTo(1050.5);
        assertThat(r.discountGiven()).isEqualTo(280.0);
    }

    @Test
    void aCampaignWithoutDecisionsHasNoRatesAndNoUplift() {
        CampaignResults r = CampaignResults.from("new", Map.of());
        assertThat(r.eligible()).isZero();
        assertThat(r.treated().conversionRate()).isNull();
        assertThat(r.uplift()).isNull();
        assertThat(r.upliftCi95()).isNull();
    }
}
