package io.shopkeeper.api.store;

import io.shopkeeper.schemas.ProfileDocument;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What request-time ranking needs from the visitor's {@link ProfileDocument} ({@code
 * sk:profile:{visitor}}), nothing more: recent views and carts and purchased items (most recent
 * first), the decayed category and brand affinities, the average order value and the two signal
 * flags. Absent fields are empty, 0 or false.
 */
public record VisitorFacts(
        List<String> recentViews,
        List<String> recentCarts,
        List<String> purchasedItems,
        Map<String, Double> categoryAffinity,
        Map<String, Double> brandAffinity,
        double averageOrderValue,
        boolean priceSensitive,
        boolean drifting) {

    public static final VisitorFacts NONE =
            new VisitorFacts(List.of(), List.of(), List.of(), Map.of(), Map.of(), 0, false, false);

    /** Bound on the lists and maps taken, whatever the document holds (the job caps them lower). */
    static final int MAX_ENTRIES = 50;

    public static VisitorFacts of(ProfileDocument profile) {
        return new VisitorFacts(
                ids(profile.getRecentViews()),
                ids(profile.getRecentCarts()),
                ids(profile.getPurchasedItems()),
                weights(profile.getCategoryAffinity()),
                weights(profile.getBrandAffinity()),
                profile.getAverageOrderValue(),
                flagged(profile.getPriceSensitive()),
                flagged(profile.getDrifting()));
    }

    private static List<String> ids(List<String> ids) {
        if (ids == null) return List.of();
        return ids.stream().filter(id -> id != null && !id.isBlank()).limit(MAX_ENTRIES).toList();
    }

    private static Map<String, Double> weights(Map<String, Double> weights) {
        if (weights == null) return Map.of();
        Map<String, Double> out = new HashMap<>();
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (out.size() == MAX_ENTRIES) break;
            if (e.getValue() != null) out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static boolean flagged(ProfileDocument.Signal signal) {
        return signal != null && signal.isFlagged();
    }
}
