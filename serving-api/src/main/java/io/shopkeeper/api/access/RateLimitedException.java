package io.shopkeeper.api.access;

import io.shopkeeper.api.http.ApiException;
import io.shopkeeper.api.http.ErrorCodes;

/** A 429: the caller sent too much; {@link #retryAfterSeconds()} goes to {@code Retry-After}. */
public final class RateLimitedException extends ApiException {
    private final long retryAfterSeconds;

    public RateLimitedException(String message, long nanosToWait) {
        super(429, ErrorCodes.TOO_MANY_REQUESTS, message);
        this.retryAfterSeconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
