package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.signals.SignalEvidence;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.jobs.types.WeightTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What Shopkeeper knows about one visitor (a customer, or an anonymous visitor before they are
 * known), as the job keeps it in keyed state: the served fields and the working state behind them.
 * What leaves the job is its {@link io.shopkeeper.schemas.ProfileDocument}, mapped in {@link
 * ProfileDocuments}. Every collection is capped (see {@link ProfileUpdater}) so a document stays
 * well under 2 KB serialized.
 */
public class CustomerProfile {
    private String visitorId;
    private String customerId;
    private List<String> anonymousIds;
    private long firstSeen;
    private long lastSeen;
    private long events;
    private int sessions;
    private String currentSessionId;

    /** Items viewed or carted in the current session, oldest first. */
    private List<String> sessionItems;

    /** Most recent first. */
    private List<String> recentViews;

    /** Most recent first. */
    private List<String> recentCarts;

    /** Most recent first. */
    private List<String> purchasedItems;

    /** Time-decayed interest per category, as of {@link #affinityAsOf}. */
    private Map<String, Double> categoryAffinity;

    private Map<String, Double> brandAffinity;
    private long affinityAsOf;
    private int orders;
    private double spend;
    private long lastOrderAt;

    // Value (RFM against the store's live distribution; scores 1-5, null until the distribution is
    // known).
    private Integer recencyDays;
    private Integer recencyScore;
    private Integer frequencyScore;
    private Integer monetaryScore;
    private double averageOrderValue;
    private double estimatedLifetimeValue;
    private double discountShare;
    private double couponShare;
    private int orderLines;
    private int discountedLines;
    private int couponOrders;
    private double repeatPurchaseRate;
    private double tenureDays;

    // Lifecycle: new, active, at_risk, lapsed, won_back.
    private String lifecycle;
    private long lifecycleSince;
    private long wonBackAt;
    private long nextLifecycleCheck;

    // Session statistics over completed sessions, plus the session in progress.
    private int completedSessions;
    private long completedSessionEvents;
    private long completedSessionProductViews;
    private long completedSessionMillis;
    private int bouncedSessions;
    private long sessionStartedAt;
    private int sessionEvents;
    private int sessionProductViews;

    // Signals.
    private SignalEvidence evidence;
    private SignalState priceSensitive;
    private SignalState drifting;

    private List<String> segments;

    /** {@code SegmentEvaluator.factsFingerprint} when the segments were last evaluated. */
    private int segmentFactsFingerprint;

    /** Ids of the latest events folded in, to ignore a redelivered event. */
    private List<String> recentEventIds;

    /** Empty: every collection and nested object present and empty. */
    public CustomerProfile() {
        anonymousIds = new ArrayList<>();
        sessionItems = new ArrayList<>();
        recentViews = new ArrayList<>();
        recentCarts = new ArrayList<>();
        purchasedItems = new ArrayList<>();
        categoryAffinity = new WeightTable();
        brandAffinity = new WeightTable();
        evidence = new SignalEvidence();
        priceSensitive = new SignalState();
        drifting = new SignalState();
        segments = new ArrayList<>();
        recentEventIds = new ArrayList<>();
    }

    /**
     * One whose fields its caller sets, every one of them (a serializer's read or copy): its
     * collections and nested objects are null until then, instead of empty ones built only to be
     * replaced.
     */
    static CustomerProfile unfilled() {
        return new CustomerProfile(null);
    }

    private CustomerProfile(Void unfilled) {}

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    public String getCustomerId() {
        return customerId;
    }

    public void setCustomerId(String customerId) {
        this.customerId = customerId;
    }

    public List<String> getAnonymousIds() {
        return anonymousIds;
    }

    public void setAnonymousIds(List<String> anonymousIds) {
        this.anonymousIds = anonymousIds;
    }

    public long getFirstSeen() {
        return firstSeen;
    }

    public void setFirstSeen(long firstSeen) {
        this.firstSeen = firstSeen;
    }

    public long getLastSeen() {
        return lastSeen;
    }

    public void setLastSeen(long lastSeen) {
        this.lastSeen = lastSeen;
    }

    public long getEvents() {
        return events;
    }

    public void setEvents(long events) {
        this.events = events;
    }

    public int getSessions() {
        return sessions;
    }

    public void setSessions(int sessions) {
        this.sessions = sessions;
    }

    public String getCurrentSessionId() {
        return currentSessionId;
    }

    public void setCurrentSessionId(String currentSessionId) {
        this.currentSessionId = currentSessionId;
    }

    public List<String> getSessionItems() {
        return sessionItems;
    }

    public void setSessionItems(List<String> sessionItems) {
        this.sessionItems = sessionItems;
    }

    public List<String> getRecentViews() {
        return recentViews;
    }

    public void setRecentViews(List<String> recentViews) {
        this.recentViews = recentViews;
    }

    public List<String> getRecentCarts() {
        return recentCarts;
    }

    public void setRecentCarts(List<String> recentCarts) {
        this.recentCarts = recentCarts;
    }

    public List<String> getPurchasedItems() {
        return purchasedItems;
    }

    public void setPurchasedItems(List<String> purchasedItems) {
        this.purchasedItems = purchasedItems;
    }

    public Map<String, Double> getCategoryAffinity() {
        return categoryAffinity;
    }

    public void setCategoryAffinity(Map<String, Double> categoryAffinity) {
        this.categoryAffinity = categoryAffinity;
    }

    public Map<String, Double> getBrandAffinity() {
        return brandAffinity;
    }

    public void setBrandAffinity(Map<String, Double> brandAffinity) {
        this.brandAffinity = brandAffinity;
    }

    public long getAffinityAsOf() {
        return affinityAsOf;
    }

    public void setAffinityAsOf(long affinityAsOf) {
        this.affinityAsOf = affinityAsOf;
    }

    public int getOrders() {
        return orders;
    }

    public void setOrders(int orders) {
        this.orders = orders;
    }

    public double getSpend() {
        return spend;
    }

    public void setSpend(double spend) {
        this.spend = spend;
    }

    public long getLastOrderAt() {
        return lastOrderAt;
    }

    public void setLastOrderAt(long lastOrderAt) {
        this.lastOrderAt = lastOrderAt;
    }

    public Integer getRecencyDays() {
        return recencyDays;
    }

    public void setRecencyDays(Integer recencyDays) {
        this.recencyDays = recencyDays;
    }

    public Integer getRecencyScore() {
        return recencyScore;
    }

    public void setRecencyScore(Integer recencyScore) {
        this.recencyScore = recencyScore;
    }

    public Integer getFrequencyScore() {
        return frequencyScore;
    }

    public void setFrequencyScore(Integer frequencyScore) {
        this.frequencyScore = frequencyScore;
    }

    public Integer getMonetaryScore() {
        return monetaryScore;
    }

    public void setMonetaryScore(Integer monetaryScore) {
        this.monetaryScore = monetaryScore;
    }

    public double getAverageOrderValue() {
        return averageOrderValue;
    }

    public void setAverageOrderValue(double v) {
        this.averageOrderValue = v;
    }

    public double getEstimatedLifetimeValue() {
        return estimatedLifetimeValue;
    }

    public void setEstimatedLifetimeValue(double v) {
        this.estimatedLifetimeValue = v;
    }

    public double getDiscountShare() {
        return discountShare;
    }

    public void setDiscountShare(double v) {
        this.discountShare = v;
    }

    public double getCouponShare() {
        return couponShare;
    }

    public void setCouponShare(double v) {
        this.couponShare = v;
    }

    public int getOrderLines() {
        return orderLines;
    }

    public void setOrderLines(int v) {
        this.orderLines = v;
    }

    public int getDiscountedLines() {
        return discountedLines;
    }

    public void setDiscountedLines(int v) {
        this.discountedLines = v;
    }

    public int getCouponOrders() {
        return couponOrders;
    }

    public void setCouponOrders(int v) {
        this.couponOrders = v;
    }

    public double getRepeatPurchaseRate() {
        return repeatPurchaseRate;
    }

    public void setRepeatPurchaseRate(double v) {
        this.repeatPurchaseRate = v;
    }

    public double getTenureDays() {
        return tenureDays;
    }

    public void setTenureDays(double v) {
        this.tenureDays = v;
    }

    public String getLifecycle() {
        return lifecycle;
    }

    public void setLifecycle(String lifecycle) {
        this.lifecycle = lifecycle;
    }

    public long getLifecycleSince() {
        return lifecycleSince;
    }

    public void setLifecycleSince(long v) {
        this.lifecycleSince = v;
    }

    public long getWonBackAt() {
        return wonBackAt;
    }

    public void setWonBackAt(long v) {
        this.wonBackAt = v;
    }

    public long getNextLifecycleCheck() {
        return nextLifecycleCheck;
    }

    public void setNextLifecycleCheck(long v) {
        this.nextLifecycleCheck = v;
    }

    public int getCompletedSessions() {
        return completedSessions;
    }

    public void setCompletedSessions(int v) {
        this.completedSessions = v;
    }

    public long getCompletedSessionEvents() {
        return completedSessionEvents;
    }

    public void setCompletedSessionEvents(long v) {
        this.completedSessionEvents = v;
    }

    public long getCompletedSessionProductViews() {
        return completedSessionProductViews;
    }

    public void setCompletedSessionProductViews(long v) {
        this.completedSessionProductViews = v;
    }

    public long getCompletedSessionMillis() {
        return completedSessionMillis;
    }

    public void setCompletedSessionMillis(long v) {
        this.completedSessionMillis = v;
    }

    public int getBouncedSessions() {
        return bouncedSessions;
    }

    public void setBouncedSessions(int v) {
        this.bouncedSessions = v;
    }

    public long getSessionStartedAt() {
        return sessionStartedAt;
    }

    public void setSessionStartedAt(long v) {
        this.sessionStartedAt = v;
    }

    public int getSessionEvents() {
        return sessionEvents;
    }

    public void setSessionEvents(int v) {
        this.sessionEvents = v;
    }

    public int getSessionProductViews() {
        return sessionProductViews;
    }

    public void setSessionProductViews(int v) {
        this.sessionProductViews = v;
    }

    public SignalEvidence getEvidence() {
        return evidence;
    }

    public void setEvidence(SignalEvidence evidence) {
        this.evidence = evidence;
    }

    public SignalState getPriceSensitive() {
        return priceSensitive;
    }

    public void setPriceSensitive(SignalState priceSensitive) {
        this.priceSensitive = priceSensitive;
    }

    public SignalState getDrifting() {
        return drifting;
    }

    public void setDrifting(SignalState drifting) {
        this.drifting = drifting;
    }

    public int getSegmentFactsFingerprint() {
        return segmentFactsFingerprint;
    }

    public void setSegmentFactsFingerprint(int v) {
        this.segmentFactsFingerprint = v;
    }

    public List<String> getSegments() {
        return segments;
    }

    public void setSegments(List<String> segments) {
        this.segments = segments;
    }

    public List<String> getRecentEventIds() {
        return recentEventIds;
    }

    public void setRecentEventIds(List<String> recentEventIds) {
        this.recentEventIds = recentEventIds;
    }
}
