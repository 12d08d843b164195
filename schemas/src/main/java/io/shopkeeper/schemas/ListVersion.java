package io.shopkeeper.schemas;

import java.nio.charset.StandardCharsets;

/**
 * The version of a shared list in Redis (trending, similar items, bought together): a 64-bit hash
 * of the list's stored bytes (FNV-1a, lowercase hex), kept under {@link RedisKeys#listVersion} next
 * to the list. The job writes it with every list; the API reads the few version bytes instead of
 * the list and re-reads a list only when its version moved. Being a hash of the content, a version
 * always names one stored form: a reader that fetches a list can tell whether the version it read
 * describes it, however the two writes interleaved (in a cluster they may sit on different
 * masters).
 */
public final class ListVersion {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private ListVersion() {}

    /**
     * The version of a list stored as {@code stored} (UTF-8 bytes), as the ASCII bytes Redis holds.
     */
    public static byte[] of(byte[] stored) {
        long hash = OFFSET;
        for (byte b : stored) {
            hash ^= b & 0xff;
            hash *= PRIME;
        }
        byte[] hex = new byte[16];
        for (int i = 15; i >= 0; i--) {
            hex[i] = HEX[(int) (hash & 0xf)];
            hash >>>= 4;
        }
        return hex;
    }

    /** The version of a list stored as {@code stored} (its text, written to Redis as UTF-8). */
    public static String of(String stored) {
        return new String(of(stored.getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
    }
}
