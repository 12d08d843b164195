package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionRecommender#keepMostSimilar}: the first {@code keep} places hold exactly what a
 * full stable sort by similarity puts there, with ties, NaN, infinities and every {@code keep}; and
 * {@link SessionRecommender#largest} is the k-th largest by {@link Double#compare}.
 */
class SimilarSessionsSelectionTest {

    private static final double[] SPECIAL = {
        Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1.0, 0.5, 0.25
    };

    @Test
    void theKeptPrefixIsTheFullSortsPrefix() {
        Random random = new Random(11);
        for (int round = 0; round < 5_000; round++) {
            int pool = 1 + random.nextInt(round < 2_500 ? 12 : 200);
            double[] sims = new double[pool];
            int distinctValues = 1 + random.nextInt(round % 3 == 0 ? 3 : 50);
            for (int s = 0; s < pool; s++) {
                sims[s] =
                        random.nextInt(20) == 0
                                ? SPECIAL[random.nextInt(SPECIAL.length)]
                                : (1 + random.nextInt(distinctValues)) / 7.0;
            }
            // the scored sessions: increasing indexes, some left out
            int[] order = new int[pool];
            int count = 0;
            for (int s = 0; s < pool; s++) if (random.nextInt(5) != 0) order[count++] = s;
            if (count == 0) continue;
            int keep = random.nextInt(count + 3);
            int[] expected = Arrays.copyOf(order, count);
            SessionRecommender.sortBySimilarity(sims, expected, count);
            int[] actual = Arrays.copyOf(order, count);
            SessionRecommender.keepMostSimilar(sims, actual, count, keep);
            int compared = Math.min(keep, count);
            assertThat(Arrays.copyOf(actual, compared))
                    .as("round %d, %d scored, keep %d", round, count, keep)
                    .containsExactly(Arrays.copyOf(expected, compared));
        }
    }

    @Test
    void largestIsTheKthLargestByDoubleCompare() {
        Random random = new Random(12);
        for (int round = 0; round < 3_000; round++) {
            int n = 1 + random.nextInt(100);
            double[] values = new double[n];
            for (int i = 0; i < n; i++)
                values[i] =
                        random.nextInt(10) == 0
                                ? SPECIAL[random.nextInt(SPECIAL.length)]
                                : random.nextInt(1 + random.nextInt(30)) - 3.0;
            if (random.nextInt(10) == 0) values[random.nextInt(n)] = -0.0;
            double[] sorted = values.clone();
            Arrays.sort(sorted); // Double.compare order, increasing
            int k = 1 + random.nextInt(n);
            double expected = sorted[n - k];
            assertThat(Double.compare(SessionRecommender.largest(values, n, k), expected))
                    .as("round %d, k %d", round, k)
                    .isZero();
        }
    }
}
