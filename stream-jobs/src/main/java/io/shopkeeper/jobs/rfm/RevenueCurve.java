package io.shopkeeper.jobs.rfm;

import io.shopkeeper.schemas.RevenueConcentration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.IntToDoubleFunction;

/**
 * The 20/80 view of the store read from its spend histogram: customers are taken from the highest
 * spend bucket down, each bucket's customers counted at the bucket's representative spend, and a
 * bucket straddling a decile split proportionally. Pure; the distribution operator owns the state.
 */
final class RevenueCurve {
    static final int STEPS = 10;

    private RevenueCurve() {}

    /**
     * @param spendBuckets customers per spend bucket (bucket number ascending with spend)
     * @param spendOf the representative spend of a customer in a bucket
     * @param at when the figures are published
     */
    static RevenueConcentration of(
            NavigableMap<Integer, Long> spendBuckets, IntToDoubleFunction spendOf, long at) {
        long buyers = 0;
        double revenue = 0;
        for (Map.Entry<Integer, Long> e : spendBuckets.entrySet()) {
            buyers += e.getValue();
            revenue += e.getValue() * spendOf.applyAsDouble(e.getKey());
        }
        List<Double> shares = new ArrayList<>(STEPS);
        if (buyers == 0 || revenue <= 0) return new RevenueConcentration(buyers, 0, 0, shares, at);
        double customersTaken = 0;
        double revenueTaken = 0;
        int step = 1;
        for (Map.Entry<Integer, Long> e : spendBuckets.descendingMap().entrySet()) {
            long count = e.getValue();
            double spend = spendOf.applyAsDouble(e.getKey());
            while (step <= STEPS && (double) buyers * step / STEPS <= customersTaken + count) {
                double part = (double) buyers * step / STEPS - customersTaken;
                shares.add(Math.min(1.0, (revenueTaken + part * spend) / revenue));
                step++;
            }
            customersTaken += count;
            revenueTaken += count * spend;
        }
        while (shares.size() < STEPS) shares.add(1.0); // rounding: the last step is everyone
        return new RevenueConcentration(buyers, revenue, shares.get(1), shares, at);
    }
}
