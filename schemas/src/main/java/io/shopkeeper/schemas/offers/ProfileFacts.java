package io.shopkeeper.schemas.offers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The facts segment conditions and campaign audiences are written in (one vocabulary for both), and
 * how to read them from a stored profile document. The job computes the same facts from its live
 * profile ({@code SegmentEvaluator.facts}); a test in the job checks the two agree.
 */
public final class ProfileFacts {
    /** Every fact a condition may name. */
    public static final Set<String> NAMES =
            Set.of(
                    "known",
                    "lifecycle",
                    "orders",
                    "spend",
                    "recencyDays",
                    "recencyScore",
                    "frequencyScore",
                    "monetaryScore",
                    "averageOrderValue",
                    "estimatedLifetimeValue",
                    "discountShare",
                    "couponShare",
                    "sessions",
                    "tenureDays",
                    "priceSensitive",
                    "priceSensitivityScore",
                    "drifting",
                    "driftingScore",
                    "cartItems");

    private ProfileFacts() {}

    /**
     * The facts of a profile document as the job stores it in Redis (missing scores read as 0,
     * missing lifecycle as {@code new}, exactly as the job sees them).
     */
    public static Map<String, Object> fromProfileJson(JsonNode p) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("known", text(p, "customerId") != null);
        String lifecycle = text(p, "lifecycle");
        f.put("lifecycle", lifecycle == null ? "new" : lifecycle);
        f.put("orders", p.path("orders").asInt(0));
        f.put("spend", p.path("spend").asDouble(0));
        f.put("recencyDays", p.path("recencyDays").isNumber() ? p.get("recencyDays").asInt() : -1);
        f.put("recencyScore", p.path("recencyScore").asInt(0));
        f.put("frequencyScore", p.path("frequencyScore").asInt(0));
        f.put("monetaryScore", p.path("monetaryScore").asInt(0));
        f.put("averageOrderValue", p.path("averageOrderValue").asDouble(0));
        f.put("estimatedLifetimeValue", p.path("estimatedLifetimeValue").asDouble(0));
        f.put("discountShare", p.path("discountShare").asDouble(0));
        f.put("couponShare", p.path("couponShare").asDouble(0));
        f.put("sessions", p.path("sessions").asInt(0));
        f.put("tenureDays", p.path("tenureDays").asDouble(0));
        f.put("priceSensitive", p.path("priceSensitive").path("flagged").asBoolean(false));
        f.put("priceSensitivityScore", p.path("priceSensitive").path("score").asDouble(0));
        f.put("drifting", p.path("drifting").path("flagged").asBoolean(false));
        f.put("driftingScore", p.path("drifting").path("score").asDouble(0));
        f.put("cartItems", p.path("recentCarts").size());
        return f;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }
}
