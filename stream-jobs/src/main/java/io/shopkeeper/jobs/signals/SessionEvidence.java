package io.shopkeeper.jobs.signals;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-session evidence of the price-sensitive and drifting signals (views, quick glances, sorts,
 * searches, carts, checkout, ...): part of {@link SignalEvidence}, kept until the next session
 * starts (so the evidence of a session that just ended, e.g. an exit at the price, still speaks
 * until the visitor comes back), then folded into the long-term habits and replaced by a fresh one
 * ({@link SignalEngine}): one object, reset in one place. A Flink POJO; short JSON names, zero
 * values left out.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public class SessionEvidence {
    /** The latest session event was a product view; and that item was shown at full price. */
    @JsonProperty("lv")
    private boolean lastView;

    @JsonProperty("lf")
    private boolean lastFull;

    /** Product views this session. */
    @JsonProperty("v")
    private int views;

    /**
     * Product views whose dwell (time to the next event) is known; of those, short ones; short ones
     * at full price.
     */
    @JsonProperty("d")
    private int dwells;

    @JsonProperty("q")
    private int quick;

    @JsonProperty("qf")
    private int quickFull;

    @JsonProperty("c")
    private int carts;

    @JsonProperty("cp")
    private boolean cartPage;

    @JsonProperty("co")
    private boolean checkout;

    @JsonProperty("or")
    private boolean ordered;

    /** Distinct categories viewed this session (capped). */
    @JsonProperty("cs")
    private List<String> cats;

    /**
     * The current run of product views in one category: its category, length, cheapest and dearest
     * price.
     */
    @JsonProperty("r")
    private String run;

    @JsonProperty("rv")
    private int runViews;

    @JsonProperty("rmin")
    private double runMin;

    @JsonProperty("rmax")
    private double runMax;

    /**
     * Quick views in the current run; the most quick views in a run of four or more views whose
     * prices differ by 30% or more.
     */
    @JsonProperty("rq")
    private int runQuick;

    @JsonProperty("br")
    private int bestRun;

    @JsonProperty("so")
    private int sorts;

    @JsonProperty("ds")
    private int dealSearches;

    @JsonProperty("nr")
    private int noResults;

    @JsonProperty("uc")
    private int unclicked;

    /** A search with results has not been followed by a product view yet. */
    @JsonProperty("pe")
    private boolean pending;

    @JsonProperty("rm")
    private int removes;

    /** An order of this session was paid with a coupon (or carried a discount total). */
    @JsonProperty("cu")
    private boolean couponUsed;

    @JsonProperty("dr")
    private int drops;

    /**
     * Navigation pages (home, category, other) this session: many of them and few products is
     * aimless browsing.
     */
    @JsonProperty("nv")
    private int navs;

    /**
     * The current page's dwell was measured by a page_leave beacon (so the next event does not
     * count it again).
     */
    @JsonProperty("lft")
    private boolean left;

    /**
     * The visitor is on a page that shows the cart total (cart, checkout; removing items there
     * keeps them on it).
     */
    @JsonProperty("ot")
    private boolean onTotal;

    /**
     * Left the site (page_leave) within seconds of the total being shown, with a cart and no order.
     */
    @JsonProperty("lat")
    private boolean leftAtTotal;

    /** Set when the session ended: how much its end looked like leaving at the price (0..1). */
    @JsonProperty("ex")
    private double exit;

    /** Empty: every collection and nested object present and empty. */
    public SessionEvidence() {
        cats = new ArrayList<>();
    }

    /**
     * One whose fields its caller sets, every one of them (a serializer's read or copy): its
     * collections and nested objects are null until then, instead of empty ones built only to be
     * replaced.
     */
    public static SessionEvidence unfilled() {
        return new SessionEvidence(null);
    }

    private SessionEvidence(Void unfilled) {}

    public boolean isLastView() {
        return lastView;
    }

    public void setLastView(boolean v) {
        this.lastView = v;
    }

    public boolean isLastFull() {
        return lastFull;
    }

    public void setLastFull(boolean v) {
        this.lastFull = v;
    }

    public int getViews() {
        return views;
    }

    public void setViews(int v) {
        this.views = v;
    }

    public int getDwells() {
        return dwells;
    }

    public void setDwells(int v) {
        this.dwells = v;
    }

    public int getQuick() {
        return quick;
    }

    public void setQuick(int v) {
        this.quick = v;
    }

    public int getQuickFull() {
        return quickFull;
    }

    public void setQuickFull(int v) {
        this.quickFull = v;
    }

    public int getCarts() {
        return carts;
    }

    public void setCarts(int v) {
        this.carts = v;
    }

    public boolean isCartPage() {
        return cartPage;
    }

    public void setCartPage(boolean v) {
        this.cartPage = v;
    }

    public boolean isCheckout() {
        return checkout;
    }

    public void setCheckout(boolean v) {
        this.checkout = v;
    }

    public int getNavs() {
        return navs;
    }

    public void setNavs(int v) {
        this.navs = v;
    }

    public boolean isLeft() {
        return left;
    }

    public void setLeft(boolean v) {
        this.left = v;
    }

    public boolean isOnTotal() {
        return onTotal;
    }

    public void setOnTotal(boolean v) {
        this.onTotal = v;
    }

    public boolean isLeftAtTotal() {
        return leftAtTotal;
    }

    public void setLeftAtTotal(boolean v) {
        this.leftAtTotal = v;
    }

    public boolean isOrdered() {
        return ordered;
    }

    public void setOrdered(boolean v) {
        this.ordered = v;
    }

    public List<String> getCats() {
        return cats;
    }

    public void setCats(List<String> v) {
        this.cats = v;
    }

    public String getRun() {
        return run;
    }

    public void setRun(String v) {
        this.run = v;
    }

    public int getRunViews() {
        return runViews;
    }

    public void setRunViews(int v) {
        this.runViews = v;
    }

    public double getRunMin() {
        return runMin;
    }

    public void setRunMin(double v) {
        this.runMin = v;
    }

    public double getRunMax() {
        return runMax;
    }

    public void setRunMax(double v) {
        this.runMax = v;
    }

    public int getRunQuick() {
        return runQuick;
    }

    public void setRunQuick(int v) {
        this.runQuick = v;
    }

    public int getBestRun() {
        return bestRun;
    }

    public void setBestRun(int v) {
        this.bestRun = v;
    }

    public int getSorts() {
        return sorts;
    }

    public void setSorts(int v) {
        this.sorts = v;
    }

    public int getDealSearches() {
        return dealSearches;
    }

    public void setDealSearches(int v) {
        this.dealSearches = v;
    }

    public int getNoResults() {
        return noResults;
    }

    public void setNoResults(int v) {
        this.noResults = v;
    }

    public int getUnclicked() {
        return unclicked;
    }

    public void setUnclicked(int v) {
        this.unclicked = v;
    }

    public boolean isPending() {
        return pending;
    }

    public void setPending(boolean v) {
        this.pending = v;
    }

    public boolean isCouponUsed() {
        return couponUsed;
    }

    public void setCouponUsed(boolean v) {
        this.couponUsed = v;
    }

    public int getRemoves() {
        return removes;
    }

    public void setRemoves(int v) {
        this.removes = v;
    }

    public int getDrops() {
        return drops;
    }

    public void setDrops(int v) {
        this.drops = v;
    }

    public double getExit() {
        return exit;
    }

    public void setExit(double v) {
        this.exit = v;
    }
}
