package io.shopkeeper.jobs.signals;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.shopkeeper.jobs.types.WeightTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The evidence kept per visitor for the price-sensitive and drifting signals (part of the profile's
 * keyed state). A Flink POJO; every collection is capped by {@link SignalEngine} and zero values
 * are left out of JSON, so it stays at a few hundred bytes whatever the visitor does.
 *
 * <p>Two time scales:
 *
 * <ul>
 *   <li><b>In-session</b> counters (views, quick glances, sorts, searches, carts, checkout, ...):
 *       kept until the next session starts (so the evidence of a session that just ended, e.g. an
 *       exit at the price, still speaks until the visitor comes back), then folded into the
 *       long-term habits and reset.
 *   <li><b>Long-term</b> tallies: per-evidence habits (an exponential average over sessions,
 *       decayed in event time), decayed order-line counts (discount and coupon shares), the
 *       paid-versus-shown price band, a few recently seen item prices (price drops) and a
 *       fast-decaying short-term category distribution (interest drift).
 * </ul>
 *
 * <p>As JSON (the profile's size budget is counted in JSON) every property has a short name, given
 * next to its field; zero, false and empty values are left out.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public class SignalEvidence {
    // ---- The session: whether one is running, when its latest event was, and its evidence.
    /**
     * A session is running (or has ended and not been folded into the habits yet: see {@link
     * #exit}).
     */
    @JsonProperty("o")
    private boolean open;

    /** Event time of the visitor's latest session event; 0 before the first. */
    @JsonProperty("t")
    private long last;

    /** The evidence of the current (or just-ended) session, replaced whole when the next starts. */
    @JsonProperty("s")
    private SessionEvidence session;

    // ---- Long-term evidence.
    @JsonProperty("lt")
    private long ltAsOf;

    /**
     * Per evidence kind (short keys, see SignalEngine), an exponential average over sessions of its
     * contribution.
     */
    @JsonProperty("h")
    private Map<String, Double> habits;

    /**
     * Decayed counts of order lines, lines bought below list price, orders, orders with a coupon.
     */
    @JsonProperty("ol")
    private double orderLines;

    @JsonProperty("dl")
    private double discountedLines;

    @JsonProperty("od")
    private double orders;

    @JsonProperty("cpo")
    private double couponOrders;

    /**
     * Decayed count of orders paid in full: no coupon, no discounted line, not below the usual
     * price band.
     */
    @JsonProperty("fp")
    private double fullPaid;

    /** Per category (capped), average log price of the items the visitor was shown. */
    @JsonProperty("sn")
    private Map<String, Double> seen;

    /**
     * Average log(paid / typical price shown in the category) over bought lines, and how many
     * lines.
     */
    @JsonProperty("b")
    private double band;

    @JsonProperty("bn")
    private int bandN;

    /**
     * Recently viewed items and the price they were shown at (parallel lists, most recent first,
     * capped).
     */
    @JsonProperty("it")
    private List<String> items;

    @JsonProperty("pr")
    private List<Double> prices;

    /** Fast-decaying category interest (the profile's weights), as of {@link #stAsOf}. */
    @JsonProperty("rc")
    private Map<String, Double> recent;

    @JsonProperty("st")
    private long stAsOf;

    /** Category observations so far (capped): "enough history" for interest drift. */
    @JsonProperty("ob")
    private int obs;

    /**
     * The long-term interest as it was (shares of the profile's top categories, snapshotted once
     * there is enough history and refreshed every few weeks while no drift is under way) and when
     * it was taken.
     */
    @JsonProperty("bs")
    private Map<String, Double> base;

    @JsonProperty("ba")
    private long baseAt;

    /**
     * This session's latest share of recent interest in categories new to the long-term profile
     * (0..1).
     */
    @JsonProperty("df")
    private double drift;

    /** Exponential average over sessions of {@link #drift}: a shift of interest that persists. */
    @JsonProperty("da")
    private double driftAvg;

    /** Empty: every collection and nested object present and empty. */
    public SignalEvidence() {
        session = new SessionEvidence();
        habits = new WeightTable();
        seen = new WeightTable();
        items = new ArrayList<>();
        prices = new ArrayList<>();
        recent = new WeightTable();
        base = new WeightTable();
    }

    /**
     * One whose fields its caller sets, every one of them (a serializer's read or copy): its
     * collections and nested objects are null until then, instead of empty ones built only to be
     * replaced.
     */
    public static SignalEvidence unfilled() {
        return new SignalEvidence(null);
    }

    private SignalEvidence(Void unfilled) {}

    public SessionEvidence getSession() {
        return session;
    }

    public void setSession(SessionEvidence session) {
        this.session = session;
    }

    public boolean isOpen() {
        return open;
    }

    public void setOpen(boolean v) {
        this.open = v;
    }

    public long getLast() {
        return last;
    }

    public void setLast(long v) {
        this.last = v;
    }

    public long getLtAsOf() {
        return ltAsOf;
    }

    public void setLtAsOf(long v) {
        this.ltAsOf = v;
    }

    public Map<String, Double> getHabits() {
        return habits;
    }

    public void setHabits(Map<String, Double> v) {
        this.habits = v;
    }

    public double getOrderLines() {
        return orderLines;
    }

    public void setOrderLines(double v) {
        this.orderLines = v;
    }

    public double getDiscountedLines() {
        return discountedLines;
    }

    public void setDiscountedLines(double v) {
        this.discountedLines = v;
    }

    public double getOrders() {
        return orders;
    }

    public void setOrders(double v) {
        this.orders = v;
    }

    public double getCouponOrders() {
        return couponOrders;
    }

    public void setCouponOrders(double v) {
        this.couponOrders = v;
    }

    public double getFullPaid() {
        return fullPaid;
    }

    public void setFullPaid(double v) {
        this.fullPaid = v;
    }

    public Map<String, Double> getSeen() {
        return seen;
    }

    public void setSeen(Map<String, Double> v) {
        this.seen = v;
    }

    public double getBand() {
        return band;
    }

    public void setBand(double v) {
        this.band = v;
    }

    public int getBandN() {
        return bandN;
    }

    public void setBandN(int v) {
        this.bandN = v;
    }

    public List<String> getItems() {
        return items;
    }

    public void setItems(List<String> v) {
        this.items = v;
    }

    public List<Double> getPrices() {
        return prices;
    }

    public void setPrices(List<Double> v) {
        this.prices = v;
    }

    public Map<String, Double> getRecent() {
        return recent;
    }

    public void setRecent(Map<String, Double> v) {
        this.recent = v;
    }

    public long getStAsOf() {
        return stAsOf;
    }

    public void setStAsOf(long v) {
        this.stAsOf = v;
    }

    public int getObs() {
        return obs;
    }

    public void setObs(int v) {
        this.obs = v;
    }

    public Map<String, Double> getBase() {
        return base;
    }

    public void setBase(Map<String, Double> v) {
        this.base = v;
    }

    public long getBaseAt() {
        return baseAt;
    }

    public void setBaseAt(long v) {
        this.baseAt = v;
    }

    public double getDriftAvg() {
        return driftAvg;
    }

    public void setDriftAvg(double v) {
        this.driftAvg = v;
    }

    public double getDrift() {
        return drift;
    }

    public void setDrift(double v) {
        this.drift = v;
    }
}
