package io.shopkeeper.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Latency histograms in microseconds and their summary as milliseconds. */
final class Latency {
    /** Up to one minute, 3 significant digits. */
    static Histogram newHistogram() {
        return new Histogram(60_000_000L, 3);
    }

    static void record(Histogram h, long micros) {
        h.recordValue(Math.max(0, Math.min(micros, h.getHighestTrackableValue())));
    }

    /** count, mean, p50, p90, p99, p99.9, max in milliseconds. */
    static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("meanMs", ms(h.getMean()));
        m.put("p50Ms", ms(h.getValueAtPercentile(50)));
        m.put("p90Ms", ms(h.getValueAtPercentile(90)));
        m.put("p99Ms", ms(h.getValueAtPercentile(99)));
        m.put("p999Ms", ms(h.getValueAtPercentile(99.9)));
        m.put("maxMs", ms(h.getMaxValue()));
        return m;
    }

    static String line(Histogram h) {
        return String.format(
                "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms",
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0,
                h.getMaxValue() / 1000.0);
    }

    private static double ms(double micros) {
        return Results.round(micros / 1000.0, 3);
    }

    private Latency() {}
}
