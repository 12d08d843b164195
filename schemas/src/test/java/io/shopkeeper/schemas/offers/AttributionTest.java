package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.offers.Attribution.Open;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionTest {
    private static final long DAY = 86_400_000L;
    private final Open couponSent =
            new Open("of_a", "bargain", true, "SK-AAAA", 10 * DAY, 17 * DAY, false);
    private final Open reminderHeld =
            new Open("of_b", "reminder", false, null, 12 * DAY, 19 * DAY, false);

    @Test
    void aRedeemedCouponWinsOverAMoreRecentDecision() {
        assertThat(Attribution.order(List.of(couponSent, reminderHeld), "SK-AAAA", 13 * DAY))
                .isEqualTo(0);
    }

    @Test
    void withoutACouponTheMostRecentOpenDecisionInItsWindowTakesTheOrder() {
        assertThat(Attribution.order(List.of(couponSent, reminderHeld), null, 13 * DAY))
                .isEqualTo(1);
        assertThat(Attribution.order(List.of(couponSent, reminderHeld), "SOMEONE-ELSES", 11 * DAY))
                .isEqualTo(0);
        // Before any decision, or after every window: nobody's.
        assertThat(Attribution.order(List.of(couponSent, reminderHeld), null, 9 * DAY))
                .isEqualTo(-1);
        assertThat(Attribution.order(List.of(couponSent, reminderHeld), null, 19 * DAY))
                .isEqualTo(-1);
    }

    @Test
    void aDecisionConvertsOnlyOnce() {
        var converted = List.of(couponSent.convert(), reminderHeld.convert());
        assertThat(Attribution.order(converted, "SK-AAAA", 13 * DAY)).isEqualTo(-1);
        assertThat(Attribution.order(List.of(couponSent, reminderHeld.convert()), null, 13 * DAY))
                .isEqualTo(0);
    }

    @Test
    void impressionsAndClicksBelongToTheTreatedOfferTheyName() {
        assertThat(Attribution.engagement(List.of(couponSent, reminderHeld), "of_a")).isEqualTo(0);
        assertThat(Attribution.engagement(List.of(couponSent, reminderHeld), "of_b")).isEqualTo(-1);
        assertThat(Attribution.engagement(List.of(couponSent), "of_zzz")).isEqualTo(-1);
    }
}
