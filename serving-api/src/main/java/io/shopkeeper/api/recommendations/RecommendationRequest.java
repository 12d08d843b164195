package io.shopkeeper.api.recommendations;

/**
 * One validated ask for recommendations: for {@code visitor} (customer or anonymous id) on a page of
 * kind {@code context}, optionally about the item on screen and a category; {@code limit} items at most.
 */
public record RecommendationRequest(String visitor, PageContext context, String itemId, String categoryId, int limit) {
}
