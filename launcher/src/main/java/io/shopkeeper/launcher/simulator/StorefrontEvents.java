package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * Writes one visitor's storefront events as the tracker sends them: the one event builder that both
 * simulated storefronts drive, the traffic simulator ({@link SessionBuilder}) and the signal
 * benchmark's planted personas ({@code PersonaGenerator}). Every event carries the visitor's ids,
 * the session and the clock; item events carry the catalog's facts at the visitor's price; the cart
 * is kept here, so checkouts and orders add up.
 *
 * <p>It decides nothing: the script chooses what happens and how long it takes ({@link
 * #pass(long)}). Its only random draws are ids, a typo's place and a coupon, taken from the
 * script's own random source at the event they belong to, so a script's stream depends on its seed
 * alone. Each method appends one event stamped now and returns it. Not thread-safe.
 */
public final class StorefrontEvents {
    /** Sort orders a listing offers, cheapest first last. */
    public static final String[] SORTS = {
        "popularity", "newest", "price_desc", "rating", "price_asc"
    };

    /** The shop's coupon codes and what each takes off the order. */
    static final String[] COUPONS = {"SAVE10", "WELCOME15", "FLASH20"};

    static final double[] COUPON_RATES = {0.10, 0.15, 0.20};
    static final String CURRENCY = "EUR";

    /** Share of sessions whose page_leave beacon reaches the store (browsers drop some). */
    public static final double PAGE_LEAVE_DELIVERED = 0.8;

    /** One cart line. */
    private record Line(int item, int quantity) {}

    private final SimulatedCatalog catalog;
    private final IntToDoubleFunction price;
    private final SplittableRandom rnd;
    private final List<ShopEvent> events = new ArrayList<>();
    private final List<Line> cart = new ArrayList<>();
    private final List<Integer> viewed = new ArrayList<>();
    private String customerId;
    private final String anonymousId;
    private String sessionId;
    private long t;

    /**
     * A visitor with a customer id, an anonymous (cookie) id, or both, who sees {@code price} for
     * an item of {@code catalog} (list prices are the catalog's) and whose ids are drawn from
     * {@code rnd}.
     */
    public StorefrontEvents(
            SimulatedCatalog catalog,
            IntToDoubleFunction price,
            SplittableRandom rnd,
            String customerId,
            String anonymousId) {
        this.catalog = catalog;
        this.price = price;
        this.rnd = rnd;
        this.customerId = customerId;
        this.anonymousId = anonymousId;
    }

    /** Everything written so far, in order. */
    public List<ShopEvent> events() {
        return events;
    }

    /** The clock: event time of the next event, epoch millis. */
    public long now() {
        return t;
    }

    /** Lets {@code millis} pass before the next event. */
    public void pass(long millis) {
        t += millis;
    }

    /** Ends the session in progress ({@link #endSession()}) and starts a new one at {@code at}. */
    public String startSession(long at) {
        endSession();
        t = at;
        sessionId = Ids.hex("s-", rnd);
        viewed.clear();
        return sessionId;
    }

    /**
     * Ends the session in progress the way a browser does: the tracker's page_leave beacon for the
     * page the visitor is on, at the end of its dwell, when the beacon gets through ({@link
     * #PAGE_LEAVE_DELIVERED} of the time). The cart stays, as a shop keeps it.
     */
    public void endSession() {
        if (sessionId == null || events.isEmpty()) return;
        ShopEvent last = events.get(events.size() - 1);
        if (!sessionId.equals(last.getSessionId()) || last.getType() == EventType.PAGE_LEAVE)
            return;
        if (rnd.nextDouble() >= PAGE_LEAVE_DELIVERED) return;
        ShopEvent leave = event(EventType.PAGE_LEAVE);
        if (last.getType() == EventType.PRODUCT_VIEW) {
            leave.setPageType("product");
            leave.setItemId(last.getItemId());
        } else if (last.getType() == EventType.PAGE_VIEW) {
            leave.setPageType(last.getPageType());
        }
    }

    /** The items viewed in this session, in order (repeats included). */
    public List<Integer> viewedThisSession() {
        return viewed;
    }

    // ---- pages

    public ShopEvent pageView(String pageType, String url) {
        ShopEvent e = event(EventType.PAGE_VIEW);
        e.setPageType(pageType);
        e.setUrl(url);
        return e;
    }

    /** The listing page of category {@code c}. */
    public ShopEvent categoryPage(int c) {
        return pageView("category", "/c/" + catalog.categoryId(c));
    }

    public ShopEvent sort(String by) {
        ShopEvent e = event(EventType.SORT);
        e.setSortBy(by);
        return e;
    }

    /**
     * A search for {@code query}, in category {@code c} when the shop knows it ({@code -1}: not
     * said); the caller sets the result count when it has one.
     */
    public ShopEvent search(String query, int c) {
        ShopEvent e = event(EventType.SEARCH);
        e.setQuery(query);
        if (c >= 0) e.setCategoryId(catalog.categoryId(c));
        return e;
    }

    /**
     * {@code term} mistyped (a letter dropped, a stray one at the end): a search finding nothing.
     */
    public String typo(String term) {
        if (term.length() < 4) return term + "zz";
        int at = 1 + rnd.nextInt(term.length() - 2);
        return term.substring(0, at) + term.substring(at + 1) + "x";
    }

    public ShopEvent productView(int item) {
        viewed.add(item);
        ShopEvent e = event(EventType.PRODUCT_VIEW);
        e.setItemId(catalog.itemId(item));
        e.setCategoryId(catalog.categoryId(catalog.categoryOf(item)));
        e.setBrand(catalog.brandName(catalog.brandOf(item)));
        e.setPrice(price.applyAsDouble(item));
        e.setListPrice(catalog.listPrice(item));
        return e;
    }

    /** A recommendation widget shown, with a fresh recommendation id. */
    public ShopEvent recommendationImpression() {
        // The product page's widget, as the API would name it: a known customer's list first.
        String recommendationId =
                Ids.recommendationId(
                        rnd,
                        "product",
                        customerId != null ? "personalized+similar+trending" : "similar+trending");
        ShopEvent e = event(EventType.IMPRESSION);
        e.setRecommendationId(recommendationId);
        return e;
    }

    /** A click on {@code item} in the widget of {@code impression}. */
    public ShopEvent recommendationClick(ShopEvent impression, int item) {
        ShopEvent e = event(EventType.CLICK);
        e.setRecommendationId(impression.getRecommendationId());
        e.setItemId(catalog.itemId(item));
        return e;
    }

    /** Logs in as {@code customer}: this and every later event carries the customer id. */
    public ShopEvent login(String customer) {
        customerId = customer;
        return event(EventType.LOGIN);
    }

    public String customerId() {
        return customerId;
    }

    // ---- the cart

    /** {@code quantity} more of {@code item} in the cart (a new item takes the next line). */
    public ShopEvent addToCart(int item, int quantity) {
        int k = lineOf(item);
        if (k < 0) cart.add(new Line(item, quantity));
        else cart.set(k, new Line(item, cart.get(k).quantity() + quantity));
        return cartEvent(EventType.ADD_TO_CART, item, quantity);
    }

    /** Removes cart line {@code k} whole; the last line takes its place. */
    public ShopEvent removeFromCart(int k) {
        Line line = cart.get(k);
        cart.set(k, cart.get(cart.size() - 1));
        cart.remove(cart.size() - 1);
        return cartEvent(EventType.REMOVE_FROM_CART, line.item(), line.quantity());
    }

    public int cartLines() {
        return cart.size();
    }

    public int cartItem(int k) {
        return cart.get(k).item();
    }

    public boolean inCart(int item) {
        return lineOf(item) >= 0;
    }

    /** Empties the cart without an event (the visitor starts over). */
    public void clearCart() {
        cart.clear();
    }

    /** The checkout page's first step, showing the cart total. */
    public ShopEvent checkoutStart() {
        ShopEvent e = event(EventType.CHECKOUT_START);
        e.setCartTotal(cartTotal());
        return e;
    }

    /**
     * The order of everything in the cart at the visitor's prices, with one of the shop's coupons
     * when {@code coupon}; empties the cart.
     */
    public ShopEvent order(boolean coupon) {
        ShopEvent e = event(EventType.ORDER_PLACED);
        e.setOrderId(Ids.hex("o-", rnd));
        List<OrderLine> lines = new ArrayList<>(cart.size());
        for (Line line : cart) {
            lines.add(
                    new OrderLine(
                            catalog.itemId(line.item()),
                            catalog.categoryId(catalog.categoryOf(line.item())),
                            line.quantity(),
                            price.applyAsDouble(line.item()),
                            catalog.listPrice(line.item())));
        }
        e.setLines(lines);
        double subtotal = cartTotal();
        double discount = 0;
        if (coupon) {
            int k = rnd.nextInt(COUPONS.length);
            e.setCouponCode(COUPONS[k]);
            discount = cents(subtotal * COUPON_RATES[k]);
            e.setDiscountTotal(discount);
        }
        e.setTotal(cents(subtotal - discount));
        e.setCurrency(CURRENCY);
        cart.clear();
        return e;
    }

    /** {@code amount} rounded to cents. */
    public static double cents(double amount) {
        return Math.round(amount * 100) / 100.0;
    }

    // ---- helpers

    private double cartTotal() {
        double total = 0;
        for (Line line : cart) total += price.applyAsDouble(line.item()) * line.quantity();
        return cents(total);
    }

    private int lineOf(int item) {
        for (int k = 0; k < cart.size(); k++) {
            if (cart.get(k).item() == item) return k;
        }
        return -1;
    }

    private ShopEvent cartEvent(EventType type, int item, int quantity) {
        ShopEvent e = event(type);
        e.setItemId(catalog.itemId(item));
        e.setQuantity(quantity);
        e.setPrice(price.applyAsDouble(item));
        e.setCategoryId(catalog.categoryId(catalog.categoryOf(item)));
        return e;
    }

    /** A new event of {@code type} by this visitor, stamped now, appended. */
    private ShopEvent event(EventType type) {
        ShopEvent e = new ShopEvent();
        e.setEventId(Ids.uuid(rnd));
        e.setType(type);
        e.setTimestamp(Instant.ofEpochMilli(t));
        e.setSessionId(sessionId);
        e.setCustomerId(customerId);
        e.setAnonymousId(anonymousId);
        events.add(e);
        return e;
    }
}
