package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfferIdsTest {
    private static final Instant T = Instant.parse("2026-11-22T10:15:30Z");

    @Test
    void theSameDecisionHasTheSameIdAndCoupon() {
        String a = OfferIds.offerId("cust-1", "bargain", 3, 1234, 0);
        assertThat(OfferIds.offerId("cust-1", "bargain", 3, 1234, 0)).isEqualTo(a);
        assertThat(a).matches("of_[0-9a-f]{24}");
        assertThat(OfferIds.couponCode(a))
                .isEqualTo(OfferIds.couponCode(a))
                .matches("SK-[0-9A-Z]{10}");
    }

    @Test
    void everyPartOfTheIdMatters() {
        Set<String> ids = new HashSet<>();
        ids.add(OfferIds.offerId("cust-1", "bargain", 3, 1234, 0));
        ids.add(OfferIds.offerId("cust-2", "bargain", 3, 1234, 0));
        ids.add(OfferIds.offerId("cust-1", "reminder", 3, 1234, 0));
        ids.add(OfferIds.offerId("cust-1", "bargain", 4, 1234, 0));
        ids.add(OfferIds.offerId("cust-1", "bargain", 3, 1235, 0));
        ids.add(OfferIds.offerId("cust-1", "bargain", 3, 1234, 1));
        assertThat(ids).hasSize(6);
    }

    @Test
    void couponCodesDoNotCollideAcrossManyOffers() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            codes.add(OfferIds.couponCode(OfferIds.offerId("v" + i, "c", 1, 0, 0)));
        }
        assertThat(codes).hasSize(100_000);
    }

    @Test
    void windowsAreWholePeriodsSinceTheEpoch() {
        Duration week = Duration.ofDays(7);
        long w = OfferIds.window(T, week);
        assertThat(OfferIds.window(T.plus(Duration.ofSeconds(1)), week)).isEqualTo(w);
        assertThat(OfferIds.window(Instant.ofEpochMilli((w + 1) * week.toMillis()), week))
                .isEqualTo(w + 1);
        assertThat(OfferIds.window(Instant.ofEpochMilli((w + 1) * week.toMillis() - 1), week))
                .isEqualTo(w);
    }

    @Test
    void aMaskedCodeShowsThePrefixAndTheLastTwoCharactersOnly() {
        String code = OfferIds.couponCode(OfferIds.offerId("v", "c", 1, 0, 0));
        String masked = OfferIds.mask(code);
        assertThat(masked).hasSameSizeAs(code).startsWith("SK-********");
        assertThat(masked.substring(11)).isEqualTo(code.substring(11));
        assertThat(OfferIds.mask("SK-AB12")).isEqualTo("SK-****");
        assertThat(OfferIds.mask(null)).isNull();
    }
}
