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
        this.lists = onCallingThread(Caffeine.newBuilder()).maximumSize(maxLists).build();
    }

    /**
     * A cache whose bookkeeping runs on the thread that reads it. Caffeine records reads in small
     * buffers and by default hands their draining to {@code ForkJoinPool.commonPool()}: on the
     * recommendation path (3-4 cache reads per request) that woke a pool thread about every fourth
     * request (0.27 futex calls per request), and the wake-up, not the drain (a few entries into
     * the frequency sketch, under a lock tried without waiting), was the cost: the pool thread
     * alone took 8-18 us of CPU per request in bench/api.sh at 1,000 requests/s.
     */
    static <K, V> Caffeine<K, V> onCallingThread(Caffeine<K, V> builder) {
        return builder.executor(Runnable::run);
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
