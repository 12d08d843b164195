package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.List;

/**
 * Generates realistic storefront traffic for a seeded store: known and anonymous visitors with
 * lasting tastes, sessions of page and product views, searches (some with no results), sorts,
 * carts, logins, checkouts and orders (some with coupons), browsing within clusters of related
 * items so item-to-item co-occurrence is learnable. The same config gives the same events.
 *
 * <pre>{@code
 * StorefrontSimulator sim = new StorefrontSimulator(SimulatorConfig.defaults());
 * List<ShopEvent> catalog = sim.catalog().itemUpdates(start);
 * EventStream events = sim.events(start);      // endless, event-time ordered
 * ShopEvent first = events.next();
 * }</pre>
 */
public final class StorefrontSimulator {
    private final SimulatorConfig config;
    private final SimulatedCatalog catalog;
    private final Visitors visitors;

    public StorefrontSimulator(SimulatorConfig config) {
        this.config = config;
        this.catalog = SimulatedCatalog.generate(config);
        this.visitors = new Visitors(config, catalog);
    }

    public SimulatorConfig config() {
        return config;
    }

    public SimulatedCatalog catalog() {
        return catalog;
    }

    /**
     * A fresh, endless event stream whose first session starts at {@code start}, at the configured
     * event rate. Each call starts over: two streams from the same start are identical.
     */
    public EventStream events(Instant start) {
        return events(start, config.eventsPerSecond());
    }

    /**
     * As {@link #events(Instant)} at {@code eventsPerSecond} (event time) instead of the configured
     * rate.
     */
    public EventStream events(Instant start, double eventsPerSecond) {
        if (!(eventsPerSecond > 0))
            throw new IllegalArgumentException("eventsPerSecond must be > 0");
        return new EventStream(catalog, visitors, config, eventsPerSecond, start);
    }

    /** The first {@code n} events of {@link #events(Instant)}. */
    public List<ShopEvent> take(int n, Instant start) {
        return events(start).next(n);
    }
}
