package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
     * escapes: Jackson's defaults, {@code \"} {@code \\} {@code \b} {@code \t} {@code \n} {@code
     * \f} {@code \r} and {@code \}{@code u00XX} for the other control characters, everything else
     * as is; a double as {@link Double#toString}, quoted when not finite), written field by field
     * into a text buffer kept per thread. The job writes a profile on every visitor event: binding
     * (a getter called reflectively per field, a serializer looked up per value) was most of that
     * cost, and then Jackson's generator (a char buffer, a context per array and object) was 14% of
     * the profile task's CPU (issue 11). A new field must be written here too: {@code
     * ProfileDocumentJsonTest} compares both texts for every field.
     */
    public String toJson() {
        StringBuilder json = TEXT.get();
        json.setLength(0);
        try {
            write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = json.toString();
        if (json.capacity() > TEXT_KEPT) TEXT.remove();
        return text;
    }

    /** The largest text buffer a thread keeps (chars); a longer document's buffer is dropped. */
    private static final int TEXT_KEPT = 1 << 16;

    private static final ThreadLocal<StringBuilder> TEXT =
            ThreadLocal.withInitial(() -> new StringBuilder(2048));

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private void write(StringBuilder json) throws IOException {
        json.append('{');
        text(json, "\"visitorId\":", visitorId);
        text(json, "\"customerId\":", customerId);
        strings(json, "\"anonymousIds\":", anonymousIds);
        field(json, "\"firstSeen\":").append(firstSeen);
        field(json, "\"lastSeen\":").append(lastSeen);
        field(json, "\"events\":").append(events);
        field(json, "\"sessions\":").append(sessions);
        text(json, "\"currentSessionId\":", currentSessionId);
        strings(json, "\"recentViews\":", recentViews);
        strings(json, "\"recentCarts\":", recentCarts);
        strings(json, "\"purchasedItems\":", purchasedItems);
        weights(json, "\"categoryAffinity\":", categoryAffinity);
        weights(json, "\"brandAffinity\":", brandAffinity);
        field(json, "\"affinityAsOf\":").append(affinityAsOf);
        field(json, "\"orders\":").append(orders);
        number(field(json, "\"spend\":"), spend);
        field(json, "\"lastOrderAt\":").append(lastOrderAt);
        integer(json, "\"recencyDays\":", recencyDays);
        integer(json, "\"recencyScore\":", recencyScore);
        integer(json, "\"frequencyScore\":", frequencyScore);
        integer(json, "\"monetaryScore\":", monetaryScore);
        number(field(json, "\"averageOrderValue\":"), averageOrderValue);
        number(field(json, "\"estimatedLifetimeValue\":"), estimatedLifetimeValue);
        number(field(json, "\"discountShare\":"), discountShare);
        number(field(json, "\"couponShare\":"), couponShare);
        number(field(json, "\"repeatPurchaseRate\":"), repeatPurchaseRate);
        number(field(json, "\"tenureDays\":"), tenureDays);
        text(json, "\"lifecycle\":", lifecycle);
        field(json, "\"lifecycleSince\":").append(lifecycleSince);
        signal(json, "\"priceSensitive\":", priceSensitive);
        signal(json, "\"drifting\":", drifting);
        strings(json, "\"segments\":", segments);
        number(field(json, "\"avgPagesPerSession\":"), avgPagesPerSession);
        number(field(json, "\"avgProductViewsPerSession\":"), avgProductViewsPerSession);
        number(field(json, "\"avgSessionSeconds\":"), avgSessionSeconds);
        number(field(json, "\"bounceRate\":"), bounceRate);
        json.append('}');
    }

    /**
     * A field's name (given quoted, with its colon), after a comma unless it is the first of its
     * object.
     */
    private static StringBuilder field(StringBuilder json, String quotedName) {
        if (json.charAt(json.length() - 1) != '{') json.append(',');
        return json.append(quotedName);
    }

    private static void text(StringBuilder json, String quotedName, String value) {
        if (value == null) return;
        string(field(json, quotedName), value);
    }

    private static void integer(StringBuilder json, String quotedName, Integer value) {
        if (value == null) return;
        field(json, quotedName).append(value.intValue());
    }

    /** As Jackson writes a double: {@link Double#toString}, quoted when NaN or infinite. */
    private static void number(StringBuilder json, double value) {
        if (Double.isFinite(value)) json.append(value);
        else json.append('"').append(value).append('"');
    }

    /** A list field; a null list is left out here, a null element written as null. */
    private static void strings(StringBuilder json, String quotedName, List<String> values) {
        if (values == null) return;
        stringArray(field(json, quotedName), values);
    }

    private static void stringArray(StringBuilder json, List<String> values) {
        json.append('[');
        for (int i = 0, n = values.size(); i < n; i++) {
            if (i > 0) json.append(',');
            String value = values.get(i);
            if (value == null) json.append("null");
            else string(json, value);
        }
        json.append(']');
    }

    /** A map field in the map's own iteration order, as binding writes it. */
    private static void weights(StringBuilder json, String quotedName, Map<String, Double> weights)
            throws IOException {
        if (weights == null) return;
        field(json, quotedName).append('{');
        boolean first = true;
        for (Map.Entry<String, Double> w : weights.entrySet()) {
            if (w.getKey() == null)
                throw new IOException("Null key for a Map not allowed in JSON: " + quotedName);
            if (!first) json.append(',');
            first = false;
            string(json, w.getKey());
            json.append(':');
            if (w.getValue() == null) json.append("null");
            else number(json, w.getValue().doubleValue());
        }
        json.append('}');
    }

    /** A signal object (its own fields are all written, a null reason list as null). */
    private static void signal(StringBuilder json, String quotedName, Signal s) {
        if (s == null) return;
        field(json, quotedName).append("{\"score\":");
        number(json, s.score);
        json.append(",\"flagged\":").append(s.flagged).append(",\"reasons\":");
        if (s.reasons == null) json.append("null");
        else stringArray(json, s.reasons);
        json.append(",\"onSince\":").append(s.onSince).append('}');
    }

    /**
     * A JSON string as Jackson's default escapes write it: the control characters below 0x20, the
     * quote and the backslash escaped, everything else (non-ASCII included) as is.
     */
    private static void string(StringBuilder json, String value) {
        json.append('"');
        int n = value.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            json.append(value, from, i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\t' -> json.append("\\t");
                case '\n' -> json.append("\\n");
                case '\f' -> json.append("\\f");
                case '\r' -> json.append("\\r");
                default -> json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            from = i + 1;
        }
        if (from == 0) json.append(value);
        else json.append(value, from, n);
        json.append('"');
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
