package io.shopkeeper.api.store;

import java.util.List;
import java.util.Map;

/**
 * What request-time ranking needs from the visitor's profile document ({@code
 * sk:profile:{visitor}}), nothing more: recent views and carts and purchased items (most recent
 * first), the decayed category and brand affinities, the average order value and the two signal
 * flags. Read with a streaming parser by {@link VisitorFactsReader}; absent fields are empty, 0 or
 * false.
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
}
