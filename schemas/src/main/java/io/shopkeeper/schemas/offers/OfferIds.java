package io.shopkeeper.schemas.offers;

import java.time.Duration;
import java.time.Instant;

/**
 * Deterministic offer ids and coupon codes. An offer id is a hash of who, which campaign version
 * and which cap window (with the decision's sequence in that window), so a decision replayed after
 * a failure produces the same id, and writing it again is a no-op. The coupon code derives from the
 * offer id, so it is unique per offer and the same on replay.
 */
public final class OfferIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Crockford base 32: no I, L, O, U, so codes survive being read out or typed. */
    private static final char[] CODE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private OfferIds() {}

    /**
     * The cap window {@code at} falls in: whole periods of {@code per} since the epoch. Two
     * decisions of one campaign about one visitor in one window differ by their sequence number.
     */
    public static long window(Instant at, Duration per) {
        return Math.floorDiv(at.toEpochMilli(), per.toMillis());
    }

    /** {@code of_} and 24 hex digits. */
    public static String offerId(
            String visitorId, String campaignId, long version, long window, int sequence) {
        byte[] hash =
                Holdout.sha256(
                        visitorId
                                + '\u0000'
                                + campaignId
                                + '\u0000'
                                + version
                                + '\u0000'
                                + window
                                + '\u0000'
                                + sequence);
        StringBuilder id = new StringBuilder("of_");
        for (int i = 0; i < 12; i++) {
            id.append(HEX[(hash[i] >> 4) & 0xf]).append(HEX[hash[i] & 0xf]);
        }
        return id.toString();
    }

    /**
     * A coupon code as shown to a caller that may not use it: {@code SK-********7Q}, every
     * character but the prefix and the last two hidden ('*' is never in a code), so a page can say
     * which code it is without giving it away. Null stays null.
     */
    public static String mask(String couponCode) {
        if (couponCode == null) return null;
        int prefix = couponCode.startsWith("SK-") ? 3 : 0;
        int tail = couponCode.length() - prefix >= 8 ? 2 : 0; // a short code is hidden whole
        int shown = couponCode.length() - tail;
        return couponCode.substring(0, prefix)
                + "*".repeat(shown - prefix)
                + couponCode.substring(shown);
    }

    /** {@code SK-} and 10 Crockford base-32 characters (50 bits) derived from the offer id. */
    public static String couponCode(String offerId) {
        byte[] hash = Holdout.sha256("coupon\u0000" + offerId);
        long bits = 0;
        for (int i = 0; i < 8; i++) bits = (bits << 8) | (hash[i] & 0xff);
        StringBuilder code = new StringBuilder("SK-");
        for (int i = 0; i < 10; i++) {
            code.append(CODE[(int) (bits & 31)]);
            bits >>>= 5;
        }
        return code.toString();
    }
}
