package io.shopkeeper.api.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.shopkeeper.schemas.ListVersion;
import io.shopkeeper.schemas.RecommendationList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Decoded lists that many requests share (trending, and the similar and bought-together lists of
 * items), each kept with the stored form it was decoded from and, when the job wrote one, the
 * list's {@link ListVersion}. A read that returns the same stored form gets the same decoded list
 * back (an equality check of the stored bytes instead of a parse), a changed one is decoded again.
 * A list whose version matched its stored form is <em>trusted</em> for {@link #TRUST_NANOS}: a
 * request then reads only its version (16 bytes instead of the list) and gets the kept list while
 * the version stays the same. Bounded (the keys read most recently and most often). The lists are
 * shared between requests: read them, never change them.
 *
 * <p>Freshness: a list the job writes (with its version, in the same flush) is served from the
 * first read after that flush, as before. A list changed by a writer that does not keep its version
 * (an older job, a hand edit) is served at most {@link #TRUST_NANOS} later: a trusted list is read
 * again in full when its trust runs out.
 */
final class DecodedLists {
    /** Lists kept; about 5 KB each (stored and decoded forms) for lists of 20-50 items. */
    static final int MAX_LISTS = 10_000;

    /** How long a list whose version matched is served on its version alone: 5 s. */
    static final long TRUST_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * A decoded list, its stored form, and the version key and version that describe it (null when
     * Redis held no version of this stored form): trusted until {@code trustedUntil} (nanoTime).
     */
    record Decoded(
            byte[] stored,
            String versionKey,
            byte[] version,
            long trustedUntil,
            RecommendationList list) {
        /** The list if {@code current} (the version Redis holds now) is the one kept, else null. */
        RecommendationList ifVersion(byte[] current) {
            return current != null && Arrays.equals(version, current) ? list : null;
        }
    }

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
     * The kept list at {@code key} if it may be served on its version alone at {@code now}
     * (nanoTime): check {@link Decoded#ifVersion} against the version read. Null when the list must
     * be read.
     */
    Decoded trusted(String key, long now) {
        Decoded known = lists.getIfPresent(key);
        return known != null && known.version != null && now - known.trustedUntil < 0
                ? known
                : null;
    }

    /**
     * The list stored at {@code key} as {@code stored}: the one decoded earlier from the same
     * stored form, else {@code decode(stored)} (kept unless null). {@code version} is the version
     * read with it from {@code versionKey} (null if none); the list is trusted from {@code now}
     * when it is this stored form's version.
     */
    RecommendationList get(
            String key,
            byte[] stored,
            String versionKey,
            byte[] version,
            long now,
            Function<byte[], RecommendationList> decode) {
        Decoded known = stored == null ? null : lists.getIfPresent(key);
        boolean same = known != null && Arrays.equals(known.stored(), stored);
        RecommendationList list =
                stored == null ? null : same ? known.list() : decode.apply(stored);
        if (list == null) {
            lists.invalidate(key); // absent or unreadable: no trust left in what was kept
            return null;
        }
        boolean describes =
                version != null
                        && (same && Arrays.equals(known.version(), version)
                                || Arrays.equals(ListVersion.of(stored), version));
        lists.put(
                key,
                new Decoded(
                        stored,
                        describes ? versionKey : null,
                        describes ? version : null,
                        now + TRUST_NANOS,
                        list));
        return list;
    }
}
