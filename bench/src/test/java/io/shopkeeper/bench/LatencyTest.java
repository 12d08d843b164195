package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Latency summaries: percentiles of microsecond samples, reported in milliseconds. */
class LatencyTest {
    @Test
    void percentilesOfOneToAThousandMilliseconds() {
        Histogram h = Latency.newHistogram();
        for (int ms = 1000; ms >= 1; ms--) Latency.record(h, ms * 1_000L);
        Map<String, Object> s = Latency.summary(h);
        assertThat(s.get("count")).isEqualTo(1000L);
        // 3 significant digits: within 0.1% of the exact order statistics.
        assertThat((Double) s.get("p50Ms")).isBetween(499.5, 500.5);
        assertThat((Double) s.get("p90Ms")).isBetween(899.1, 900.9);
        assertThat((Double) s.get("p99Ms")).isBetween(989.0, 991.0);
        assertThat((Double) s.get("maxMs")).isBetween(999.0, 1001.0);
        assertThat((Double) s.get("meanMs")).isBetween(500.0, 501.0);
    }

    @Test
    void outOfRangeSamplesAreClampedNotLost() {
        Histogram h = Latency.newHistogram();
        Latency.record(h, -5);
        Latency.record(h, 10 * 60_000_000L);
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMinValue()).isZero();
        assertThat(h.getMaxValue()).isGreaterThanOrEqualTo(59_000_000L);
    }
}
