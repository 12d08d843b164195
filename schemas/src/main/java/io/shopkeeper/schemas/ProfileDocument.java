package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * The document as the job stores it: exactly the text binding it with {@link
     * EventCodec#mapper()} gives (the field order above, absent nulls, the same numbers and
     * escapes), written field by field on Jackson's streaming generator. The job writes a profile
     * on every visitor event, and binding (a getter called reflectively per field, a serializer
     * looked up per value) was most of that cost. A new field must be written here too: {@code
     * ProfileDocumentJsonTest} compares both texts for every field.
     */
    public String toJson() {
        // Buffers from the factory's pool, as ObjectMapper.writeValueAsString takes them.
        BufferRecycler buffers = EventCodec.mapper().getFactory()._getBufferRecycler();
        try (SegmentedStringWriter text = new SegmentedStringWriter(buffers)) {
            try (JsonGenerator g = EventCodec.mapper().getFactory().createGenerator(text)) {
                write(g);
            }
            return text.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buffers.releaseToPool();
        }
    }

    /** The field names, quoted and escaped once (as binding keeps them). */
    private static final SerializedString VISITOR_ID = new SerializedString("visitorId");

    private static final SerializedString CUSTOMER_ID = new SerializedString("customerId");
    private static final SerializedString ANONYMOUS_IDS = new SerializedString("anonymousIds");
    private static final SerializedString FIRST_SEEN = new SerializedString("firstSeen");
    private static final SerializedString LAST_SEEN = new SerializedString("lastSeen");
    private static final SerializedString EVENTS = new SerializedString("events");
    private static final SerializedString SESSIONS = new SerializedString("sessions");
    private static final SerializedString CURRENT_SESSION_ID =
            new SerializedString("currentSessionId");
    private static final SerializedString RECENT_VIEWS = new SerializedString("recentViews");
    private static final SerializedString RECENT_CARTS = new SerializedString("recentCarts");
    private static final SerializedString PURCHASED_ITEMS = new SerializedString("purchasedItems");
    private static final SerializedString CATEGORY_AFFINITY =
            new SerializedString("categoryAffinity");
    private static final SerializedString BRAND_AFFINITY = new SerializedString("brandAffinity");
    private static final SerializedString AFFINITY_AS_OF = new SerializedString("affinityAsOf");
    private static final SerializedString ORDERS = new SerializedString("orders");
    private static final SerializedString SPEND = new SerializedString("spend");
    private static final SerializedString LAST_ORDER_AT = new SerializedString("lastOrderAt");
    private static final SerializedString RECENCY_DAYS = new SerializedString("recencyDays");
    private static final SerializedString RECENCY_SCORE = new SerializedString("recencyScore");
    private static final SerializedString FREQUENCY_SCORE = new SerializedString("frequencyScore");
    private static final SerializedString MONETARY_SCORE = new SerializedString("monetaryScore");
    private static final SerializedString AVERAGE_ORDER_VALUE =
            new SerializedString("averageOrderValue");
    private static final SerializedString ESTIMATED_LIFETIME_VALUE =
            new SerializedString("estimatedLifetimeValue");
    private static final SerializedString DISCOUNT_SHARE = new SerializedString("discountShare");
    private static final SerializedString COUPON_SHARE = new SerializedString("couponShare");
    private static final SerializedString REPEAT_PURCHASE_RATE =
            new SerializedString("repeatPurchaseRate");
    private static final SerializedString TENURE_DAYS = new SerializedString("tenureDays");
    private static final SerializedString LIFECYCLE = new SerializedString("lifecycle");
    private static final SerializedString LIFECYCLE_SINCE = new SerializedString("lifecycleSince");
    private static final SerializedString PRICE_SENSITIVE = new SerializedString("priceSensitive");
    private static final SerializedString DRIFTING = new SerializedString("drifting");
    private static final SerializedString SEGMENTS = new SerializedString("segments");
    private static final SerializedString AVG_PAGES_PER_SESSION =
            new SerializedString("avgPagesPerSession");
    private static final SerializedString AVG_PRODUCT_VIEWS_PER_SESSION =
            new SerializedString("avgProductViewsPerSession");
    private static final SerializedString AVG_SESSION_SECONDS =
            new SerializedString("avgSessionSeconds");
    private static final SerializedString BOUNCE_RATE = new SerializedString("bounceRate");
    private static final SerializedString SCORE = new SerializedString("score");
    private static final SerializedString FLAGGED = new SerializedString("flagged");
    private static final SerializedString REASONS = new SerializedString("reasons");
    private static final SerializedString ON_SINCE = new SerializedString("onSince");

    private void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        text(g, VISITOR_ID, visitorId);
        text(g, CUSTOMER_ID, customerId);
        strings(g, ANONYMOUS_IDS, anonymousIds);
        g.writeFieldName(FIRST_SEEN);
        g.writeNumber(firstSeen);
        g.writeFieldName(LAST_SEEN);
        g.writeNumber(lastSeen);
        g.writeFieldName(EVENTS);
        g.writeNumber(events);
        g.writeFieldName(SESSIONS);
        g.writeNumber(sessions);
        text(g, CURRENT_SESSION_ID, currentSessionId);
        strings(g, RECENT_VIEWS, recentViews);
        strings(g, RECENT_CARTS, recentCarts);
        strings(g, PURCHASED_ITEMS, purchasedItems);
        weights(g, CATEGORY_AFFINITY, categoryAffinity);
        weights(g, BRAND_AFFINITY, brandAffinity);
        g.writeFieldName(AFFINITY_AS_OF);
        g.writeNumber(affinityAsOf);
        g.writeFieldName(ORDERS);
        g.writeNumber(orders);
        g.writeFieldName(SPEND);
        g.writeNumber(spend);
        g.writeFieldName(LAST_ORDER_AT);
        g.writeNumber(lastOrderAt);
        integer(g, RECENCY_DAYS, recencyDays);
        integer(g, RECENCY_SCORE, recencyScore);
        integer(g, FREQUENCY_SCORE, frequencyScore);
        integer(g, MONETARY_SCORE, monetaryScore);
        g.writeFieldName(AVERAGE_ORDER_VALUE);
        g.writeNumber(averageOrderValue);
        g.writeFieldName(ESTIMATED_LIFETIME_VALUE);
        g.writeNumber(estimatedLifetimeValue);
        g.writeFieldName(DISCOUNT_SHARE);
        g.writeNumber(discountShare);
        g.writeFieldName(COUPON_SHARE);
        g.writeNumber(couponShare);
        g.writeFieldName(REPEAT_PURCHASE_RATE);
        g.writeNumber(repeatPurchaseRate);
        g.writeFieldName(TENURE_DAYS);
        g.writeNumber(tenureDays);
        text(g, LIFECYCLE, lifecycle);
        g.writeFieldName(LIFECYCLE_SINCE);
        g.writeNumber(lifecycleSince);
        signal(g, PRICE_SENSITIVE, priceSensitive);
        signal(g, DRIFTING, drifting);
        strings(g, SEGMENTS, segments);
        g.writeFieldName(AVG_PAGES_PER_SESSION);
        g.writeNumber(avgPagesPerSession);
        g.writeFieldName(AVG_PRODUCT_VIEWS_PER_SESSION);
        g.writeNumber(avgProductViewsPerSession);
        g.writeFieldName(AVG_SESSION_SECONDS);
        g.writeNumber(avgSessionSeconds);
        g.writeFieldName(BOUNCE_RATE);
        g.writeNumber(bounceRate);
        g.writeEndObject();
    }

    private static void text(JsonGenerator g, SerializedString field, String value)
            throws IOException {
        if (value == null) return;
        g.writeFieldName(field);
        g.writeString(value);
    }

    private static void integer(JsonGenerator g, SerializedString field, Integer value)
            throws IOException {
        if (value == null) return;
        g.writeFieldName(field);
        g.writeNumber(value.intValue());
    }

    /** A list field; a null list is left out here, a null element written as null. */
    private static void strings(JsonGenerator g, SerializedString field, List<String> values)
            throws IOException {
        if (values == null) return;
        g.writeFieldName(field);
        stringArray(g, values);
    }

    private static void stringArray(JsonGenerator g, List<String> values) throws IOException {
        g.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
            String value = values.get(i);
            if (value == null) g.writeNull();
            else g.writeString(value);
        }
        g.writeEndArray();
    }

    /** A map field in the map's own iteration order, as binding writes it. */
    private static void weights(
            JsonGenerator g, SerializedString field, Map<String, Double> weights)
            throws IOException {
        if (weights == null) return;
        g.writeFieldName(field);
        g.writeStartObject();
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            if (w.getKey() == null)
                throw new IOException("Null key for a Map not allowed in JSON: " + field);
            g.writeFieldName(w.getKey());
            if (w.getValue() == null) g.writeNull();
            else g.writeNumber(w.getValue().doubleValue());
        }
        g.writeEndObject();
    }

    /** A signal object (its own fields are all written, a null reason list as null). */
    private static void signal(JsonGenerator g, SerializedString field, Signal s)
            throws IOException {
        if (s == null) return;
        g.writeFieldName(field);
        g.writeStartObject();
        g.writeFieldName(SCORE);
        g.writeNumber(s.score);
        g.writeFieldName(FLAGGED);
        g.writeBoolean(s.flagged);
        g.writeFieldName(REASONS);
        if (s.reasons == null) g.writeNull();
        else stringArray(g, s.reasons);
        g.writeFieldName(ON_SINCE);
        g.writeNumber(s.onSince);
        g.writeEndObject();
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
