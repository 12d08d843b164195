package io.shopkeeper.api.recommendations;

import java.util.List;

/**
 * One validated ask for recommendations: for {@code visitor} (customer or anonymous id) on a page
 * of kind {@code context}, optionally about the item on screen, a category (filter; on a search
 * page the query's category) and the cart's items ({@code items=}, cart page); {@code limit} items
 * at most.
 */
public record RecommendationRequest(
        String visitor,
        PageContext context,
        String itemId,
        String categoryId,
        int limit,
        List<String> cartItems) {
    public RecommendationRequest {
        cartItems = cartItems == null ? List.of() : List.copyOf(cartItems);
    }

    public RecommendationRequest(
            String visitor, PageContext context, String itemId, String categoryId, int limit) {
        this(visitor, context, itemId, categoryId, limit, List.of());
    }
}
