package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * An endless, deterministic stream of storefront events in event-time order. Sessions start as a
 * Poisson process whose rate gives {@link SimulatorConfig#eventsPerSecond()} on average; the events
 * of all open sessions, plus occasional catalog price and stock changes, are merged by timestamp.
 *
 * <p>Memory is proportional to the number of open sessions (event rate times session length), not
 * to the number of customers or events. Not thread-safe.
 */
public final class EventStream implements Iterator<ShopEvent> {
    private static final double INITIAL_EVENTS_PER_SESSION = 12;

    /** An open session and the position of its next event. */
    private static final class Open {
        final List<ShopEvent> events;
        int position;
        long time;

        Open(List<ShopEvent> events) {
            this.events = events;
            this.time = events.get(0).eventTimeMillis();
        }
    }

    private final SimulatedCatalog catalog;
    private final Visitors visitors;
    private final SessionBuilder sessions;
    private final PriceBook prices;
    private final SplittableRandom rnd;
    private final double eventsPerMilli;
    private final double priceChangesPerMilli;
    private final PriorityQueue<Open> open =
            new PriorityQueue<>((a, b) -> Long.compare(a.time, b.time));
    private double nextSessionAt;
    private double nextPriceChangeAt;
    private double eventsPerSession = INITIAL_EVENTS_PER_SESSION;
    private long sessionsStarted;
    private long emitted;
    private ShopEvent peeked;

    EventStream(
            SimulatedCatalog catalog,
            Visitors visitors,
            SimulatorConfig config,
            double eventsPerSecond,
            Instant start) {
        this.catalog = catalog;
        this.visitors = visitors;
        this.prices = new PriceBook(catalog);
        this.sessions = new SessionBuilder(catalog, prices);
        this.rnd = new SplittableRandom(Ids.mix(config.seed() + 0x5EED));
        double share = config.priceChangeShare();
        this.eventsPerMilli = eventsPerSecond * (1 - share) / 1000.0;
        this.priceChangesPerMilli = eventsPerSecond * share / 1000.0;
        this.nextSessionAt = start.toEpochMilli();
        this.nextPriceChangeAt =
                priceChangesPerMilli > 0
                        ? start.toEpochMilli() + exponential(priceChangesPerMilli)
                        : Double.MAX_VALUE;
    }

    /** Always true: the stream never ends. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public ShopEvent next() {
        ShopEvent e = peek();
        peeked = null;
        emitted++;
        return e;
    }

    /** The next event without consuming it. */
    public ShopEvent peek() {
        if (peeked == null) peeked = generate();
        return peeked;
    }

    /** The next {@code n} events. */
    public List<ShopEvent> next(int n) {
        List<ShopEvent> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) batch.add(next());
        return batch;
    }

    /** Hands the next {@code n} events to {@code sink}, without collecting them. */
    public void forEach(long n, Consumer<? super ShopEvent> sink) {
        for (long i = 0; i < n; i++) sink.accept(next());
    }

    public long sessionsStarted() {
        return sessionsStarted;
    }

    public long emitted() {
        return emitted;
    }

    /** Sessions with events still to come. */
    public int openSessions() {
        return open.size();
    }

    private ShopEvent generate() {
        while (true) {
            long head = open.isEmpty() ? Long.MAX_VALUE : open.peek().time;
            if (nextPriceChangeAt <= nextSessionAt && nextPriceChangeAt <= head) {
                return priceChange();
            }
            if (nextSessionAt <= head) {
                startSession();
                continue;
            }
            Open session = open.poll();
            ShopEvent e = session.events.get(session.position++);
            if (session.position < session.events.size()) {
                session.time = session.events.get(session.position).eventTimeMillis();
                open.add(session);
            }
            return e;
        }
    }

    private void startSession() {
        long start = (long) nextSessionAt;
        List<ShopEvent> events = sessions.build(visitors.next(rnd), start, rnd.split());
        sessionsStarted++;
        // Learn the mean session length so that the arrival rate yields the configured event rate.
        eventsPerSession +=
                (events.size() - eventsPerSession) / Math.min(sessionsStarted + 10, 2_000);
        nextSessionAt += exponential(eventsPerMilli / eventsPerSession);
        open.add(new Open(events));
    }

    private ShopEvent priceChange() {
        long at = (long) nextPriceChangeAt;
        nextPriceChangeAt += exponential(priceChangesPerMilli);
        int c = catalog.categoryPopularity().sample(rnd);
        int item = catalog.popularItem(c, rnd);
        prices.change(item, rnd);
        return catalog.itemUpdate(
                item,
                prices.price(item),
                prices.listPrice(item),
                prices.inStock(item),
                Instant.ofEpochMilli(at),
                Ids.uuid(rnd));
    }

    private double exponential(double ratePerMilli) {
        return -Math.log(1 - rnd.nextDouble()) / ratePerMilli;
    }
}
