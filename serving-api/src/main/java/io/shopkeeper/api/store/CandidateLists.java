package io.shopkeeper.api.store;

import io.shopkeeper.schemas.RecommendationList;

/**
 * The precomputed lists one recommendation request may draw from, fetched together. Each is
 * {@code null} when absent (new visitor, new item, unknown category) or not asked for.
 */
public record CandidateLists(
        RecommendationList personalized,
        RecommendationList similar,
        RecommendationList categoryTrending,
        RecommendationList trending) {
}
