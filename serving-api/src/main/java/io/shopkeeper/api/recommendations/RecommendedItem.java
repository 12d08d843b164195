package io.shopkeeper.api.recommendations;

/**
 * One item of a response: higher {@code score} ranks first; {@code reason} says which signal chose
 * it.
 */
public record RecommendedItem(String itemId, double score, String reason) {}
