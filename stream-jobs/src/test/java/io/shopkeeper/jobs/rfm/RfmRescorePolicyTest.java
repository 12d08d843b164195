package io.shopkeeper.jobs.rfm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RfmRescorePolicyTest {
    private static final List<Double> LAST_ORDER_DAY =
            List.of(20_000.0, 20_300.0, 20_350.0, 20_380.0);
    private final RfmRescorePolicy policy = RfmRescorePolicy.defaults();
    private final RfmCutPoints before = cuts(1, 20, 40, 80, 160);

    private static RfmCutPoints cuts(long sequence, double... monetary) {
        RfmCutPoints cuts = new RfmCutPoints();
        cuts.setCustomers(100);
        cuts.setSequence(sequence);
        cuts.setMonetary(Arrays.stream(monetary).boxed().toList());
        cuts.setFrequency(List.of(1.0, 1.0, 2.0, 3.0));
        cuts.setLastOrderDay(LAST_ORDER_DAY);
        return cuts;
    }

    @Test
    void theFirstCutPointsEverRescoreAnEmptyDistributionDoesNot() {
        assertThat(policy.shouldRescore(null, before)).isTrue();
        assertThat(policy.shouldRescore(null, new RfmCutPoints())).isFalse();
        assertThat(policy.shouldRescore(new RfmCutPoints(), before)).isTrue();
    }

    @Test
    void spendAndOrderCountBoundariesMoveMateriallyBeyondFifteenPercent() {
        assertThat(policy.movedMaterially(before, cuts(2, 20, 40, 80, 176)))
                .as("one 10% spend bucket")
                .isFalse();
        assertThat(policy.movedMaterially(before, cuts(2, 20, 40, 80, 194)))
                .as("two spend buckets")
                .isTrue();
        assertThat(policy.movedMaterially(before, cuts(2, 17.5, 40, 80, 160)))
                .as("down by 12.5%")
                .isFalse();
        RfmCutPoints moreOrders = cuts(2, 20, 40, 80, 160);
        moreOrders.setFrequency(List.of(1.0, 2.0, 2.0, 3.0));
        assertThat(policy.movedMaterially(before, moreOrders))
                .as("an order-count boundary from 1 to 2")
                .isTrue();
        assertThat(policy.movedMaterially(before, cuts(2, 20, 40, 80)))
                .as("fewer cut points")
                .isTrue();
    }

    @Test
    void lastOrderDayBoundariesMoveMateriallyBeyondAWeek() {
        RfmCutPoints later = cuts(2, 20, 40, 80, 160);
        later.setLastOrderDay(LAST_ORDER_DAY.stream().map(d -> d + 7).toList());
        assertThat(policy.movedMaterially(before, later)).isFalse();
        later.setLastOrderDay(LAST_ORDER_DAY.stream().map(d -> d + 8).toList());
        assertThat(policy.movedMaterially(before, later)).isTrue();
    }

    @Test
    void atMostOneFullRescorePerThreeHundredUpdates() {
        RfmCutPoints moved = cuts(2, 50, 100, 200, 400);
        assertThat(policy.shouldRescore(before, moved)).isFalse();
        moved.setSequence(300);
        assertThat(policy.shouldRescore(before, moved)).isFalse();
        moved.setSequence(301);
        assertThat(policy.shouldRescore(before, moved)).isTrue();
        moved.setSequence(0);
        assertThat(policy.shouldRescore(before, moved)).as("unnumbered cut points").isTrue();
        assertThat(policy.shouldRescore(before, cuts(400, 20, 40, 80, 160)))
                .as("not moved")
                .isFalse();
    }
}
