package io.shopkeeper.launcher.simulator;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A fixed discrete distribution over {@code 0..n-1}, sampled by binary search over cumulative
 * weights.
 */
final class Weighted {
    private final double[] cumulative;

    private Weighted(double[] weights) {
        cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= sum;
        }
    }

    static Weighted of(double[] weights) {
        if (weights.length == 0) throw new IllegalArgumentException("no weights");
        return new Weighted(weights);
    }

    /** Zipf-like popularity: rank {@code r} has weight {@code 1 / (r + 1)^exponent}. */
    static Weighted zipf(int n, double exponent) {
        double[] w = new double[n];
        for (int r = 0; r < n; r++) {
            w[r] = 1.0 / Math.pow(r + 1, exponent);
        }
        return new Weighted(w);
    }

    int size() {
        return cumulative.length;
    }

    int sample(RandomGenerator rnd) {
        int i = Arrays.binarySearch(cumulative, rnd.nextDouble());
        int index = i >= 0 ? i : -i - 1;
        return Math.min(index, cumulative.length - 1);
    }

    /** Probability of index {@code i}. */
    double probability(int i) {
        return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
    }
}
