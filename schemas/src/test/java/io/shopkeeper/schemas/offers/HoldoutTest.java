package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HoldoutTest {

    @Test
    void assignmentIsStableAcrossCallsAndIndependentOfOrder() {
        for (int i = 0; i < 1000; i++) {
            String visitor = "cust-" + i;
            boolean first = Holdout.isHeldOut("bargain-coupon", visitor, 10);
            assertThat(Holdout.isHeldOut("bargain-coupon", visitor, 10)).isEqualTo(first);
        }
        // Fixed values (first 8 bytes of SHA-256("bargain-coupon\0cust-262") mod 10,000, computed
        // with Python's hashlib): the assignment must not change between releases either.
        assertThat(Holdout.bucket("bargain-coupon", "cust-262")).isEqualTo(9410);
        assertThat(Holdout.isHeldOut("bargain-coupon", "cust-262", 10)).isFalse();
        assertThat(Holdout.bucket("bargain-coupon", "cust-1")).isEqualTo(75);
        assertThat(Holdout.isHeldOut("bargain-coupon", "cust-1", 1)).isTrue();
    }

    @Test
    void heldOutShareIsCloseToTheConfiguredShare() {
        for (double percent : new double[] {1, 10, 25, 50}) {
            int n = 100_000;
            int held = 0;
            for (int i = 0; i < n; i++) {
                if (Holdout.isHeldOut("cart-reminder", "anon-" + i, percent)) held++;
            }
            // Binomial: the standard deviation of the share is below 0.16 points at n = 100,000.
            assertThat(100.0 * held / n).isBetween(percent - 0.5, percent + 0.5);
        }
    }

    @Test
    void campaignsAssignIndependently() {
        int n = 100_000;
        int both = 0;
        for (int i = 0; i < n; i++) {
            String v = "v" + i;
            if (Holdout.isHeldOut("a", v, 10) && Holdout.isHeldOut("b", v, 10)) both++;
        }
        // Independent 10% groups overlap in about 1% of visitors, not 10%.
        assertThat(100.0 * both / n).isBetween(0.7, 1.3);
    }

    @Test
    void zeroPercentHoldsOutNobodyAndHundredEverybody() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Holdout.isHeldOut("c", "v" + i, 0)).isFalse();
            assertThat(Holdout.isHeldOut("c", "v" + i, 100)).isTrue();
        }
    }
}
