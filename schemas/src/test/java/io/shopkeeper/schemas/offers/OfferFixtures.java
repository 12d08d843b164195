package io.shopkeeper.schemas.offers;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named instants, campaigns and facts for the offer tests. */
final class OfferFixtures {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private OfferFixtures() {}

    /**
     * A live campaign from JSON fragments: {@code campaign("c", "left_at_price", coupon(10), "")}.
     */
    static Campaign campaign(String id, String trigger, String offer, String extra) {
        String json =
                "{\"id\":\""
                        + id
                        + "\",\"name\":\""
                        + id
                        + "\",\"trigger\":{\"type\":\""
                        + trigger
                        + "\"},\"offer\":"
                        + offer
                        + ",\"status\":\"live\",\"holdoutPercent\":0"
                        + (extra.isEmpty() ? "" : "," + extra)
                        + "}";
        CampaignCodec.Result r = CampaignCodec.decode(json);
        if (!r.isValid()) throw new IllegalArgumentException(r.error() + ": " + json);
        return r.campaign().withVersion(1, T0);
    }

    static String coupon(int percent) {
        return "{\"kind\":\"coupon\",\"discountPercent\":" + percent + "}";
    }

    static String message(String text) {
        return "{\"kind\":\"message\",\"message\":\"" + text + "\"}";
    }

    static Map<String, Object> bargainHunter() {
        Map<String, Object> f = regular();
        f.put("priceSensitive", true);
        f.put("priceSensitivityScore", 0.8);
        return f;
    }

    static Map<String, Object> regular() {
        Map<String, Object> f = new LinkedHashMap<>();
        for (String name : ProfileFacts.NAMES) f.put(name, 0);
        f.put("known", true);
        f.put("lifecycle", "active");
        f.put("orders", 4);
        f.put("priceSensitive", false);
        f.put("drifting", false);
        return f;
    }
}
