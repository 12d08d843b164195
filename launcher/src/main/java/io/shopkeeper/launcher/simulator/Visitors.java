package io.shopkeeper.launcher.simulator;

import java.util.SplittableRandom;

/**
 * The visitor population. Nothing is stored per visitor: ids and traits are pure functions of the
 * seed and a visitor number, so the same customer keeps the same tastes across sessions and a
 * million customers cost nothing.
 *
 * <p>Known customers visit with a heavy-tailed frequency (a small share of customers brings most
 * sessions). Anonymous visitors come from a pool of cookies; half of the cookies belong to a known
 * customer who has not logged in yet (and may log in mid-session), the rest are guests.
 */
final class Visitors {
    /** A visitor's lasting tastes. */
    record Traits(
            int[] favouriteCategories,
            int favouriteBrand,
            boolean priceSensitive,
            boolean drifter,
            double buyPropensity) {}

    /** Who starts a session: ids, and the customer a cookie belongs to (or {@code null}). */
    record Visitor(String customerId, String anonymousId, String linkedCustomerId, Traits traits) {}

    private final int customers;
    private final int anonymousPool;
    private final double anonymousShare;
    private final long seed;
    private final long multiplier;
    private final SimulatedCatalog catalog;

    Visitors(SimulatorConfig config, SimulatedCatalog catalog) {
        this.customers = config.customers();
        this.anonymousPool = Math.max(100, config.customers());
        this.anonymousShare = config.anonymousShare();
        this.seed = config.seed();
        this.catalog = catalog;
        long m = 1_000_003L;
        while (gcd(m, customers) != 1) m += 2;
        this.multiplier = m % Math.max(1, customers);
    }

    Visitor next(SplittableRandom rnd) {
        if (rnd.nextDouble() < anonymousShare) {
            int a = rnd.nextInt(anonymousPool);
            String anonymousId =
                    "anon-" + Long.toHexString(Ids.mix(seed * 31 + a) | 0x1000000000000000L);
            if ((a & 1) == 0) {
                int number = (int) Math.floorMod(Ids.mix(a + 7L * seed), (long) customers) + 1;
                return new Visitor(null, anonymousId, "cust-" + number, traits(number));
            }
            return new Visitor(null, anonymousId, null, traits(-1L - a));
        }
        // Heavy-tailed visit frequency: u^2.2 puts ~1/3 of sessions on the most active 10% of
        // customers.
        double u = rnd.nextDouble();
        int activity = (int) (customers * Math.pow(u, 2.2));
        int number = (int) Math.floorMod(activity * multiplier + seed, (long) customers) + 1;
        return new Visitor("cust-" + number, null, null, traits(number));
    }

    /**
     * Tastes of customer {@code number} (positive) or guest cookie (negative), stable across
     * sessions.
     */
    Traits traits(long number) {
        SplittableRandom r = new SplittableRandom(Ids.mix(seed ^ (number * 0x9E3779B97F4A7C15L)));
        Weighted popularity = catalog.categoryPopularity();
        int[] favourites = new int[3];
        for (int k = 0; k < favourites.length; k++) {
            favourites[k] = popularity.sample(r);
        }
        int brand = r.nextInt(catalog.brandCount());
        boolean priceSensitive = r.nextDouble() < 0.22;
        boolean drifter = r.nextDouble() < 0.10;
        double buy = Math.min(0.7, 0.16 * Math.exp(r.nextGaussian() * 0.5));
        return new Traits(favourites, brand, priceSensitive, drifter, buy);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
