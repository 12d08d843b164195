package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile document of a visitor ({@code sk:profile:{visitor}}): what the job writes for a
 * visitor and the API reads and serves, one type for both sides. The format is {@code
 * schemas/profile.json}; absent numbers read as 0, absent RFM fields and signals as unknown.
 * Unknown fields are ignored when reading, so a newer writer never breaks an older reader. A Flink
 * POJO (the job's Redis writes carry it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "visitorId",
    "customerId",
    "anonymousIds",
    "firstSeen",
    "lastSeen",
    "events",
    "sessions",
    "currentSessionId",
    "recentViews",
    "recentCarts",
    "purchasedItems",
    "categoryAffinity",
    "brandAffinity",
    "affinityAsOf",
    "orders",
    "spend",
    "lastOrderAt",
    "recencyDays",
    "recencyScore",
    "frequencyScore",
    "monetaryScore",
    "averageOrderValue",
    "estimatedLifetimeValue",
    "discountShare",
    "couponShare",
    "repeatPurchaseRate",
    "tenureDays",
    "lifecycle",
    "lifecycleSince",
    "priceSensitive",
    "drifting",
    "segments",
    "avgPagesPerSession",
    "avgProductViewsPerSession",
    "avgSessionSeconds",
    "bounceRate"
})
public class ProfileDocument {
    /** The visitor: a customer id, or an anonymous id until the visitor is known. */
    private String visitorId;

    /** The customer id; absent for an anonymous visitor. */
    private String customerId;

    /** Anonymous ids stitched to this customer. */
    private List<String> anonymousIds = new ArrayList<>();

    /** Event time (epoch millis) of the first event. */
    private long firstSeen;

    /** Event time (epoch millis) of the latest event. */
    private long lastSeen;

    private long events;

    private int sessions;

    private String currentSessionId;

    /** Items viewed, most recent first (capped). */
    private List<String> recentViews = new ArrayList<>();

    /** Items carted, most recent first (capped). */
    private List<String> recentCarts = new ArrayList<>();

    /** Items bought, most recent first (capped). */
    private List<String> purchasedItems = new ArrayList<>();

    /** Time-decayed interest per category, as of {@link #affinityAsOf}. */
    private Map<String, Double> categoryAffinity = new HashMap<>();

    /** Time-decayed interest per brand, as of {@link #affinityAsOf}. */
    private Map<String, Double> brandAffinity = new HashMap<>();

    private long affinityAsOf;

    private int orders;

    private double spend;

    private long lastOrderAt;

    /** Days since the last order; absent until the store's distribution is known. */
    private Integer recencyDays;

    /** RFM scores 1-5 against the store's live distribution; absent until it is known. */
    private Integer recencyScore;

    private Integer frequencyScore;

    private Integer monetaryScore;

    private double averageOrderValue;

    private double estimatedLifetimeValue;

    /** Share of bought lines below list price. */
    private double discountShare;

    /** Share of orders with a coupon. */
    private double couponShare;

    private double repeatPurchaseRate;

    private double tenureDays;

    /** {@code new}, {@code active}, {@code at_risk}, {@code lapsed} or {@code won_back}. */
    private String lifecycle;

    private long lifecycleSince;

    private Signal priceSensitive;

    private Signal drifting;

    /** The segments the visitor is in (the API serves its live memberships here). */
    private List<String> segments = new ArrayList<>();

    /** Session statistics over completed sessions (the one in progress while none is). */
    private double avgPagesPerSession;

    private double avgProductViewsPerSession;

    private double avgSessionSeconds;

    private double bounceRate;

    public ProfileDocument() {}

    /**
     * Reads a stored document.
     *
     * @throws IOException with the reason when {@code json} is not a profile document (not an
     *     object, or a field of the wrong type)
     */
    public static ProfileDocument read(String json) throws IOException {
        ProfileDocument document = EventCodec.mapper().readValue(json, ProfileDocument.class);
        if (document == null) throw new IOException("a profile document must be a JSON object");
        return document;
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

    public void setAverageOrderValue(double averageOrderValue) {
        this.averageOrderValue = averageOrderValue;
    }

    public double getEstimatedLifetimeValue() {
        return estimatedLifetimeValue;
    }

    public void setEstimatedLifetimeValue(double estimatedLifetimeValue) {
        this.estimatedLifetimeValue = estimatedLifetimeValue;
    }

    public double getDiscountShare() {
        return discountShare;
    }

    public void setDiscountShare(double discountShare) {
        this.discountShare = discountShare;
    }

    public double getCouponShare() {
        return couponShare;
    }

    public void setCouponShare(double couponShare) {
        this.couponShare = couponShare;
    }

    public double getRepeatPurchaseRate() {
        return repeatPurchaseRate;
    }

    public void setRepeatPurchaseRate(double repeatPurchaseRate) {
        this.repeatPurchaseRate = repeatPurchaseRate;
    }

    public double getTenureDays() {
        return tenureDays;
    }

    public void setTenureDays(double tenureDays) {
        this.tenureDays = tenureDays;
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

    public void setLifecycleSince(long lifecycleSince) {
        this.lifecycleSince = lifecycleSince;
    }

    public Signal getPriceSensitive() {
        return priceSensitive;
    }

    public void setPriceSensitive(Signal priceSensitive) {
        this.priceSensitive = priceSensitive;
    }

    public Signal getDrifting() {
        return drifting;
    }

    public void setDrifting(Signal drifting) {
        this.drifting = drifting;
    }

    public List<String> getSegments() {
        return segments;
    }

    public void setSegments(List<String> segments) {
        this.segments = segments;
    }

    public double getAvgPagesPerSession() {
        return avgPagesPerSession;
    }

    public void setAvgPagesPerSession(double avgPagesPerSession) {
        this.avgPagesPerSession = avgPagesPerSession;
    }

    public double getAvgProductViewsPerSession() {
        return avgProductViewsPerSession;
    }

    public void setAvgProductViewsPerSession(double avgProductViewsPerSession) {
        this.avgProductViewsPerSession = avgProductViewsPerSession;
    }

    public double getAvgSessionSeconds() {
        return avgSessionSeconds;
    }

    public void setAvgSessionSeconds(double avgSessionSeconds) {
        this.avgSessionSeconds = avgSessionSeconds;
    }

    public double getBounceRate() {
        return bounceRate;
    }

    public void setBounceRate(double bounceRate) {
        this.bounceRate = bounceRate;
    }

    /**
     * One behavioural signal: a score 0-1, the flag, the evidence that fired (reason codes), and
     * the event time (epoch millis) the flag last turned on (0 while off).
     */
    @JsonPropertyOrder({"score", "flagged", "reasons", "onSince"})
    public static class Signal {
        private double score;
        private boolean flagged;
        private List<String> reasons = new ArrayList<>();
        private long onSince;

        public Signal() {}

        public Signal(double score, boolean flagged, List<String> reasons, long onSince) {
            this.score = score;
            this.flagged = flagged;
            this.reasons = reasons;
            this.onSince = onSince;
        }

        public double getScore() {
            return score;
        }

        public void setScore(double score) {
            this.score = score;
        }

        public boolean isFlagged() {
            return flagged;
        }

        public void setFlagged(boolean flagged) {
            this.flagged = flagged;
        }

        public List<String> getReasons() {
            return reasons;
        }

        public void setReasons(List<String> reasons) {
            this.reasons = reasons;
        }

        public long getOnSince() {
            return onSince;
        }

        public void setOnSince(long onSince) {
            this.onSince = onSince;
        }
    }
}
