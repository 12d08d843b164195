package io.shopkeeper.launcher.simulator;

/**
 * The shape of a simulated store: how many customers and items, how traffic is mixed, how fast it
 * arrives in event time, and the seed that makes a run reproducible.
 *
 * @param customers known customers ({@code cust-1} .. {@code cust-N}); per-customer traits are
 *     derived from the seed, so a million customers cost no memory
 * @param anonymousShare share of sessions started by a visitor who is not logged in (0..1)
 * @param items catalog size
 * @param categories number of categories (the first 30 have real names and price levels)
 * @param brands number of brands (the first 40 have names)
 * @param eventsPerSecond average event rate in event time; sets how many sessions overlap
 * @param priceChangeShare share of generated events that are catalog price or stock changes
 *     (0..0.1)
 * @param seed same seed and config, same events
 */
public record SimulatorConfig(
        int customers,
        double anonymousShare,
        int items,
        int categories,
        int brands,
        double eventsPerSecond,
        double priceChangeShare,
        long seed) {

    public SimulatorConfig {
        if (customers < 1) throw new IllegalArgumentException("customers must be >= 1");
        if (anonymousShare < 0 || anonymousShare > 1)
            throw new IllegalArgumentException("anonymousShare must be in [0, 1]");
        if (categories < 1) throw new IllegalArgumentException("categories must be >= 1");
        if (items < categories) throw new IllegalArgumentException("items must be >= categories");
        if (brands < 1) throw new IllegalArgumentException("brands must be >= 1");
        if (!(eventsPerSecond > 0))
            throw new IllegalArgumentException("eventsPerSecond must be > 0");
        if (priceChangeShare < 0 || priceChangeShare > 0.1)
            throw new IllegalArgumentException("priceChangeShare must be in [0, 0.1]");
    }

    /** A small store: 500 customers, 3,000 items in 30 categories, 40 brands, 50 events/s. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(500, 0.35, 3_000, 30, 40, 50, 0.002, 42L);
    }

    /** The benchmark's store: 1M customers and 100k items. */
    public static SimulatorConfig large() {
        return defaults()
                .withCustomers(1_000_000)
                .withItems(100_000)
                .withCategories(60)
                .withBrands(120)
                .withEventsPerSecond(1_000);
    }

    public SimulatorConfig withCustomers(int v) {
        return new SimulatorConfig(
                v,
                anonymousShare,
                items,
                categories,
                brands,
                eventsPerSecond,
                priceChangeShare,
                seed);
    }

    public SimulatorConfig withAnonymousShare(double v) {
        return new SimulatorConfig(
                customers, v, items, categories, brands, eventsPerSecond, priceChangeShare, seed);
    }

    public SimulatorConfig withItems(int v) {
        return new SimulatorConfig(
                customers,
                anonymousShare,
                v,
                categories,
                brands,
                eventsPerSecond,
                priceChangeShare,
                seed);
    }

    public SimulatorConfig withCategories(int v) {
        return new SimulatorConfig(
                customers,
                anonymousShare,
                items,
                v,
                brands,
                eventsPerSecond,
                priceChangeShare,
                seed);
    }

    public SimulatorConfig withBrands(int v) {
        return new SimulatorConfig(
                customers,
                anonymousShare,
                items,
                categories,
                v,
                eventsPerSecond,
                priceChangeShare,
                seed);
    }

    public SimulatorConfig withEventsPerSecond(double v) {
        return new SimulatorConfig(
                customers, anonymousShare, items, categories, brands, v, priceChangeShare, seed);
    }

    public SimulatorConfig withPriceChangeShare(double v) {
        return new SimulatorConfig(
                customers, anonymousShare, items, categories, brands, eventsPerSecond, v, seed);
    }

    public SimulatorConfig withSeed(long v) {
        return new SimulatorConfig(
                customers,
                anonymousShare,
                items,
                categories,
                brands,
                eventsPerSecond,
                priceChangeShare,
                v);
    }
}
