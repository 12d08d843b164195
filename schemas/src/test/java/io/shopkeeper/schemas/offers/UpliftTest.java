package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shopkeeper.schemas.offers.Uplift.Interval;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wilson and Newcombe intervals against the worked examples of Newcombe (1998), "Interval
 * estimation for the difference between independent proportions" (Stat Med 17:873-890, method 10)
 * and "Two-sided confidence intervals for the single proportion" (Stat Med 17:857-872, method 3),
 * quoted there to four decimals.
 */
class UpliftTest {

    @ParameterizedTest(name = "{0}/{1}: {2}..{3}")
    @CsvSource({
        "81, 263, 0.2553, 0.3662",
        "15, 148, 0.0624, 0.1605",
        "0, 20, 0.0000, 0.1611",
        "1, 29, 0.0061, 0.1718",
    })
    void wilsonMatchesPublishedIntervals(long x, long n, double lower, double upper) {
        Interval ci = Uplift.wilson(x, n, Uplift.Z95);
        assertThat(ci.lower()).isCloseTo(lower, within(0.00006));
        assertThat(ci.upper()).isCloseTo(upper, within(0.00006));
    }

    @ParameterizedTest(name = "{0}/{1} - {2}/{3}: {4}..{5}")
    @CsvSource({
        "56, 70, 48, 80, 0.0524, 0.3339",
        "9, 10, 3, 10, 0.1705, 0.8090",
        "5, 56, 0, 29, -0.0381, 0.1926",
        "0, 10, 0, 20, -0.1611, 0.2775",
        "0, 10, 0, 10, -0.2775, 0.2775",
    })
    void newcombeMatchesPublishedIntervals(
            long x1, long n1, long x2, long n2, double lower, double upper) {
        Interval ci = Uplift.newcombe(x1, n1, x2, n2, Uplift.Z95);
        assertThat(ci.lower()).isCloseTo(lower, within(0.00006));
        assertThat(ci.upper()).isCloseTo(upper, within(0.00006));
    }

    @org.junit.jupiter.api.Test
    void upliftIsTheDifferenceOfRatesAndNeedsBothGroups() {
        var d = Uplift.of(56, 70, 48, 80);
        assertThat(d.treatedRate()).isEqualTo(0.8);
        assertThat(d.holdoutRate()).isEqualTo(0.6);
        assertThat(d.uplift()).isCloseTo(0.2, within(1e-12));
        assertThat(d.ci95().lower()).isCloseTo(0.0524, within(0.00006));

        var noHoldout = Uplift.of(3, 10, 0, 0);
        assertThat(noHoldout.treatedRate()).isEqualTo(0.3);
        assertThat(noHoldout.holdoutRate()).isNull();
        assertThat(noHoldout.uplift()).isNull();
        assertThat(noHoldout.ci95()).isNull();
    }
}
