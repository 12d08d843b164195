package io.shopkeeper.api.store;

import io.shopkeeper.schemas.RecommendationList;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the lists the streaming jobs precompute (recommendations, similar items,
 * bought-together and trending lists, and the profile facts ranking needs; profiles and segments as
 * served are in {@link CustomerStore}). Contract for every implementation: each method costs at
 * most one round trip to the backing store; a stored value that cannot be parsed counts as absent
 * (bad data never breaks serving); an unreachable store throws {@link StoreUnavailableException}.
 */
public interface RecommendationStore extends AutoCloseable {

    /** Everything {@code query} names, in one round trip. */
    CandidateLists candidates(CandidateQuery query);

    /**
     * The visitor's list and profile, the similar-items list of {@code itemId} (if not null), the
     * trending list of {@code categoryId} (if not null) and the overall trending list, in one round
     * trip.
     */
    default CandidateLists candidates(String visitorId, String itemId, String categoryId) {
        return candidates(new CandidateQuery(visitorId, itemId, List.of(), categoryId));
    }

    /**
     * The bought-together lists of {@code itemIds}, in order (null where absent), in one round
     * trip.
     */
    List<RecommendationList> boughtTogether(List<String> itemIds);

    /** Items seen together with {@code itemId}; empty when the item has no list yet. */
    Optional<RecommendationList> similarItems(String itemId);

    /** Trending items overall ({@code categoryId == null}) or in one category. */
    Optional<RecommendationList> trending(String categoryId);

    /** True when the store answers a liveness probe. Never throws. */
    boolean ping();

    @Override
    void close();
}
