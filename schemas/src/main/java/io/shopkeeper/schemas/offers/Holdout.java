package io.shopkeeper.schemas.offers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic holdout assignment: a visitor's bucket (0..9999) is a hash of the salt (campaign
 * id, or {@link #GLOBAL}) and the visitor id, so the same visitor is always in the same group of a
 * campaign, across restarts, replays and machines, and groups of different campaigns are
 * independent.
 */
public final class Holdout {
    public static final int BUCKETS = 10_000;

    /** Salt of the global holdout (visitors who get no offer from any campaign). */
    public static final String GLOBAL = "*global*";

    private Holdout() {}

    /** Whether the visitor is in the {@code percent} share held out of {@code salt}. */
    public static boolean isHeldOut(String salt, String visitorId, double percent) {
        if (percent <= 0) return false;
        return bucket(salt, visitorId) < percent * (BUCKETS / 100.0);
    }

    /** The visitor's bucket for the salt, uniform in {@code 0..BUCKETS-1}. */
    public static int bucket(String salt, String visitorId) {
        byte[] hash = sha256(salt + '\u0000' + visitorId);
        long bits = 0;
        for (int i = 0; i < 8; i++) bits = (bits << 8) | (hash[i] & 0xff);
        return (int) Long.remainderUnsigned(bits, BUCKETS);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
