package io.shopkeeper.api.store;

import io.shopkeeper.schemas.RecommendationList;
import java.util.List;

/**
 * The precomputed lists one recommendation request may draw from, fetched together. Each list is
 * {@code null} when absent (new visitor, new item, unknown category) or not asked for; {@code
 * boughtTogether} holds one entry per item asked for, in order (an entry may be null); {@code
 * profile} is {@code null} for a visitor without a (readable) profile.
 */
public record CandidateLists(
        RecommendationList personalized,
        RecommendationList similar,
        List<RecommendationList> boughtTogether,
        RecommendationList categoryTrending,
        RecommendationList trending,
        VisitorFacts profile) {

    public CandidateLists {
        boughtTogether = boughtTogether == null ? List.of() : boughtTogether;
    }

    /** Lists without bought-together lists and without a profile. */
    public CandidateLists(
            RecommendationList personalized,
            RecommendationList similar,
            RecommendationList categoryTrending,
            RecommendationList trending) {
        this(personalized, similar, List.of(), categoryTrending, trending, null);
    }

    /** The same lists with {@code boughtTogether} replaced (the cart fallback's second read). */
    public CandidateLists withBoughtTogether(List<RecommendationList> lists) {
        return new CandidateLists(
                personalized, similar, lists, categoryTrending, trending, profile);
    }
}
