package io.shopkeeper.api.store;

import java.util.List;

/**
 * What one recommendation request reads, in one round trip: the visitor's list and profile, the
 * similar items of {@code similarOf} (if not null), the bought-together lists of {@code
 * boughtTogetherOf} (at most {@link #MAX_BOUGHT_TOGETHER}), the trending list of {@code categoryId}
 * (if not null) and the overall trending list.
 */
public record CandidateQuery(
        String visitorId, String similarOf, List<String> boughtTogetherOf, String categoryId) {
    /** Most bought-together lists one request reads (the cart's first items). */
    public static final int MAX_BOUGHT_TOGETHER = 3;

    public CandidateQuery {
        boughtTogetherOf =
                boughtTogetherOf == null
                        ? List.of()
                        : List.copyOf(
                                boughtTogetherOf.subList(
                                        0, Math.min(boughtTogetherOf.size(), MAX_BOUGHT_TOGETHER)));
    }
}
