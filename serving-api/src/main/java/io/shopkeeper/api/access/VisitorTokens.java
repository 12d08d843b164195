package io.shopkeeper.api.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proof that a page belongs to a visitor, for the storefront key's only per-visitor read (its own
 * profile). The shop's back end, which knows who is logged in, signs the visitor id with the shared
 * secret and puts the token in the page: {@code base64url(HMAC-SHA256(secret, visitorId))} without
 * padding. The storefront key is public, so without a token it can read no one's profile.
 */
public final class VisitorTokens {
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public VisitorTokens(String secret) {
        if (secret == null || secret.length() < AccessSettings.MIN_SECRET_LENGTH)
            throw new IllegalArgumentException(
                    "the visitor secret must have at least "
                            + AccessSettings.MIN_SECRET_LENGTH
                            + " characters");
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The token for {@code visitorId}. */
    public String sign(String visitorId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal(visitorId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /** True when {@code token} was signed for {@code visitorId} (constant-time comparison). */
    public boolean verify(String visitorId, String token) {
        if (token == null || visitorId == null) return false;
        return MessageDigest.isEqual(
                sign(visitorId).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }
}
