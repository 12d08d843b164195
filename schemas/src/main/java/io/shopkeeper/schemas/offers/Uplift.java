package io.shopkeeper.schemas.offers;

/**
 * Conversion rates and their difference with confidence intervals: Wilson's score interval for one
 * proportion, and Newcombe's hybrid score interval (his method 10, 1998) for the difference of two
 * independent proportions, which stays inside [-1, 1] and behaves at 0 conversions, unlike the Wald
 * interval.
 */
public final class Uplift {
    /** The two-sided 95% normal quantile. */
    public static final double Z95 = 1.959963984540054;

    private Uplift() {}

    public record Interval(double lower, double upper) {}

    /**
     * The difference {@code p1 - p2} of the treated and held-out conversion rates with its 95%
     * interval; null rates and interval when a group is empty.
     */
    public record Difference(
            Double treatedRate, Double holdoutRate, Double uplift, Interval ci95) {}

    /** Wilson's score interval for {@code successes} of {@code trials}. */
    public static Interval wilson(long successes, long trials, double z) {
        if (trials <= 0) throw new IllegalArgumentException("trials must be > 0");
        if (successes < 0 || successes > trials) {
            throw new IllegalArgumentException("successes must be in 0..trials");
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Newcombe's interval for {@code x1/n1 - x2/n2}. */
    public static Interval newcombe(long x1, long n1, long x2, long n2, double z) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        Interval w1 = wilson(x1, n1, z);
        Interval w2 = wilson(x2, n2, z);
        double d = p1 - p2;
        double lower = d - Math.sqrt(sq(p1 - w1.lower()) + sq(w2.upper() - p2));
        double upper = d + Math.sqrt(sq(w1.upper() - p1) + sq(p2 - w2.lower()));
        return new Interval(lower, upper);
    }

    /** Rates, uplift and its 95% interval for the treated and held-out groups. */
    public static Difference of(
            long treatedConversions, long treated, long holdoutConversions, long holdout) {
        Double p1 = treated > 0 ? (double) treatedConversions / treated : null;
        Double p2 = holdout > 0 ? (double) holdoutConversions / holdout : null;
        if (p1 == null || p2 == null) return new Difference(p1, p2, null, null);
        return new Difference(
                p1,
                p2,
                p1 - p2,
                newcombe(treatedConversions, treated, holdoutConversions, holdout, Z95));
    }

    private static double sq(double v) {
        return v * v;
    }
}
