package io.shopkeeper.launcher.personas;

import io.shopkeeper.launcher.simulator.PageLeaves;
import io.shopkeeper.launcher.simulator.SimulatedCatalog;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
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
 * behaviour begins.
 */
public final class PersonaGenerator {
    private static final long SECOND = 1_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final String[] BARGAIN_QUERIES = {
        "%s coupon", "%s sale", "discount code", "cheap %s", "%s deals", "%s clearance"
    };
    private static final String[] OTHER_SORTS = {"popularity", "newest", "rating", "price_desc"};
    private static final String[] COUPONS = {"SAVE10", "WELCOME15", "FLASH20"};
    private static final double[] COUPON_RATES = {0.10, 0.15, 0.20};

    private final PersonaConfig config;
    private final List<SimulatedCatalog.Item> items;
    private final List<String> categories = new ArrayList<>();

    /** Item indices per category, most popular first (the catalog's order). */
    private final List<int[]> byCategory = new ArrayList<>();

    /** Discounted items per category. */
    private final List<int[]> discountedByCategory = new ArrayList<>();

    private final List<String> searchTerms = new ArrayList<>();

    public PersonaGenerator(PersonaConfig config) {
        this.config = config;
        this.items = SimulatedCatalog.generate(config.store()).items();
        Map<String, List<Integer>> index = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String c = items.get(i).categoryId();
            if (!index.containsKey(c)) categories.add(c);
            index.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
        }
        categories.sort(Comparator.naturalOrder());
        for (String c : categories) {
            List<Integer> members = index.get(c);
            byCategory.add(members.stream().mapToInt(Integer::intValue).toArray());
            discountedByCategory.add(
                    members.stream()
                            .filter(i -> items.get(i).onDiscount())
                            .mapToInt(Integer::intValue)
                            .toArray());
            String[] words = items.get(members.get(0)).title().split(" ");
            searchTerms.add(
                    words.length >= 2 ? words[words.length - 2].toLowerCase(Locale.ROOT) : "item");
        }
    }

    /** Every planted visitor with its truth, personas in declaration order. */
    public List<PlantedVisitor> generate() {
        List<PlantedVisitor> out = new ArrayList<>();
        SplittableRandom root = new SplittableRandom(mix(config.seed()));
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

    /**
     * The root generator's seed for a persona seed: a splitmix64 finalizer, so that different seeds
     * give unrelated visitors. (Seeding with {@code seed x golden gamma + c} put every seed on the
     * same SplittableRandom sequence: seed 11 was seed 7 shifted by four draws, i.e. the same
     * visitors moved two places, so "other seeds" were not held out at all.)
     */
    static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
        private final List<ShopEvent> events = new ArrayList<>();

        /** Planted price drops this visitor sees (item index to price). */
        private final Map<Integer, Double> priceOverride = new HashMap<>();

        private final List<Integer> cart = new ArrayList<>();
        private final List<Integer> viewedThisSession = new ArrayList<>();
        private int[] favourites;
        private long t;
        private String sessionId;
        private int currentCategory;
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
            leave();
            PersonaLabel label =
                    new PersonaLabel(
                            visitorId,
                            persona,
                            priceOnset,
                            priceOnsetSession,
                            driftOnset,
                            driftOnsetSession,
                            persona.inSession() ? behaviourSession : null);
            return new PlantedVisitor(label, events);
        }

        private void markPriceOnset() {
            priceOnset = events.size();
            priceOnsetSession = "pending";
        }

        private void markDriftOnset() {
            driftOnset = events.size();
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
            if (noise < 0.08)
                sort(
                        rnd.nextDouble() < 0.3
                                ? "price_asc"
                                : OTHER_SORTS[rnd.nextInt(OTHER_SORTS.length)]);
            if (noise >= 0.08 && noise < 0.12) { // a typo, then the right search
                search(typo(searchTerms.get(c)), 0);
                search(searchTerms.get(c), 10 + rnd.nextInt(40));
            }
            int views = 2 + geometric(3);
            for (int v = 0; v < Math.min(views, 10); v++) {
                double r = rnd.nextDouble();
                if (r < 0.12) c = favourite();
                int item = r > 0.95 ? popular(rnd.nextInt(categories.size())) : popular(c);
                if (r >= 0.12 && r < 0.2) {
                    search(searchTerms.get(c), 10 + rnd.nextInt(40));
                }
                view(item, normalDwell());
            }
            if (rnd.nextDouble() < buyShare) {
                int basket = 1 + (rnd.nextDouble() < 0.3 ? 1 : 0);
                for (int b = 0; b < basket && b < viewedThisSession.size(); b++)
                    addToCart(viewedThisSession.get(viewedThisSession.size() - 1 - b));
                boolean abandon = rnd.nextDouble() < 0.05;
                checkoutAndOrder(abandon, rnd.nextDouble() < 0.05);
            }
        }

        private void vipSession(long at) {
            begin(at);
            int c = favourite();
            categoryPage(c);
            int views = 2 + geometric(3);
            for (int v = 0; v < Math.min(views, 8); v++) {
                if (rnd.nextDouble() < 0.2) c = favourite();
                view(premium(c), normalDwell());
            }
            if (rnd.nextDouble() < 0.7) {
                int basket = 1 + rnd.nextInt(3);
                for (int b = 0; b < basket && b < viewedThisSession.size(); b++)
                    addToCart(viewedThisSession.get(viewedThisSession.size() - 1 - b));
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
                boolean discounted = price(item) < items.get(item).listPrice() - 1e-9;
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
                addToCart(viewedThisSession.get(viewedThisSession.size() - 1));
                boolean coupon = rnd.nextDouble() < 0.8;
                checkoutAndOrder(!coupon && rnd.nextDouble() < 0.6, coupon);
            }
        }

        private void discountOnlySession() {
            int c = favourite();
            if (rnd.nextBoolean()) page("home", pageGap());
            categoryPage(c);
            int views = 2 + geometric(3);
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
            if (!cart.isEmpty() && rnd.nextDouble() < 0.6) {
                int item = cart.get(0);
                priceOverride.put(item, Math.round(price(item) * 0.85 * 100) / 100.0);
                cart.clear();
                view(item, normalDwell());
                addToCart(item);
                checkoutAndOrder(false, false);
                return;
            }
            cart.clear();
            categoryPage(c);
            int views = 2 + rnd.nextInt(3);
            for (int v = 0; v < views; v++) view(popular(c), normalDwell());
            int basket = 1 + rnd.nextInt(3);
            for (int b = 0; b < basket && b < viewedThisSession.size(); b++)
                addToCart(viewedThisSession.get(b));
            page("cart", pageGap());
            checkoutStart();
            if (rnd.nextBoolean() && cart.size() > 1) removeFromCart(cart.get(cart.size() - 1));
            // left when the total appeared; the cart is kept for a later visit
        }

        private void wanderSession(long at) {
            begin(at);
            int c = rnd.nextInt(categories.size());
            if (rnd.nextBoolean()) page("home", quickDwell());
            else categoryPage(c);
            int steps = 7 + rnd.nextInt(9);
            for (int s = 0; s < steps; s++) {
                double r = rnd.nextDouble();
                if (r < 0.4) {
                    c = rnd.nextInt(categories.size());
                    categoryPage(c);
                    view(any(c), shortDwell());
                } else if (r < 0.6) {
                    view(any(c), shortDwell());
                } else if (r < 0.72) {
                    int sc = rnd.nextInt(categories.size());
                    if (rnd.nextDouble() < 0.4) search(typo(searchTerms.get(sc)), 0);
                    else search(searchTerms.get(sc), 3 + rnd.nextInt(30));
                } else if (r < 0.9) {
                    page(rnd.nextBoolean() ? "home" : "other", shortDwell());
                } else {
                    sort(
                            rnd.nextDouble() < 0.2
                                    ? "price_asc"
                                    : OTHER_SORTS[rnd.nextInt(OTHER_SORTS.length)]);
                }
            }
        }

        private void failedSearchSession(long at) {
            begin(at);
            page("home", pageGap());
            int c = favourite();
            int searches = 3 + rnd.nextInt(4);
            for (int s = 0; s < searches; s++) {
                if (rnd.nextDouble() < 0.3) c = rnd.nextInt(categories.size());
                if (rnd.nextDouble() < 0.55) {
                    search(typo(searchTerms.get(c)), 0);
                } else {
                    search(
                            searchTerms.get(c)
                                    + " "
                                    + searchTerms.get(rnd.nextInt(categories.size())),
                            2 + rnd.nextInt(20));
                    if (rnd.nextDouble() < 0.4) view(any(c), shortDwell());
                }
            }
            if (rnd.nextBoolean()) page("other", pageGap());
        }

        // ------------------------------------------------------------------------------- actions

        private void begin(long at) {
            leave();
            t = at;
            sessionId = "s-" + Long.toHexString(rnd.nextLong() & 0xFFFFFFFFFFFFL | 0x100000000000L);
            viewedThisSession.clear();
            if (persona != Persona.CART_ABANDONER) cart.clear();
            // The onset is the first event of the session (after the previous session's
            // page_leave).
            if ("pending".equals(priceOnsetSession)) {
                priceOnsetSession = sessionId;
                priceOnset = events.size();
            }
            if ("pending".equals(driftOnsetSession)) {
                driftOnsetSession = sessionId;
                driftOnset = events.size();
            }
            if ("pending".equals(behaviourSession)) behaviourSession = sessionId;
        }

        /**
         * Ends the session in progress the way a browser does: the tracker's page_leave beacon for
         * the page the visitor is on, at the end of its dwell (the time the last event advanced),
         * when the beacon gets through ({@link PageLeaves#DELIVERED} of the time).
         */
        private void leave() {
            if (sessionId == null || events.isEmpty()) return;
            ShopEvent last = events.get(events.size() - 1);
            if (!sessionId.equals(last.getSessionId()) || last.getType() == EventType.PAGE_LEAVE)
                return;
            if (rnd.nextDouble() >= PageLeaves.DELIVERED) return;
            emit(PageLeaves.describe(event(EventType.PAGE_LEAVE), last), 0);
        }

        private ShopEvent event(EventType type) {
            ShopEvent e = new ShopEvent();
            e.setEventId(new java.util.UUID(rnd.nextLong(), rnd.nextLong()).toString());
            e.setType(type);
            e.setTimestamp(Instant.ofEpochMilli(t));
            e.setSessionId(sessionId);
            if (anonymous) e.setAnonymousId(visitorId);
            else e.setCustomerId(visitorId);
            return e;
        }

        private void emit(ShopEvent e, long gap) {
            events.add(e);
            t += Math.max(500, gap);
        }

        private void page(String type, long gap) {
            ShopEvent e = event(EventType.PAGE_VIEW);
            e.setPageType(type);
            e.setUrl("/" + type);
            emit(e, gap);
        }

        private void categoryPage(int c) {
            currentCategory = c;
            ShopEvent e = event(EventType.PAGE_VIEW);
            e.setPageType("category");
            e.setUrl("/c/" + categories.get(c));
            emit(e, pageGap());
        }

        private void sort(String by) {
            ShopEvent e = event(EventType.SORT);
            e.setSortBy(by);
            emit(e, 3 * SECOND);
        }

        private void search(String query, int results) {
            ShopEvent e = event(EventType.SEARCH);
            e.setQuery(query);
            e.setResultCount(results);
            emit(e, 2 * SECOND + rnd.nextInt(3000));
            page("search", pageGap());
        }

        private void view(int item, long dwell) {
            SimulatedCatalog.Item it = items.get(item);
            currentCategory = categories.indexOf(it.categoryId());
            ShopEvent e = event(EventType.PRODUCT_VIEW);
            e.setItemId(it.itemId());
            e.setCategoryId(it.categoryId());
            e.setBrand(it.brand());
            e.setPrice(price(item));
            e.setListPrice(it.listPrice());
            viewedThisSession.add(item);
            emit(e, dwell);
        }

        private void addToCart(int item) {
            SimulatedCatalog.Item it = items.get(item);
            ShopEvent e = event(EventType.ADD_TO_CART);
            e.setItemId(it.itemId());
            e.setCategoryId(it.categoryId());
            e.setQuantity(1);
            e.setPrice(price(item));
            if (!cart.contains(item)) cart.add(item);
            emit(e, 5 * SECOND + rnd.nextInt(5000));
        }

        private void removeFromCart(int item) {
            SimulatedCatalog.Item it = items.get(item);
            ShopEvent e = event(EventType.REMOVE_FROM_CART);
            e.setItemId(it.itemId());
            e.setCategoryId(it.categoryId());
            e.setQuantity(1);
            e.setPrice(price(item));
            cart.remove(Integer.valueOf(item));
            emit(e, 4 * SECOND + rnd.nextInt(4000));
        }

        private double cartTotal() {
            double total = 0;
            for (int item : cart) total += price(item);
            return Math.round(total * 100) / 100.0;
        }

        private void checkoutStart() {
            ShopEvent e = event(EventType.CHECKOUT_START);
            e.setCartTotal(cartTotal());
            emit(e, 20 * SECOND + rnd.nextInt(20_000));
            page("checkout", pageGap());
        }

        private void checkoutAndOrder(boolean abandon, boolean coupon) {
            if (cart.isEmpty()) return;
            page("cart", pageGap());
            checkoutStart();
            if (abandon) {
                // A bargain hunter leaves when the total appears; anyone else mostly leaves for
                // other
                // reasons (payment trouble, a distraction) after a while on the checkout page.
                if (!persona.priceSensitive() && rnd.nextDouble() < 0.7)
                    t += 30 * SECOND + rnd.nextInt(150_000);
                return;
            }
            ShopEvent e = event(EventType.ORDER_PLACED);
            e.setOrderId("o-" + Long.toHexString(rnd.nextLong() & 0xFFFFFFFFFFL));
            List<OrderLine> lines = new ArrayList<>();
            for (int item : cart) {
                SimulatedCatalog.Item it = items.get(item);
                lines.add(
                        new OrderLine(
                                it.itemId(), it.categoryId(), 1, price(item), it.listPrice()));
            }
            e.setLines(lines);
            double subtotal = cartTotal();
            double discount = 0;
            if (coupon) {
                int k = rnd.nextInt(COUPONS.length);
                e.setCouponCode(COUPONS[k]);
                discount = Math.round(subtotal * COUPON_RATES[k] * 100) / 100.0;
                e.setDiscountTotal(discount);
            }
            e.setTotal(Math.round((subtotal - discount) * 100) / 100.0);
            e.setCurrency("EUR");
            cart.clear();
            emit(e, 8 * SECOND);
            page("other", pageGap());
        }

        // ------------------------------------------------------------------------------- choices

        private double price(int item) {
            Double p = priceOverride.get(item);
            return p != null ? p : items.get(item).price();
        }

        private int favourite() {
            double r = rnd.nextDouble();
            return r < 0.65 ? favourites[0] : r < 0.96 ? favourites[1] : favourites[2];
        }

        /** A popular item: log-uniform rank, so the head of the category is seen most. */
        private int popular(int c) {
            int[] members = byCategory.get(c);
            int rank = (int) Math.pow(members.length, rnd.nextDouble()) - 1;
            return members[Math.max(0, Math.min(members.length - 1, rank))];
        }

        private int any(int c) {
            int[] members = byCategory.get(c);
            return members[rnd.nextInt(members.length)];
        }

        /** The dearest of a few popular items. */
        private int premium(int c) {
            int best = popular(c);
            for (int k = 0; k < 3; k++) {
                int other = popular(c);
                if (price(other) > price(best)) best = other;
            }
            return best;
        }

        /** The cheapest of a few popular items. */
        private int cheapPopular(int c) {
            int best = popular(c);
            for (int k = 0; k < 3; k++) {
                int other = popular(c);
                if (price(other) < price(best)) best = other;
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
            int[] members = byCategory.get(c);
            int head = Math.min(40, members.length);
            Integer[] top = new Integer[head];
            for (int i = 0; i < head; i++) top[i] = members[i];
            java.util.Arrays.sort(top, Comparator.comparingDouble(this::price));
            int[] out = new int[Math.min(n, head)];
            for (int i = 0; i < out.length; i++) out[i] = top[i];
            return out;
        }

        private int[] distinctCategories(int n) {
            return distinctCategoriesExcept(n, new int[0]);
        }

        private int[] distinctCategoriesExcept(int n, int[] except) {
            int[] out = new int[n];
            int filled = 0;
            while (filled < n) {
                int c = rnd.nextInt(categories.size());
                boolean taken = false;
                for (int e : except) taken |= e == c;
                for (int i = 0; i < filled; i++) taken |= out[i] == c;
                if (!taken) out[filled++] = c;
            }
            return out;
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

        private int geometric(double mean) {
            return (int) (-Math.log(1 - rnd.nextDouble()) * mean);
        }

        private String typo(String term) {
            if (term.length() < 4) return term + "zzq";
            int at = 1 + rnd.nextInt(term.length() - 2);
            return term.substring(0, at) + "q" + term.substring(at + 1) + "x";
        }
    }
}
