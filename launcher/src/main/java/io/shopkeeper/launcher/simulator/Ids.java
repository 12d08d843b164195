package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.RecommendationIds;
import java.util.SplittableRandom;
import java.util.UUID;

/** Ids drawn from a seeded random source, so a seeded simulation repeats exactly. */
public final class Ids {
    private Ids() {}

    /** A version-4-shaped UUID string (deterministic, unlike {@link UUID#randomUUID()}). */
    static String uuid(SplittableRandom rnd) {
        long msb = (rnd.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * A recommendation id as the API mints it ({@link RecommendationIds}), from one draw of {@code
     * rnd} (as the short hex id it replaced, so the rest of a seeded simulation is unchanged).
     */
    static String recommendationId(SplittableRandom rnd, String context, String strategy) {
        long x = rnd.nextLong();
        long msb = (mix(x) & ~0xF000L) | 0x4000L;
        long lsb = (x & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return RecommendationIds.mint(new UUID(msb, lsb), context, strategy);
    }

    /** A short random hex id with a prefix, e.g. {@code s-3f9a0c12d4e5}. */
    static String hex(String prefix, SplittableRandom rnd) {
        return prefix + Long.toHexString(rnd.nextLong() & 0xFFFFFFFFFFFFL | 0x100000000000L);
    }

    /** A bijective 64-bit mix (SplitMix64 finaliser). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
