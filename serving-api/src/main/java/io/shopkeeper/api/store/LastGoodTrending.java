package io.shopkeeper.api.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shopkeeper.schemas.RecommendationList;
import java.util.Optional;

/**
 * The last trending lists this API read from the store, per category (and overall), kept in this
 * process: while the store is unavailable the trending and recommendation routes answer from them,
 * marked {@code "stale": true}, instead of failing. Bounded (the categories asked for most
 * recently); empty after a restart, so a process that never read a list still answers 503.
 */
public final class LastGoodTrending {
    private static final String OVERALL = "";
    static final int MAX_CATEGORIES = 1_000;

    private final Cache<String, RecommendationList> lists =
            DecodedLists.onCallingThread(Caffeine.newBuilder()).maximumSize(MAX_CATEGORIES).build();

    /**
     * Keeps {@code list} as the last good one of {@code category} (null: overall); null: kept as
     * was.
     */
    public void remember(String category, RecommendationList list) {
        if (list == null) return;
        String key = category == null ? OVERALL : category;
        // Every request remembers its lists; an unchanged list is the same (shared) instance.
        if (lists.getIfPresent(key) != list) lists.put(key, list);
    }

    public Optional<RecommendationList> lastGood(String category) {
        return Optional.ofNullable(lists.getIfPresent(category == null ? OVERALL : category));
    }
}
