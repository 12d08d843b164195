package io.shopkeeper.launcher.personas;

import io.shopkeeper.launcher.simulator.Draws;
import io.shopkeeper.launcher.simulator.Ids;
import io.shopkeeper.launcher.simulator.SimulatedCatalog;
import io.shopkeeper.launcher.simulator.StorefrontEvents;
import io.shopkeeper.schemas.ShopEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plants visitors of every {@link Persona} in the simulator's catalog and writes their events over
 * days and weeks of event time, with the truth: which signal is on and from which event.
 *
 * <p>Every visitor keeps one visitor key for its whole history (a customer id, or an anonymous id
 * for visitors who never log in), so the labels need no identity stitching. Sessions of one visitor
 * never overlap and are at least two hours apart. Deterministic for a given {@link PersonaConfig}.
 *
 * <p>Realism on purpose: the negatives are noisy (a regular sometimes sorts by price, bounces off a
 * product page, mistypes a search, abandons a checkout, uses a coupon, buys what happens to be on
 * discount); bargain hunters and lost visitors sometimes start with ordinary sessions before the
 * behaviour begins. The events are written with {@link StorefrontEvents}, as the traffic
 * simulator's are.
 */
public final class PersonaGenerator {
    private static final long SECOND = 1_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final String[] BARGAIN_QUERIES = {
        "%s coupon", "%s sale", "discount code", "cheap %s", "%s deals", "%s clearance"
    };

    private final PersonaConfig config;
    private final SimulatedCatalog catalog;
    private final int categoryCount;

    /** Discounted items per category, most popular first. */
    private final List<int[]> discountedByCategory = new ArrayList<>();

    /** One search term per category: a word of its most popular item's name. */
    private final List<String> searchTerms = new ArrayList<>();

    public PersonaGenerator(PersonaConfig config) {
        this.config = config;
        this.catalog = SimulatedCatalog.generate(config.store());
        this.categoryCount = catalog.categoryCount();
        for (int c = 0; c < categoryCount; c++) {
            int[] discounted = new int[catalog.categorySize(c)];
            int n = 0;
            for (int rank = 0; rank < discounted.length; rank++) {
                int i = catalog.itemAt(c, rank);
                if (catalog.item(i).onDiscount()) discounted[n++] = i;
            }
            discountedByCategory.add(Arrays.copyOf(discounted, n));
            String[] words = catalog.item(catalog.itemAt(c, 0)).title().split(" ");
            searchTerms.add(
                    words.length >= 2 ? words[words.length - 2].toLowerCase(Locale.ROOT) : "item");
        }
    }

    /**
     * Every planted visitor with its truth, personas in declaration order. The root generator is
     * seeded through a splitmix64 finalizer, so that different seeds give unrelated visitors.
     * (Seeding with {@code seed x golden gamma + c} put every seed on the same SplittableRandom
     * sequence: seed 11 was seed 7 shifted by four draws, i.e. the same visitors moved two places,
     * so "other seeds" were not held out at all.)
     */
    public List<PlantedVisitor> generate() {
        List<PlantedVisitor> out = new ArrayList<>();
        SplittableRandom root = new SplittableRandom(Ids.mix(config.seed() + 0x9E3779B97F4A7C15L));
        for (Persona persona : Persona.values()) {
            int n =
                    persona == Persona.LOYAL_REGULAR
                            ? config.perPersona() * config.regularsFactor()
                            : config.perPersona();
            for (int k = 0; k < n; k++) {
                out.add(new Script(persona, k, root.split()).write());
            }
        }
        return out;
    }

    /** The events of all visitors merged in event-time order (ties keep visitor order). */
    public static List<ShopEvent> merged(List<PlantedVisitor> visitors) {
        List<ShopEvent> all = new ArrayList<>();
        for (PlantedVisitor v : visitors) all.addAll(v.events());
        all.sort(Comparator.comparing(ShopEvent::getTimestamp));
        return all;
    }

    /** Writes one visitor's history. */
    private final class Script {
        private final Persona persona;
        private final SplittableRandom rnd;
        private final String visitorId;
        private final boolean anonymous;
        private final StorefrontEvents out;

        /** Planted price drops this visitor sees (item index to price). */
        private final Map<Integer, Double> priceOverride = new HashMap<>();

        private int[] favourites;
        private String sessionId;
        private int priceOnset = -1;
        private String priceOnsetSession;
        private int driftOnset = -1;
        private String driftOnsetSession;
        private String behaviourSession;

        Script(Persona persona, int number, SplittableRandom rnd) {
            this.persona = persona;
            this.rnd = rnd;
            boolean anon =
                    switch (persona) {
                        case WINDOW_SHOPPER -> rnd.nextDouble() < 0.5;
                        case WANDERER, FAILED_SEARCHER -> rnd.nextDouble() < 0.6;
                        default -> false;
                    };
            this.anonymous = anon;
            String tag = persona.name().toLowerCase(Locale.ROOT).replace('_', '-');
            this.visitorId = (anon ? "anon-" : "cust-") + tag + "-" + number;
            this.favourites = distinctCategories(3);
            this.out =
                    new StorefrontEvents(
                            catalog,
                            this::price,
                            rnd,
                            anon ? null : visitorId,
                            anon ? visitorId : null);
        }

        PlantedVisitor write() {
            long begin = config.start().toEpochMilli();
            long end = begin + config.days() * DAY;
            switch (persona) {
                case LOYAL_REGULAR -> {
                    for (long at = begin + randomDay(4); at < end; at = nextVisit(at, 2, 5))
                        regularSession(at, 0.5);
                }
                case VIP_SPENDER -> {
                    for (long at = begin + randomDay(2); at < end; at = nextVisit(at, 1, 3))
                        vipSession(at);
                }
                case WINDOW_SHOPPER -> {
                    int sessions = 2 + rnd.nextInt(4);
                    long at = begin + randomDay(config.days() / 2);
                    int[] cats = {favourites[0], favourites[1]};
                    for (int s = 0; s < sessions && at < end; s++, at = nextVisit(at, 2, 8))
                        windowSession(at, cats);
                }
                case EXIT_AT_PRICE,
                        COUPON_HUNTER,
                        DISCOUNT_ONLY_BUYER,
                        SORTER_COMPARER,
                        CART_ABANDONER -> {
                    long at = begin + randomDay(config.days() / 3);
                    int prefix = rnd.nextDouble() < 0.5 ? 1 + rnd.nextInt(3) : 0;
                    for (int s = 0; s < prefix; s++, at = nextVisit(at, 2, 5))
                        regularSession(at, 0.5);
                    int sessions = 4 + rnd.nextInt(5);
                    for (int s = 0; s < sessions && at < end; s++, at = nextVisit(at, 2, 6)) {
                        if (s == 0) markPriceOnset();
                        bargainSession(at);
                    }
                }
                case WANDERER, FAILED_SEARCHER -> {
                    long at = begin + randomDay(config.days() / 2);
                    if (!anonymous) {
                        int prefix = 1 + rnd.nextInt(3);
                        for (int s = 0; s < prefix; s++, at = nextVisit(at, 2, 5))
                            regularSession(at, 0.5);
                    }
                    int sessions = 1 + rnd.nextInt(3);
                    for (int s = 0; s < sessions && at < end; s++, at = nextVisit(at, 1, 6)) {
                        if (s == 0) markDriftOnset();
                        if (s == 0) behaviourSession = "pending";
                        if (persona == Persona.WANDERER) wanderSession(at);
                        else failedSearchSession(at);
                    }
                }
                case INTEREST_CHANGER -> {
                    long change =
                            begin
                                    + (long)
                                            (Math.max(
                                                            21,
                                                            config.days()
                                                                    * (0.45
                                                                            + 0.2
                                                                                    * rnd
                                                                                            .nextDouble()))
                                                    * DAY);
                    long at = begin + randomDay(3);
                    for (; at < change; at = nextVisit(at, 2, 4)) regularSession(at, 0.5);
                    favourites = distinctCategoriesExcept(3, favourites);
                    boolean first = true;
                    for (; at < end; at = nextVisit(at, 2, 4)) {
                        if (first) markDriftOnset();
                        first = false;
                        regularSession(at, 0.5);
                    }
                }
            }
            out.endSession();
            PersonaLabel label =
                    new PersonaLabel(
                            visitorId,
                            persona,
                            priceOnset,
                            priceOnsetSession,
                            driftOnset,
                            driftOnsetSession,
                            persona.inSession() ? behaviourSession : null);
            return new PlantedVisitor(label, out.events());
        }

        private void markPriceOnset() {
            priceOnset = out.events().size();
            priceOnsetSession = "pending";
        }

        private void markDriftOnset() {
            driftOnset = out.events().size();
            driftOnsetSession = "pending";
        }

        // ------------------------------------------------------------------------------- sessions

        /**
         * A loyal customer's visit: a few views in favourite categories, buys with {@code
         * buyShare}. Noisy.
         */
        private void regularSession(long at, double buyShare) {
            begin(at);
            double noise = rnd.nextDouble();
            if (noise < 0.04) { // landed on a product from an e-mail, looked, left
                view(popular(favourite()), normalDwell());
                return;
            }
            int c = favourite();
            if (rnd.nextBoolean()) page("home", pageGap());
            categoryPage(c);
            if (noise < 0.08) sort(rnd.nextDouble() < 0.3 ? "price_asc" : otherSort());
            if (noise >= 0.08 && noise < 0.12) { // a typo, then the right search
                search(out.typo(searchTerms.get(c)), 0);
                search(searchTerms.get(c), 10 + rnd.nextInt(40));
            }
            int views = 2 + Draws.geometric(rnd, 3);
            for (int v = 0; v < Math.min(views, 10); v++) {
                double r = rnd.nextDouble();
                if (r < 0.12) c = favourite();
                int item = r > 0.95 ? popular(rnd.nextInt(categoryCount)) : popular(c);
                if (r >= 0.12 && r < 0.2) {
                    search(searchTerms.get(c), 10 + rnd.nextInt(40));
                }
                view(item, normalDwell());
            }
            if (rnd.nextDouble() < buyShare) {
                int basket = 1 + (rnd.nextDouble() < 0.3 ? 1 : 0);
                for (int b = 0; b < basket && b < out.viewedThisSession().size(); b++)
                    addToCart(out.viewedThisSession().get(out.viewedThisSession().size() - 1 - b));
                boolean abandon = rnd.nextDouble() < 0.05;
                checkoutAndOrder(abandon, rnd.nextDouble() < 0.05);
            }
        }

        private void vipSession(long at) {
            begin(at);
            int c = favourite();
            categoryPage(c);
            int views = 2 + Draws.geometric(rnd, 3);
            for (int v = 0; v < Math.min(views, 8); v++) {
                if (rnd.nextDouble() < 0.2) c = favourite();
                view(premium(c), normalDwell());
            }
            if (rnd.nextDouble() < 0.7) {
                int basket = 1 + rnd.nextInt(3);
                for (int b = 0; b < basket && b < out.viewedThisSession().size(); b++)
                    addToCart(out.viewedThisSession().get(out.viewedThisSession().size() - 1 - b));
                checkoutAndOrder(rnd.nextDouble() < 0.03, rnd.nextDouble() < 0.03);
            }
        }

        private void windowSession(long at, int[] cats) {
            begin(at);
            int c = cats[rnd.nextInt(cats.length)];
            categoryPage(c);
            if (rnd.nextDouble() < 0.1) sort(rnd.nextBoolean() ? "popularity" : "newest");
            int views = 1 + rnd.nextInt(6);
            for (int v = 0; v < views; v++) {
                double r = rnd.nextDouble();
                if (r < 0.15) c = cats[rnd.nextInt(cats.length)];
                if (r >= 0.15 && r < 0.3) search(searchTerms.get(c), 10 + rnd.nextInt(40));
                view(popular(c), normalDwell() + 5 * SECOND);
            }
            if (rnd.nextDouble() < 0.3) categoryPage(c);
        }

        /**
         * The current session shows the persona's in-session behaviour (the first such one is
         * labelled).
         */
        private void behaviour() {
            if (behaviourSession == null) behaviourSession = sessionId;
        }

        private void bargainSession(long at) {
            begin(at);
            if (persona != Persona.EXIT_AT_PRICE) behaviour();
            switch (persona) {
                case EXIT_AT_PRICE -> {
                    if (exitAtPriceSession()) behaviour();
                }
                case COUPON_HUNTER -> couponSession();
                case DISCOUNT_ONLY_BUYER -> discountOnlySession();
                case SORTER_COMPARER -> sorterSession();
                case CART_ABANDONER -> abandonerSession();
                default -> throw new IllegalStateException(persona.name());
            }
        }

        /**
         * Glances at prices and leaves (true), or finds a discounted item there and buys it
         * (false).
         */
        private boolean exitAtPriceSession() {
            int c = favourite();
            if (rnd.nextDouble() < 0.4) categoryPage(c);
            int views = 1 + rnd.nextInt(4);
            for (int v = 0; v < views; v++) {
                int item = popular(c);
                if (rnd.nextDouble() < 0.2) c = favourite();
                boolean discounted = price(item) < catalog.listPrice(item) - 1e-9;
                if (discounted && rnd.nextDouble() < 0.6) {
                    view(item, normalDwell());
                    addToCart(item);
                    checkoutAndOrder(false, false);
                    return false;
                }
                view(item, quickDwell());
            }
            // the session ends on the last product view: left at the price
            return true;
        }

        private void couponSession() {
            int c = favourite();
            page("home", pageGap());
            search(
                    String.format(
                            Locale.ROOT,
                            BARGAIN_QUERIES[rnd.nextInt(BARGAIN_QUERIES.length)],
                            searchTerms.get(c)),
                    5 + rnd.nextInt(30));
            int views = 2 + rnd.nextInt(3);
            for (int v = 0; v < views; v++) view(cheapPopular(c), normalDwell());
            if (rnd.nextDouble() < 0.3) {
                search(
                        String.format(
                                Locale.ROOT,
                                BARGAIN_QUERIES[rnd.nextInt(BARGAIN_QUERIES.length)],
                                searchTerms.get(c)),
                        5 + rnd.nextInt(30));
                view(cheapPopular(c), normalDwell());
            }
            if (rnd.nextDouble() < 0.6) {
                addToCart(out.viewedThisSession().get(out.viewedThisSession().size() - 1));
                boolean coupon = rnd.nextDouble() < 0.8;
                checkoutAndOrder(!coupon && rnd.nextDouble() < 0.6, coupon);
            }
        }

        private void discountOnlySession() {
            int c = favourite();
            if (rnd.nextBoolean()) page("home", pageGap());
            categoryPage(c);
            int views = 2 + Draws.geometric(rnd, 3);
            for (int v = 0; v < Math.min(views, 8); v++) {
                if (rnd.nextDouble() < 0.12) c = favourite();
                view(rnd.nextDouble() < 0.4 ? discounted(c) : popular(c), normalDwell());
            }
            if (rnd.nextDouble() < 0.8) {
                int basket = rnd.nextDouble() < 0.4 ? 2 : 1;
                for (int b = 0; b < basket; b++) {
                    int d = discounted(c);
                    view(d, normalDwell());
                    addToCart(d);
                }
                checkoutAndOrder(false, false);
            }
        }

        private void sorterSession() {
            int c = favourite();
            categoryPage(c);
            sort("price_asc");
            int[] cheap = cheapest(c, 8);
            int views = 4 + rnd.nextInt(4);
            for (int v = 0; v < views; v++) {
                view(
                        cheap[Math.min(cheap.length - 1, v + rnd.nextInt(2))],
                        rnd.nextDouble() < 0.5 ? quickDwell() : normalDwell());
            }
            if (rnd.nextDouble() < 0.4) {
                view(cheap[0], normalDwell());
                addToCart(cheap[0]);
                checkoutAndOrder(false, false);
            }
        }

        private void abandonerSession() {
            int c = favourite();
            // Came back for a carted item whose price dropped.
            if (out.cartLines() > 0 && rnd.nextDouble() < 0.6) {
                int item = out.cartItem(0);
                priceOverride.put(item, StorefrontEvents.cents(price(item) * 0.85));
                out.clearCart();
                view(item, normalDwell());
                addToCart(item);
                checkoutAndOrder(false, false);
                return;
            }
            out.clearCart();
            categoryPage(c);
            int views = 2 + rnd.nextInt(3);
            for (int v = 0; v < views; v++) view(popular(c), normalDwell());
            int basket = 1 + rnd.nextInt(3);
            for (int b = 0; b < basket && b < out.viewedThisSession().size(); b++)
                addToCart(out.viewedThisSession().get(b));
            page("cart", pageGap());
            checkoutStart();
            if (rnd.nextBoolean() && out.cartLines() > 1) removeLastFromCart();
            // left when the total appeared; the cart is kept for a later visit
        }

        private void wanderSession(long at) {
            begin(at);
            int c = rnd.nextInt(categoryCount);
            if (rnd.nextBoolean()) page("home", quickDwell());
            else categoryPage(c);
            int steps = 7 + rnd.nextInt(9);
            for (int s = 0; s < steps; s++) {
                double r = rnd.nextDouble();
                if (r < 0.4) {
                    c = rnd.nextInt(categoryCount);
                    categoryPage(c);
                    view(any(c), shortDwell());
                } else if (r < 0.6) {
                    view(any(c), shortDwell());
                } else if (r < 0.72) {
                    int sc = rnd.nextInt(categoryCount);
                    if (rnd.nextDouble() < 0.4) search(out.typo(searchTerms.get(sc)), 0);
                    else search(searchTerms.get(sc), 3 + rnd.nextInt(30));
                } else if (r < 0.9) {
                    page(rnd.nextBoolean() ? "home" : "other", shortDwell());
                } else {
                    sort(rnd.nextDouble() < 0.2 ? "price_asc" : otherSort());
                }
            }
        }

        private void failedSearchSession(long at) {
            begin(at);
            page("home", pageGap());
            int c = favourite();
            int searches = 3 + rnd.nextInt(4);
            for (int s = 0; s < searches; s++) {
                if (rnd.nextDouble() < 0.3) c = rnd.nextInt(categoryCount);
                if (rnd.nextDouble() < 0.55) {
                    search(out.typo(searchTerms.get(c)), 0);
                } else {
                    search(
                            searchTerms.get(c) + " " + searchTerms.get(rnd.nextInt(categoryCount)),
                            2 + rnd.nextInt(20));
                    if (rnd.nextDouble() < 0.4) view(any(c), shortDwell());
                }
            }
            if (rnd.nextBoolean()) page("other", pageGap());
        }

        // ------------------------------------------------------------------------------- actions

        private void begin(long at) {
            sessionId = out.startSession(at);
            if (persona != Persona.CART_ABANDONER) out.clearCart();
            // The onset is the first event of the session (after the previous session's
            // page_leave).
            if ("pending".equals(priceOnsetSession)) {
                priceOnsetSession = sessionId;
                priceOnset = out.events().size();
            }
            if ("pending".equals(driftOnsetSession)) {
                driftOnsetSession = sessionId;
                driftOnset = out.events().size();
            }
            if ("pending".equals(behaviourSession)) behaviourSession = sessionId;
        }

        /** Lets {@code gap} pass after the event just written, half a second at least. */
        private void then(long gap) {
            out.pass(Math.max(500, gap));
        }

        private void page(String type, long gap) {
            out.pageView(type, "/" + type);
            then(gap);
        }

        private void categoryPage(int c) {
            out.categoryPage(c);
            then(pageGap());
        }

        private void sort(String by) {
            out.sort(by);
            then(3 * SECOND);
        }

        private void search(String query, int results) {
            out.search(query, -1).setResultCount(results);
            then(2 * SECOND + rnd.nextInt(3000));
            page("search", pageGap());
        }

        private void view(int item, long dwell) {
            out.productView(item);
            then(dwell);
        }

        private void addToCart(int item) {
            out.addToCart(item, 1);
            then(5 * SECOND + rnd.nextInt(5000));
        }

        private void removeLastFromCart() {
            out.removeFromCart(out.cartLines() - 1);
            then(4 * SECOND + rnd.nextInt(4000));
        }

        private void checkoutStart() {
            out.checkoutStart();
            then(20 * SECOND + rnd.nextInt(20_000));
            page("checkout", pageGap());
        }

        private void checkoutAndOrder(boolean abandon, boolean coupon) {
            if (out.cartLines() == 0) return;
            page("cart", pageGap());
            checkoutStart();
            if (abandon) {
                // A bargain hunter leaves when the total appears; anyone else mostly leaves for
                // other reasons (payment trouble, a distraction) after a while on the checkout
                // page.
                if (!persona.priceSensitive() && rnd.nextDouble() < 0.7)
                    out.pass(30 * SECOND + rnd.nextInt(150_000));
                return;
            }
            out.order(coupon);
            then(8 * SECOND);
            page("other", pageGap());
        }

        // ------------------------------------------------------------------------------- choices

        private double price(int item) {
            Double p = priceOverride.get(item);
            return p != null ? p : catalog.price(item);
        }

        private int favourite() {
            double r = rnd.nextDouble();
            return r < 0.65 ? favourites[0] : r < 0.96 ? favourites[1] : favourites[2];
        }

        /** A popular item: log-uniform rank, so the head of the category is seen most. */
        private int popular(int c) {
            int size = catalog.categorySize(c);
            int rank = (int) Math.pow(size, rnd.nextDouble()) - 1;
            return catalog.itemAt(c, Math.max(0, Math.min(size - 1, rank)));
        }

        private int any(int c) {
            return catalog.itemAt(c, rnd.nextInt(catalog.categorySize(c)));
        }

        /** Any sort order but cheapest first. */
        private String otherSort() {
            return StorefrontEvents.SORTS[rnd.nextInt(StorefrontEvents.SORTS.length - 1)];
        }

        /** The dearest of a few popular items. */
        private int premium(int c) {
            return firstOfFourPopular(
                    c, Comparator.<Integer>comparingDouble(this::price).reversed());
        }

        /** The cheapest of a few popular items. */
        private int cheapPopular(int c) {
            return firstOfFourPopular(c, Comparator.comparingDouble(this::price));
        }

        /**
         * The first in {@code order} of four popular items drawn in turn (the earliest on a tie).
         */
        private int firstOfFourPopular(int c, Comparator<Integer> order) {
            int best = popular(c);
            for (int k = 0; k < 3; k++) {
                int other = popular(c);
                if (order.compare(other, best) < 0) best = other;
            }
            return best;
        }

        private int discounted(int c) {
            int[] d = discountedByCategory.get(c);
            if (d.length == 0) return cheapPopular(c);
            int rank = (int) Math.pow(d.length, rnd.nextDouble()) - 1;
            return d[Math.max(0, Math.min(d.length - 1, rank))];
        }

        /** The {@code n} cheapest among the category's 40 most popular items, cheapest first. */
        private int[] cheapest(int c, int n) {
            int head = Math.min(40, catalog.categorySize(c));
            Integer[] top = new Integer[head];
            for (int i = 0; i < head; i++) top[i] = catalog.itemAt(c, i);
            Arrays.sort(top, Comparator.comparingDouble(this::price));
            int[] cheapest = new int[Math.min(n, head)];
            for (int i = 0; i < cheapest.length; i++) cheapest[i] = top[i];
            return cheapest;
        }

        private int[] distinctCategories(int n) {
            return distinctCategoriesExcept(n, new int[0]);
        }

        private int[] distinctCategoriesExcept(int n, int[] except) {
            int[] picked = new int[n];
            int filled = 0;
            while (filled < n) {
                int c = rnd.nextInt(categoryCount);
                boolean taken = false;
                for (int e : except) taken |= e == c;
                for (int i = 0; i < filled; i++) taken |= picked[i] == c;
                if (!taken) picked[filled++] = c;
            }
            return picked;
        }

        private long normalDwell() {
            return (long) (25 * SECOND * Math.exp(0.6 * rnd.nextGaussian()));
        }

        private long quickDwell() {
            return 2 * SECOND + rnd.nextInt(4_500);
        }

        private long shortDwell() {
            return 2 * SECOND + rnd.nextInt(9_000);
        }

        private long pageGap() {
            return (long) (7 * SECOND * Math.exp(0.5 * rnd.nextGaussian()));
        }

        private long randomDay(int days) {
            return rnd.nextInt(Math.max(1, days)) * DAY
                    + (8 + rnd.nextInt(12)) * HOUR
                    + rnd.nextInt(3_600) * SECOND;
        }

        /**
         * The start of a visit {@code min..max} days after the one at {@code at}, at a daytime
         * hour.
         */
        private long nextVisit(long at, int minDays, int maxDays) {
            long dayStart = Math.floorDiv(at, DAY) * DAY;
            int days = minDays + rnd.nextInt(maxDays - minDays + 1);
            return dayStart
                    + days * DAY
                    + (8 + rnd.nextInt(13)) * HOUR
                    + rnd.nextInt(3_600) * SECOND;
        }
    }
}
