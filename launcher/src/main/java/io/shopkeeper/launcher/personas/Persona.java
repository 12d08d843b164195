package io.shopkeeper.launcher.personas;

/**
 * The planted kinds of visitor and the truth about them: which signal is really on, and whether the
 * behaviour shows within a session (so the in-session flag should turn on in the session where it
 * happens) or only over time (purchases, interests).
 */
public enum Persona {
    /**
     * Known customer, visits every few days, buys in a few favourite categories at normal prices.
     */
    LOYAL_REGULAR(false, false, false),
    /** Frequent, big-basket, premium buyer. */
    VIP_SPENDER(false, false, false),
    /** Browses a little in one or two categories, never buys. Must not be flagged. */
    WINDOW_SHOPPER(false, false, false),
    /** Glances at full prices for seconds and leaves; buys only when something is discounted. */
    EXIT_AT_PRICE(true, false, true),
    /** Searches for coupons, sales, deals; pays with coupons; leaves at checkout without one. */
    COUPON_HUNTER(true, false, true),
    /** Shops normally but only ever buys items below list price, the cheap ones. */
    DISCOUNT_ONLY_BUYER(true, false, false),
    /** Sorts by price ascending and compares several similar items that differ in price. */
    SORTER_COMPARER(true, false, true),
    /**
     * Fills the cart, leaves or removes items when the total appears; comes back when a price
     * drops.
     */
    CART_ABANDONER(true, false, true),
    /** Lost visitor: jumps across unrelated categories with short dwell, never carts. */
    WANDERER(false, true, true),
    /** Lost visitor: searches that return nothing or are not followed by a click. */
    FAILED_SEARCHER(false, true, true),
    /** A regular whose interests move to other categories part-way (long-term interest drift). */
    INTEREST_CHANGER(false, true, false);

    private final boolean priceSensitive;
    private final boolean drifting;
    private final boolean inSession;

    Persona(boolean priceSensitive, boolean drifting, boolean inSession) {
        this.priceSensitive = priceSensitive;
        this.drifting = drifting;
        this.inSession = inSession;
    }

    public boolean priceSensitive() {
        return priceSensitive;
    }

    public boolean drifting() {
        return drifting;
    }

    /**
     * The behaviour is visible within one session (the flag should turn on within that session).
     */
    public boolean inSession() {
        return inSession;
    }
}
