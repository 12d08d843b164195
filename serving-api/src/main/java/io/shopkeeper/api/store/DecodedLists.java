package io.shopkeeper.api.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shopkeeper.schemas.RecommendationList;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Decoded lists that many requests share (trending, and the similar and bought-together lists of
 * items), each kept with the stored form it was decoded from: a read that returns the same stored
 * form gets the same decoded list back (an equality check of the stored bytes instead of a parse),
 * a changed one is decoded again. Bounded (the keys read most recently and most often). The lists
 * are shared between requests: read them, never change them.
 */
final class DecodedLists {
    /** Lists kept; about 5 KB each (stored and decoded forms) for lists of 20-50 items. */
    static final int MAX_LISTS = 10_000;

    private record Decoded(byte[] stored, RecommendationList list) {}

    private final Cache<String, Decoded> lists;

    DecodedLists(int maxLists) {
        this.lists = Caffeine.newBuilder().maximumSize(maxLists).build();
    }

    /**
     * The list stored at {@code key} as {@code stored}: the one decoded earlier from the same
     * stored form, else {@code decode(stored)} (kept unless null).
     */
    RecommendationList get(String key, byte[] stored, Function<byte[], RecommendationList> decode) {
        if (stored == null) return null;
        Decoded known = lists.getIfPresent(key);
        if (known != null && Arrays.equals(known.stored(), stored)) return known.list();
        RecommendationList list = decode.apply(stored);
        if (list != null) lists.put(key, new Decoded(stored, list));
        return list;
    }
}
