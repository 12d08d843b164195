package io.shopkeeper.jobs.rfm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shopkeeper.schemas.RevenueConcentration;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Shares computed by hand; buckets here are their own spend, so sums are exact. */
class RevenueCurveTest {

    private static RevenueConcentration curve(TreeMap<Integer, Long> buckets) {
        return RevenueCurve.of(buckets, bucket -> bucket, 7L);
    }

    @Test
    void oneBigSpenderAmongTenBringsMostOfTheRevenue() {
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        buckets.put(100, 1L);
        buckets.put(10, 4L);
        buckets.put(1, 5L);
        RevenueConcentration c = curve(buckets); // revenue 100 + 40 + 5 = 145

        assertThat(c.buyers()).isEqualTo(10);
        assertThat(c.revenue()).isEqualTo(145.0);
        assertThat(c.topFifthShare()).isCloseTo(110.0 / 145, within(1e-9));
        assertThat(c.cumulativeShare())
                .containsExactly(
                        100.0 / 145,
                        110.0 / 145,
                        120.0 / 145,
                        130.0 / 145,
                        140.0 / 145,
                        141.0 / 145,
                        142.0 / 145,
                        143.0 / 145,
                        144.0 / 145,
                        1.0);
        assertThat(c.at()).isEqualTo(7L);
    }

    @Test
    void aBucketStraddlingASplitIsSharedProportionally() {
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        buckets.put(10, 1L);
        buckets.put(1, 3L);
        RevenueConcentration c = curve(buckets); // 4 buyers, revenue 13: 10% is 0.4 of a buyer

        assertThat(c.cumulativeShare().get(0)).isCloseTo(0.4 * 10 / 13, within(1e-9));
        assertThat(c.topFifthShare()).isCloseTo(0.8 * 10 / 13, within(1e-9));
        assertThat(c.cumulativeShare().get(2)).isCloseTo((10 + 0.2 * 1) / 13, within(1e-9));
        assertThat(c.cumulativeShare().get(9)).isEqualTo(1.0);
    }

    @Test
    void equalSpendersShareEvenly() {
        TreeMap<Integer, Long> buckets = new TreeMap<>();
        buckets.put(20, 50L);
        RevenueConcentration c = curve(buckets);
        for (int i = 0; i < 10; i++)
            assertThat(c.cumulativeShare().get(i)).isCloseTo((i + 1) / 10.0, within(1e-9));
    }

    @Test
    void withoutBuyersThereIsNoCurve() {
        RevenueConcentration c = curve(new TreeMap<>());
        assertThat(c.buyers()).isZero();
        assertThat(c.cumulativeShare()).isEmpty();
        assertThat(c.topFifthShare()).isZero();
    }

    @Test
    void aBucketsRepresentativeSpendLiesInsideItsRange() {
        for (int bucket : new int[] {0, 1, 24, 60}) {
            double spend = StoreDistributionFunction.spendOf(bucket);
            assertThat(spend).isBetween(Math.pow(1.1, bucket), Math.pow(1.1, bucket + 1));
        }
    }
}
