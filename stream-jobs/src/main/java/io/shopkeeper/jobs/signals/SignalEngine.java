package io.shopkeeper.jobs.signals;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The price-sensitive and drifting signals. Pure logic (no Flink): the profile operator calls
 * {@link #observe} for every event of the visitor, {@link #sessionEnded} when the session's
 * inactivity timer fires, and re-evaluates both signals after each.
 *
 * <h2>How a score is made</h2>
 *
 * Every piece of evidence contributes a value in 0..1 (its weight times how strongly it fired); the
 * signal's score is the noisy-or of the contributions, {@code 1 - prod(1 - c)}, so independent
 * evidence adds up but never beyond 1. The flag turns on at {@link #FLAG_ON} and off again below
 * {@link #FLAG_OFF} (hysteresis: a visitor near the line does not flicker). Reasons are the
 * evidence contributing at least {@link #REASON_MIN}, strongest first (at most {@link
 * #MAX_REASONS}).
 *
 * <h2>Price-sensitive</h2>
 *
 * In-session evidence (turns the flag on within the session where it happens). Dwell is the time
 * from a page to the visitor's next event; for the last page of a session only the storefront's
 * {@code page_leave} beacon tells it (without one, that dwell is unknown):
 *
 * <ul>
 *   <li>{@code exit_at_price}: quick glances (under 8 s) at full-priced items without carting, 0.12
 *       each in one category, 0.06 each over two (up to 0.36); plus, when the session ends on a
 *       product view with nothing in the cart, 0.55 x the exit's strength ({@link #exitStrength}):
 *       one product left within seconds (measured by page_leave) 1, after a long look 0.1, dwell
 *       unknown 0.5 (a regular landing from an e-mail looks the same); two or more quick glances in
 *       one category, at least half of the views, 0.4 + 0.6 x quick share; otherwise two views 0.2
 *       + 0.4 x quick share, more views the quick share when at least half were quick (x 0.75 when
 *       the last item was on discount). Up to 0.8.
 *   <li>{@code cart_abandoned_at_total}: the session ends after checkout_start without an order 0.4
 *       (after the cart page 0.3, with only a cart 0.1); left the site within {@link
 *       #TOTAL_EXIT_MILLIS} of the cart or checkout page showing the total ({@link #LEFT_AT_TOTAL},
 *       0.5).
 *   <li>{@code sort_price_asc}: 0.35, 0.5 from the second sort.
 *   <li>{@code coupon_search}: a search for coupons, sales, cheap, deals... 0.5, then +0.15 (up to
 *       0.65). A statement of intent, so not damped by a full-price record (below); {@code
 *       coupon_used}: this session's order was paid with a coupon, 0.2.
 *   <li>{@code compares_similar_items}: a run of four or more views in one category whose prices
 *       differ by 30% or more (any spread after a sort by price: neighbours in a price-sorted list
 *       are similar), with at least two quick views in it: 0.2 (0.25 after a price sort), +0.08 per
 *       further quick view (up to 0.4).
 *   <li>{@code removes_after_total}: removing from the cart after checkout_start 0.4, then +0.15.
 *   <li>{@code returns_on_price_drop}: viewing again an item whose price fell 3% or more since the
 *       visitor's last view of it 0.35, then +0.15.
 * </ul>
 *
 * When the next session starts, each of these is folded into a long-term habit (exponential average
 * over sessions, weight {@link #HABIT_ALPHA}, halving every 21 days) that contributes {@code 1.4 x
 * habit}. Behavioural evidence (session and habits, all but {@code coupon_search}) is damped by a
 * record of paying full price: {@code x 1 / (1 + 0.4 x fullPriceOrders)} (decayed count of orders
 * without a coupon, each counted by its share of lines neither discounted nor 40% below what the
 * visitor was shown in the category), so one odd session of a loyal regular stays below the flag.
 * Purchase evidence (decayed counts, half-life 90 days, shrunk towards a store-wide prior so a
 * couple of lines prove nothing):
 *
 * <ul>
 *   <li>{@code discount_share_high}: share of bought lines below list price (prior 20% over 5
 *       lines), 0 at 40% rising to 0.7 at 65%.
 *   <li>{@code coupon_share_high}: share of orders with a coupon (prior 6% over 2 orders, so two
 *       coupon orders of a new customer are not yet a habit), 0 at 35% rising to 0.6 at 70%.
 *   <li>{@code buys_low_price_band}: average log(paid / typical price the visitor was shown in that
 *       category), shrunk by n/(n+4), from 25% below rising to 0.5 at 60% below (three lines or
 *       more).
 * </ul>
 *
 * <h2>Drifting</h2>
 *
 * (a) In-session wandering, only while nothing is in the cart (a cart or an order clears it at
 * once): {@code wandering_across_categories} (four or more product views over three or more
 * categories, 0.2 per category beyond two, up to 0.6), {@code aimless_navigation} (four or more
 * home, category or other pages and more of them than product views: 0.1 per page beyond two, up to
 * 0.4), {@code searches_without_results} (0.3 each, up to 0.6), {@code searches_without_click} (a
 * search with results followed by another search or a page other than a product, 0.25 each, up to
 * 0.5), and {@code short_dwell} (most product views under 8 s: up to 0.3, only alongside other
 * drifting evidence). It ends with the session. (b) {@code interest_drift}: the share of the recent
 * interest (short-term category distribution, half-life 2 days, the profile's weights) that falls
 * in categories under 8% of the long-term baseline (a snapshot of the profile's category affinity
 * taken once there are 40 category observations and refreshed every 21 days while no drift is under
 * way): a one-sided total variation distance between the two distributions, restricted to
 * categories new to the profile. Averaged over sessions (weight {@link #DRIFT_ALPHA} = 0.35, so it
 * takes about three sessions in new categories, not two: a regular who visits a minor favourite
 * twice in a row is not drifting) so the shift must persist; contributes {@code (average - 0.2) /
 * 0.6}. It is not in-session: it stays on across sessions until the baseline catches up.
 */
public final class SignalEngine implements Serializable {
    public static final String EXIT_AT_PRICE = "exit_at_price";
    public static final String CART_ABANDONED_AT_TOTAL = "cart_abandoned_at_total";
    public static final String SORT_PRICE_ASC = "sort_price_asc";
    public static final String COUPON_SEARCH = "coupon_search";
    public static final String COUPON_USED = "coupon_used";
    public static final String COMPARES_SIMILAR_ITEMS = "compares_similar_items";
    public static final String REMOVES_AFTER_TOTAL = "removes_after_total";
    public static final String RETURNS_ON_PRICE_DROP = "returns_on_price_drop";
    public static final String DISCOUNT_SHARE_HIGH = "discount_share_high";
    public static final String COUPON_SHARE_HIGH = "coupon_share_high";
    public static final String BUYS_LOW_PRICE_BAND = "buys_low_price_band";
    public static final String WANDERING_ACROSS_CATEGORIES = "wandering_across_categories";
    public static final String SEARCHES_WITHOUT_RESULTS = "searches_without_results";
    public static final String SEARCHES_WITHOUT_CLICK = "searches_without_click";
    public static final String SHORT_DWELL = "short_dwell";
    public static final String AIMLESS_NAVIGATION = "aimless_navigation";
    public static final String INTEREST_DRIFT = "interest_drift";

    public static final double FLAG_ON = 0.5;
    public static final double FLAG_OFF = 0.3;
    public static final double REASON_MIN = 0.12;

    /** At most this many reasons are given (the strongest), so the signal's JSON stays small. */
    public static final int MAX_REASONS = 4;

    public static final double HABIT_ALPHA = 0.5;
    public static final long QUICK_MILLIS = 8_000;

    /** Leaving the site this soon after the cart total was shown counts as leaving at the total. */
    public static final long TOTAL_EXIT_MILLIS = 15_000;

    /**
     * {@code cart_abandoned_at_total} when the visitor left within {@link #TOTAL_EXIT_MILLIS} of
     * the total.
     */
    static final double LEFT_AT_TOTAL = 0.5;

    public static final double DRIFT_ALPHA = 0.35;

    /**
     * Behavioural price evidence is multiplied by {@code 1 / (1 + FULL_PRICE_DAMPING x fullPaid)}.
     */
    static final double FULL_PRICE_DAMPING = 0.4;

    /**
     * {@code discount_share_high} is 0 at this (shrunk) share of lines bought below list price ...
     */
    static final double DISCOUNT_SHARE_FROM = 0.4;

    /** ... and reaches 0.7 this much higher. */
    static final double DISCOUNT_SHARE_SPAN = 0.25;

    /**
     * The session evidence kinds of the price signal: the habit key each is kept under in state
     * (short), its reason code, and whether a record of paying full price damps it (asking for a
     * bargain is a statement of intent, not noise a regular makes: not damped).
     */
    private enum PriceKind {
        EXIT("exit", EXIT_AT_PRICE, true),
        ABANDON("abandon", CART_ABANDONED_AT_TOTAL, true),
        SORT("sort", SORT_PRICE_ASC, true),
        COUPON("coupon", COUPON_SEARCH, false),
        COMPARE("compare", COMPARES_SIMILAR_ITEMS, true),
        REMOVE("remove", REMOVES_AFTER_TOTAL, true),
        DROP("drop", RETURNS_ON_PRICE_DROP, true);

        final String habit;
        final String reason;
        final boolean damped;

        PriceKind(String habit, String reason, boolean damped) {
            this.habit = habit;
            this.reason = reason;
            this.damped = damped;
        }
    }

    static final int MAX_SESSION_CATEGORIES = 5;
    static final int MAX_SEEN_CATEGORIES = 3;
    static final int MAX_RECENT_ITEMS = 4;
    static final int MAX_SHORT_TERM = 5;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final long HABIT_HALF_LIFE = 21 * DAY;
    private static final double MAX_TALLY = 40;
    private static final long PURCHASE_HALF_LIFE = 90 * DAY;
    private static final long SHORT_TERM_HALF_LIFE = 2 * DAY;
    private static final double MIN_SHORT_TERM_MASS = 4;
    private static final int MIN_OBSERVATIONS = 40;
    private static final long BASE_REFRESH = 21 * DAY;
    static final int MAX_BASE = 5;
    private static final double ESTABLISHED_SHARE = 0.08;
    private static final Pattern BARGAIN_QUERY =
            Pattern.compile(
                    "\\b(coupons?|vouchers?|promo|promos|promotion|codes?|discounts?|discounted|sales?|deals?|cheap|cheapest|"
                            + "bargains?|clearance|outlet|offers?|budget|rebate|markdown|under \\d+|lowest price|% ?off)\\b");

    private final long sessionGapMillis;

    /** {@code sessionGap}: inactivity that ends a session (the operator's timer uses the same). */
    public SignalEngine(Duration sessionGap) {
        this.sessionGapMillis = sessionGap.toMillis();
    }

    // ------------------------------------------------------------------------------------------
    // events

    /**
     * Folds one event into the evidence. {@code longTermCategories} is the profile's slow-decaying
     * affinity. The caller drops a late {@code page_leave} first (outside the running session: the
     * one rule is {@code ProfileUpdater.isLateLeave}, applied by {@code VisitorStep}), so every
     * leave seen here ends a page of the session in progress.
     */
    public void observe(
            SignalEvidence ev, ShopEvent event, Map<String, Double> longTermCategories) {
        EventType type = event.getType();
        if (type == null || !type.isVisitorEvent() || type == EventType.CUSTOMER_FORGOTTEN) return;
        long at = event.eventTimeMillis();
        boolean sessionEvent =
                event.getSessionId() != null
                        && type != EventType.IMPRESSION
                        && type != EventType.LOGIN;
        if (sessionEvent) {
            // The timer may not have fired yet (watermark behind): a long gap ends the session
            // here.
            if (ev.isOpen() && at - ev.getLast() > sessionGapMillis)
                sessionEnded(ev, ev.getLast() + sessionGapMillis);
            if (!ev.isOpen()) startSession(ev, at);
            if (ev.getSession().isLastView() && !ev.getSession().isLeft() && at >= ev.getLast()) {
                ev.getSession().setDwells(ev.getSession().getDwells() + 1);
                if (at - ev.getLast() < QUICK_MILLIS) {
                    ev.getSession().setQuick(ev.getSession().getQuick() + 1);
                    ev.getSession().setRunQuick(ev.getSession().getRunQuick() + 1);
                    if (ev.getSession().isLastFull() && ev.getSession().getCarts() == 0)
                        ev.getSession().setQuickFull(ev.getSession().getQuickFull() + 1);
                    updateBestRun(ev);
                }
            }
        }
        switch (type) {
            case PRODUCT_VIEW -> productView(ev, event, at, longTermCategories);
            case PAGE_VIEW -> {
                String page = event.getPageType();
                if (ev.getSession().isPending()
                        && !"search".equals(page)
                        && !"product".equals(page)) {
                    ev.getSession().setUnclicked(ev.getSession().getUnclicked() + 1);
                    ev.getSession().setPending(false);
                }
                if ("home".equals(page) || "category".equals(page) || "other".equals(page))
                    ev.getSession().setNavs(ev.getSession().getNavs() + 1);
                if (showsTotal(page)) {
                    ev.getSession().setCartPage(true);
                }
            }
            case SEARCH -> search(ev, event);
            case SORT -> {
                if (isPriceAscending(event.getSortBy()))
                    ev.getSession().setSorts(ev.getSession().getSorts() + 1);
            }
            case CLICK -> ev.getSession().setPending(false);
            case PAGE_LEAVE -> {
                // Leaving within seconds of the total: the total is what made them leave.
                if (ev.getSession().isOnTotal()
                        && at - ev.getLast() < TOTAL_EXIT_MILLIS
                        && ev.getSession().getCarts() > 0
                        && !ev.getSession().isOrdered()) {
                    ev.getSession().setLeftAtTotal(true);
                }
            }
            case ADD_TO_CART -> {
                ev.getSession().setCarts(ev.getSession().getCarts() + 1);
                ev.getSession().setPending(false);
                interest(
                        ev,
                        key(event.getCategoryId()),
                        3 * quantity(event.getQuantity()),
                        at,
                        longTermCategories);
            }
            case REMOVE_FROM_CART -> {
                if (ev.getSession().isCheckout())
                    ev.getSession().setRemoves(ev.getSession().getRemoves() + 1);
            }
            case CHECKOUT_START -> {
                ev.getSession().setCheckout(true);
                ev.getSession().setCartPage(true);
            }
            case ORDER_PLACED -> order(ev, event, at, longTermCategories);
            default -> {}
        }
        if (sessionEvent) {
            if (at >= ev.getLast()) {
                ev.setLast(at);
                // A page_leave ends the current page's dwell but leaves "the page the session is
                // on" as it is.
                if (type == EventType.PAGE_LEAVE) {
                    ev.getSession().setLeft(true);
                } else {
                    ev.getSession().setLeft(false);
                    ev.getSession().setLastView(type == EventType.PRODUCT_VIEW);
                    // On the cart or checkout page the total is in view; removing items there stays
                    // on it.
                    boolean total =
                            type == EventType.CHECKOUT_START
                                    || (type == EventType.PAGE_VIEW
                                            && showsTotal(event.getPageType()));
                    ev.getSession()
                            .setOnTotal(
                                    total
                                            || (type == EventType.REMOVE_FROM_CART
                                                    && ev.getSession().isOnTotal()));
                }
            }
        }
    }

    /**
     * Called when the visitor's session ends (event-time inactivity timer, or a new session id).
     * Idempotent; a stale timer (earlier than the session's latest event) changes nothing.
     */
    public void sessionEnded(SignalEvidence ev, long at) {
        if (!ev.isOpen() || at < ev.getLast()) return;
        ev.setOpen(false);
        if (ev.getSession().isPending()) {
            ev.getSession().setUnclicked(ev.getSession().getUnclicked() + 1);
            ev.getSession().setPending(false);
        }
        if (ev.getSession().isLastView()
                && ev.getSession().getCarts() == 0
                && !ev.getSession().isOrdered()
                && ev.getSession().getCats().size() <= 2) {
            ev.getSession().setExit(round2(exitStrength(ev)));
        }
    }

    /**
     * How much the end of a session (on a product view, nothing carted or bought, one or two
     * categories) looks like leaving at the price, 0..1. One product: 1 when a page_leave shows it
     * was left within seconds, 0.1 after a long look, 0.5 when the dwell is unknown (a regular
     * landing from an e-mail looks the same, so it cannot flag alone). Two or more views in one
     * category, at least half of them quick glances: {@code 0.4 + 0.6 x quick share} (looked at a
     * few prices and left at one). Otherwise two views {@code 0.2 + 0.4 x quick share}, more views
     * the quick share when at least half were quick. x 0.75 when the last item was on discount
     * (even a discount did not keep them).
     */
    static double exitStrength(SignalEvidence ev) {
        double quickShare =
                ev.getSession().getDwells() == 0
                        ? 0
                        : (double) ev.getSession().getQuick() / ev.getSession().getDwells();
        double s;
        if (ev.getSession().getViews() <= 1 && ev.getSession().getDwells() == 1)
            s = ev.getSession().getQuick() == 1 ? 1 : 0.1; // dwell measured by page_leave
        else if (ev.getSession().getViews() <= 1) s = 0.5;
        else if (ev.getSession().getCats().size() == 1
                && ev.getSession().getQuick() >= 2
                && quickShare >= 0.5) s = 0.4 + 0.6 * quickShare;
        else if (ev.getSession().getViews() == 2) s = 0.2 + 0.4 * quickShare;
        else s = quickShare >= 0.5 ? quickShare : 0;
        return ev.getSession().isLastFull() ? s : 0.75 * s;
    }

    private void startSession(SignalEvidence ev, long at) {
        if (ev.getLast() > 0) foldSession(ev, at);
        ev.setOpen(true);
        ev.setSession(new SessionEvidence());
    }

    /** The previous session's price evidence becomes part of the long-term habits. */
    private void foldSession(SignalEvidence ev, long at) {
        boolean wasOpen = ev.isOpen();
        ev.setOpen(false);
        double[] c = sessionPrice(ev);
        ev.setOpen(wasOpen);
        decayLongTerm(ev, at);
        Map<String, Double> habits = ev.getHabits();
        for (PriceKind kind : PriceKind.values()) {
            double h =
                    habits.getOrDefault(kind.habit, 0.0) * (1 - HABIT_ALPHA)
                            + HABIT_ALPHA * c[kind.ordinal()];
            if (h < 0.01) habits.remove(kind.habit);
            else habits.put(kind.habit, round2(h));
        }
        ev.setDriftAvg(round2((1 - DRIFT_ALPHA) * ev.getDriftAvg() + DRIFT_ALPHA * ev.getDrift()));
        ev.setDrift(0);
    }

    private void productView(
            SignalEvidence ev, ShopEvent event, long at, Map<String, Double> longTerm) {
        ev.getSession().setViews(ev.getSession().getViews() + 1);
        ev.getSession().setPending(false);
        String category = key(event.getCategoryId());
        Double price = event.getPrice();
        Double list = event.getListPrice();
        ev.getSession().setLastFull(price != null && (list == null || price >= list - 1e-9));
        if (category != null
                && !ev.getSession().getCats().contains(category)
                && ev.getSession().getCats().size() < MAX_SESSION_CATEGORIES) {
            ev.getSession().getCats().add(category);
        }
        if (price != null && price > 0) {
            // Runs of views in one category: comparing similar items that differ in price.
            if (category != null && category.equals(ev.getSession().getRun())) {
                ev.getSession().setRunViews(ev.getSession().getRunViews() + 1);
                ev.getSession().setRunMin(Math.min(ev.getSession().getRunMin(), price));
                ev.getSession().setRunMax(Math.max(ev.getSession().getRunMax(), price));
            } else {
                ev.getSession().setRun(category);
                ev.getSession().setRunViews(1);
                ev.getSession().setRunQuick(0);
                ev.getSession().setRunMin(price);
                ev.getSession().setRunMax(price);
            }
            updateBestRun(ev);
            if (category != null) seenPrice(ev, category, price);
            recentPrice(ev, key(event.getItemId()), price);
        }
        interest(ev, category, 1, at, longTerm);
    }

    private static void updateBestRun(SignalEvidence ev) {
        // Items that differ in price by 30% or more; after a sort by price the items next to each
        // other are
        // similar by construction (skimming the cheap end of a price-sorted list), so any spread
        // counts.
        boolean differ =
                ev.getSession().getRunMax() >= 1.3 * ev.getSession().getRunMin()
                        || ev.getSession().getSorts() > 0;
        if (ev.getSession().getRunViews() >= 4
                && differ
                && ev.getSession().getRunQuick() > ev.getSession().getBestRun()) {
            ev.getSession().setBestRun(ev.getSession().getRunQuick());
        }
    }

    private void search(SignalEvidence ev, ShopEvent event) {
        if (ev.getSession().isPending())
            ev.getSession().setUnclicked(ev.getSession().getUnclicked() + 1);
        ev.getSession().setPending(false);
        String query = event.getQuery() == null ? "" : event.getQuery().toLowerCase(Locale.ROOT);
        if (BARGAIN_QUERY.matcher(query).find())
            ev.getSession().setDealSearches(ev.getSession().getDealSearches() + 1);
        Integer results = event.getResultCount();
        if (results != null && results == 0)
            ev.getSession().setNoResults(ev.getSession().getNoResults() + 1);
        else ev.getSession().setPending(true);
    }

    private void order(SignalEvidence ev, ShopEvent event, long at, Map<String, Double> longTerm) {
        if (event.getSessionId() != null) ev.getSession().setOrdered(true);
        decayLongTerm(ev, at);
        ev.setOrders(round(ev.getOrders() + 1));
        boolean coupon =
                event.getCouponCode() != null
                        || (event.getDiscountTotal() != null && event.getDiscountTotal() > 0);
        if (coupon) ev.setCouponOrders(round(ev.getCouponOrders() + 1));
        if (coupon && event.getSessionId() != null) ev.getSession().setCouponUsed(true);
        if (event.getLines() == null) return;
        int fullLines = 0;
        for (OrderLine line : event.getLines()) {
            ev.setOrderLines(round(ev.getOrderLines() + 1));
            if (line.discounted()) ev.setDiscountedLines(round(ev.getDiscountedLines() + 1));
            String category = key(line.getCategoryId());
            Double seen = category == null ? null : ev.getSeen().get(category);
            boolean low = false;
            if (seen != null && line.getUnitPrice() > 0) {
                double x = Math.log(line.getUnitPrice()) - seen;
                if (x < -0.4) low = true;
                ev.setBand(round2(ev.getBandN() == 0 ? x : 0.7 * ev.getBand() + 0.3 * x));
                ev.setBandN(Math.min(20, ev.getBandN() + 1));
            }
            if (!line.discounted() && !low) fullLines++;
            interest(ev, category, 5 * Math.max(1, line.getQuantity()), at, longTerm);
        }
        // The order's share of lines paid at full price (no discount, not far below what the
        // visitor was
        // shown in the category); a coupon order counts nothing.
        if (!coupon && !event.getLines().isEmpty())
            ev.setFullPaid(round(ev.getFullPaid() + (double) fullLines / event.getLines().size()));
        if (ev.getOrderLines() > MAX_TALLY) {
            // Halving every tally keeps the shares and the numbers short.
            ev.setOrderLines(round(ev.getOrderLines() / 2));
            ev.setDiscountedLines(round(ev.getDiscountedLines() / 2));
            ev.setOrders(round(ev.getOrders() / 2));
            ev.setCouponOrders(round(ev.getCouponOrders() / 2));
            ev.setFullPaid(round(ev.getFullPaid() / 2));
        }
    }

    /** The cart and checkout pages show the cart total. */
    private static boolean showsTotal(String pageType) {
        return "cart".equals(pageType) || "checkout".equals(pageType);
    }

    private static boolean isPriceAscending(String sortBy) {
        if (sortBy == null) return false;
        String s =
                sortBy.toLowerCase(Locale.ROOT)
                        .replace('-', '_')
                        .replace(':', '_')
                        .replace(' ', '_');
        return s.equals("price_asc")
                || s.equals("price")
                || s.equals("price_low_high")
                || s.equals("lowest_price")
                || s.equals("price_ascending")
                || s.equals("cheapest");
    }

    private static int quantity(Integer q) {
        return q == null || q < 1 ? 1 : q;
    }

    // ------------------------------------------------------------------------------- bounded
    // tallies

    private void seenPrice(SignalEvidence ev, String category, double price) {
        Map<String, Double> seen = ev.getSeen();
        double lp = Math.log(price);
        Double m = seen.get(category);
        if (m == null && seen.size() >= MAX_SEEN_CATEGORIES) {
            // Forget the category the visitor looks at least now.
            Map<String, Double> st = ev.getRecent();
            seen.keySet().stream()
                    .min(
                            Comparator.comparingDouble((String c) -> st.getOrDefault(c, 0.0))
                                    .thenComparing(c -> c))
                    .ifPresent(seen::remove);
        }
        seen.put(category, round2(m == null ? lp : 0.8 * m + 0.2 * lp));
    }

    private void recentPrice(SignalEvidence ev, String item, double price) {
        if (item == null) return;
        List<String> items = ev.getItems();
        List<Double> prices = ev.getPrices();
        int i = items.indexOf(item);
        if (i >= 0) {
            if (i < prices.size() && price < prices.get(i) * 0.97)
                ev.getSession().setDrops(ev.getSession().getDrops() + 1);
            items.remove(i);
            if (i < prices.size()) prices.remove(i);
        }
        items.add(0, item);
        prices.add(0, price);
        while (items.size() > MAX_RECENT_ITEMS) items.remove(items.size() - 1);
        while (prices.size() > items.size()) prices.remove(prices.size() - 1);
    }

    /**
     * Adds interest in {@code category} to the short-term distribution and re-measures the interest
     * drift.
     */
    private void interest(
            SignalEvidence ev,
            String category,
            double weight,
            long at,
            Map<String, Double> longTerm) {
        if (category == null) return;
        Map<String, Double> st = ev.getRecent();
        if (ev.getStAsOf() == 0) ev.setStAsOf(at);
        if (at - ev.getStAsOf() >= 6 * HOUR) {
            double f = Math.pow(0.5, (double) (at - ev.getStAsOf()) / SHORT_TERM_HALF_LIFE);
            st.replaceAll((k, v) -> round2(v * f));
            st.values().removeIf(v -> v < 0.1);
            ev.setStAsOf(at);
        }
        st.merge(category, weight, (a, b) -> round2(a + b));
        if (st.size() > MAX_SHORT_TERM) {
            st.entrySet().stream()
                    .filter(e -> !e.getKey().equals(category))
                    .min(
                            Map.Entry.<String, Double>comparingByValue()
                                    .thenComparing(Map.Entry.comparingByKey()))
                    .ifPresent(e -> st.remove(e.getKey()));
        }
        ev.setObs(Math.min(99, ev.getObs() + 1));
        refreshBase(ev, at, longTerm);
        ev.setDrift(ev.getBase().isEmpty() ? 0 : round2(newInterestShare(st, ev.getBase())));
    }

    /**
     * Snapshots the long-term interest once there is enough history, and again every few weeks
     * while no drift is under way.
     */
    private static void refreshBase(SignalEvidence ev, long at, Map<String, Double> longTerm) {
        if (ev.getObs() < MIN_OBSERVATIONS || longTerm == null || longTerm.isEmpty()) return;
        long age = at - ev.getBaseAt();
        boolean due =
                ev.getBaseAt() == 0
                        || (age >= BASE_REFRESH && ev.getDriftAvg() < 0.3)
                        || age >= 2 * BASE_REFRESH;
        if (!due) return;
        double total = 0;
        for (double v : longTerm.values()) total += Math.max(0, v);
        if (total <= 0) return;
        double sum = total;
        Map<String, Double> base = ev.getBase();
        base.clear();
        longTerm.entrySet().stream()
                .filter(e -> e.getValue() / sum >= 0.02)
                .sorted(
                        Map.Entry.<String, Double>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_BASE)
                .forEach(e -> base.put(key(e.getKey()), round2(e.getValue() / sum)));
        ev.setBaseAt(at);
    }

    /**
     * The share of the short-term interest that lies in categories under {@link #ESTABLISHED_SHARE}
     * of the long-term baseline (linearly: a category at half of it counts half): a one-sided total
     * variation distance between the recent and the long-term category distributions, restricted to
     * new categories.
     */
    static double newInterestShare(Map<String, Double> shortTerm, Map<String, Double> base) {
        double stTotal = 0;
        for (double v : shortTerm.values()) stTotal += v;
        if (stTotal < MIN_SHORT_TERM_MASS) return 0;
        double share = 0;
        for (Map.Entry<String, Double> e : shortTerm.entrySet()) {
            double established = base.getOrDefault(e.getKey(), 0.0);
            share += e.getValue() / stTotal * clamp(1 - established / ESTABLISHED_SHARE);
        }
        return Math.min(1, share);
    }

    private void decayLongTerm(SignalEvidence ev, long at) {
        if (ev.getLtAsOf() == 0) {
            ev.setLtAsOf(at);
            return;
        }
        long elapsed = at - ev.getLtAsOf();
        if (elapsed < DAY)
            return; // decayed in steps of a day at least, so rounding never stalls it
        double h = Math.pow(0.5, (double) elapsed / HABIT_HALF_LIFE);
        ev.getHabits().replaceAll((k, v) -> round2(v * h));
        ev.getHabits().values().removeIf(v -> v < 0.01);
        double p = Math.pow(0.5, (double) elapsed / PURCHASE_HALF_LIFE);
        ev.setOrderLines(round(ev.getOrderLines() * p));
        ev.setDiscountedLines(round(ev.getDiscountedLines() * p));
        ev.setOrders(round(ev.getOrders() * p));
        ev.setCouponOrders(round(ev.getCouponOrders() * p));
        ev.setFullPaid(round(ev.getFullPaid() * p));
        ev.setLtAsOf(at);
    }

    // ----------------------------------------------------------------------------------
    // evaluations

    /**
     * Contribution of each session evidence kind (by {@link PriceKind} ordinal) of the current or
     * just-ended session.
     */
    private static double[] sessionPrice(SignalEvidence ev) {
        double[] c = new double[PriceKind.values().length];
        double glance =
                ev.getSession().getCarts() > 0
                        ? 0
                        : ev.getSession().getCats().size() <= 1
                                ? 0.12
                                : ev.getSession().getCats().size() == 2 ? 0.06 : 0;
        double glances = Math.min(0.36, glance * ev.getSession().getQuickFull());
        c[PriceKind.EXIT.ordinal()] = Math.min(0.8, glances + 0.55 * ev.getSession().getExit());
        if (!ev.isOpen() && !ev.getSession().isOrdered()) {
            c[PriceKind.ABANDON.ordinal()] =
                    ev.getSession().isLeftAtTotal()
                            ? LEFT_AT_TOTAL
                            : ev.getSession().isCheckout()
                                    ? 0.4
                                    : ev.getSession().isCartPage() && ev.getSession().getCarts() > 0
                                            ? 0.3
                                            : ev.getSession().getCarts() > 0 ? 0.1 : 0;
        }
        c[PriceKind.SORT.ordinal()] =
                ev.getSession().getSorts() == 0
                        ? 0
                        : Math.min(0.5, 0.35 + 0.15 * (ev.getSession().getSorts() - 1));
        c[PriceKind.COUPON.ordinal()] =
                ev.getSession().getDealSearches() == 0
                        ? 0
                        : Math.min(0.65, 0.5 + 0.15 * (ev.getSession().getDealSearches() - 1));
        c[PriceKind.COMPARE.ordinal()] =
                ev.getSession().getBestRun() >= 2
                        ? Math.min(
                                0.4,
                                (ev.getSession().getSorts() > 0 ? 0.25 : 0.2)
                                        + 0.08 * (ev.getSession().getBestRun() - 2))
                        : 0;
        c[PriceKind.REMOVE.ordinal()] =
                ev.getSession().getRemoves() == 0
                        ? 0
                        : Math.min(0.55, 0.4 + 0.15 * (ev.getSession().getRemoves() - 1));
        c[PriceKind.DROP.ordinal()] =
                ev.getSession().getDrops() == 0
                        ? 0
                        : Math.min(0.5, 0.35 + 0.15 * (ev.getSession().getDrops() - 1));
        return c;
    }

    public SignalState priceSensitivity(SignalEvidence ev, SignalState previous, long now) {
        Map<String, Double> contributions = priceContributions(ev, now);
        return next(previous, contributions, now);
    }

    /** Every price evidence's contribution now, by reason code (for explanations and tests). */
    public Map<String, Double> priceContributions(SignalEvidence ev, long now) {
        Map<String, Double> out = new HashMap<>();
        double[] session = sessionPrice(ev);
        double habitDecay =
                ev.getLtAsOf() > 0 && now > ev.getLtAsOf()
                        ? Math.pow(0.5, (double) (now - ev.getLtAsOf()) / HABIT_HALF_LIFE)
                        : 1;
        // A record of paying full price speaks against behavioural evidence (one odd session of a
        // regular).
        double damp = 1 / (1 + FULL_PRICE_DAMPING * ev.getFullPaid());
        for (PriceKind kind : PriceKind.values()) {
            double habit =
                    Math.min(1, 1.4 * ev.getHabits().getOrDefault(kind.habit, 0.0) * habitDecay);
            double c = (kind.damped ? damp : 1) * noisyOr(session[kind.ordinal()], habit);
            if (c > 0) out.put(kind.reason, c);
        }
        // This session's order paid with a coupon: a hint that adds to a bargain search (the
        // long-term
        // coupon share speaks for the habit).
        if (ev.getSession().isCouponUsed()) put(out, COUPON_USED, damp * 0.2);
        double discountShare = (ev.getDiscountedLines() + 0.2 * 5) / (ev.getOrderLines() + 5);
        put(
                out,
                DISCOUNT_SHARE_HIGH,
                0.7 * clamp((discountShare - DISCOUNT_SHARE_FROM) / DISCOUNT_SHARE_SPAN));
        double couponShare = (ev.getCouponOrders() + 0.12) / (ev.getOrders() + 2);
        put(out, COUPON_SHARE_HIGH, 0.6 * clamp((couponShare - 0.35) / 0.35));
        if (ev.getBandN() >= 3) {
            double band = ev.getBand() * ev.getBandN() / (ev.getBandN() + 4.0);
            put(out, BUYS_LOW_PRICE_BAND, 0.5 * clamp((-band - 0.25) / 0.35));
        }
        return out;
    }

    public SignalState drifting(SignalEvidence ev, SignalState previous, long now) {
        return next(previous, driftContributions(ev), now);
    }

    /** Every drifting evidence's contribution now, by reason code. */
    public Map<String, Double> driftContributions(SignalEvidence ev) {
        Map<String, Double> out = new HashMap<>();
        if (ev.isOpen() && ev.getSession().getCarts() == 0 && !ev.getSession().isOrdered()) {
            double wander =
                    ev.getSession().getViews() >= 4 && ev.getSession().getCats().size() >= 3
                            ? Math.min(0.7, 0.2 * (ev.getSession().getCats().size() - 2))
                            : 0;
            double zero = Math.min(0.6, 0.3 * ev.getSession().getNoResults());
            double unclicked = Math.min(0.5, 0.25 * ev.getSession().getUnclicked());
            put(out, WANDERING_ACROSS_CATEGORIES, wander);
            if (ev.getSession().getNavs() >= 4
                    && ev.getSession().getNavs() > ev.getSession().getViews())
                put(out, AIMLESS_NAVIGATION, Math.min(0.4, 0.1 * (ev.getSession().getNavs() - 2)));
            put(out, SEARCHES_WITHOUT_RESULTS, zero);
            put(out, SEARCHES_WITHOUT_CLICK, unclicked);
            if (!out.isEmpty()
                    && ev.getSession().getDwells() >= 4
                    && 2 * ev.getSession().getQuick() >= ev.getSession().getDwells()) {
                put(
                        out,
                        SHORT_DWELL,
                        0.3 * ev.getSession().getQuick() / ev.getSession().getDwells());
            }
        }
        // What the interest-drift average would be if the session ended now: a shift must persist
        // over sessions.
        double drift =
                Math.max(
                        ev.getDriftAvg(),
                        (1 - DRIFT_ALPHA) * ev.getDriftAvg() + DRIFT_ALPHA * ev.getDrift());
        put(out, INTEREST_DRIFT, clamp((drift - 0.2) / 0.6));
        return out;
    }

    private static SignalState next(
            SignalState previous, Map<String, Double> contributions, long now) {
        double keep = 1;
        for (double c : contributions.values()) keep *= 1 - c;
        double score = round(1 - keep);
        boolean wasOn = previous != null && previous.isFlagged();
        boolean flagged = wasOn ? score >= FLAG_OFF : score >= FLAG_ON;
        List<String> reasons = reasons(contributions);
        long onSince = flagged ? (wasOn ? previous.getOnSince() : now) : 0;
        return new SignalState(score, flagged, reasons, onSince);
    }

    /**
     * The codes contributing at least {@link #REASON_MIN}, strongest first, ties by code, at most
     * {@link #MAX_REASONS}.
     */
    static List<String> reasons(Map<String, Double> contributions) {
        List<String> reasons = new ArrayList<>(MAX_REASONS);
        // The strongest first, ties by code (keys are unique, so the order is total): each pass
        // takes the strongest after the last taken. A handful of codes and at most MAX_REASONS
        // passes, without the stream and sort the profile step ran per event (issue 11).
        String lastKey = null;
        double lastValue = 0;
        for (int taken = 0; taken < MAX_REASONS; taken++) {
            String bestKey = null;
            double bestValue = 0;
            for (Map.Entry<String, Double> e : contributions.entrySet()) {
                double value = e.getValue();
                if (value < REASON_MIN) continue;
                String key = e.getKey();
                if (lastKey != null && !after(value, key, lastValue, lastKey)) continue;
                if (bestKey == null || after(bestValue, bestKey, value, key)) {
                    bestKey = key;
                    bestValue = value;
                }
            }
            if (bestKey == null) break;
            reasons.add(bestKey);
            lastKey = bestKey;
            lastValue = bestValue;
        }
        return reasons;
    }

    /**
     * Whether {@code (value, key)} comes after {@code (than, thanKey)}: weaker, or as strong with a
     * later code.
     */
    private static boolean after(double value, String key, double than, String thanKey) {
        int byValue = Double.compare(value, than);
        return byValue < 0 || (byValue == 0 && key.compareTo(thanKey) > 0);
    }

    private static void put(Map<String, Double> out, String reason, double value) {
        if (value > 0) out.put(reason, value);
    }

    private static double noisyOr(double a, double b) {
        return 1 - (1 - a) * (1 - b);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /**
     * The key a category or item is kept under in the evidence: short ids as they are, long ones
     * (SKUs, paths, UUIDs) as a 6-character base-36 hash, so the evidence stays small whatever the
     * ids look like.
     */
    static String key(String id) {
        if (id == null || id.length() <= 10) return id;
        return "#" + Integer.toString(id.hashCode() & 0x7FFFFFFF, 36);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
