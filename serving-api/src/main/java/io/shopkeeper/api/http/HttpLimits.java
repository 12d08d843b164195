package io.shopkeeper.api.http;

import java.time.Duration;

/**
 * What one client may cost the server: how long a connection may sit idle or a body may trickle,
 * how many connections one client address may hold open, and how large a request body may be
 * (counted on the stream, whatever the framing). {@link #defaults()} are the production values;
 * tests shorten the timeouts.
 *
 * @param idleTimeout a connection (or a blocked read of a request body) silent this long is closed;
 *     a request whose body stalls gets 408
 * @param minRequestBytesPerSecond a body arriving slower than this on average gets 408
 * @param maxConnectionsPerClient connections one remote address may hold open at once; more are
 *     closed as they arrive, so one client cannot take every request thread
 * @param maxRequestBytes largest request body; larger ones get 413 however they are sent
 */
public record HttpLimits(
        Duration idleTimeout,
        long minRequestBytesPerSecond,
        int maxConnectionsPerClient,
        long maxRequestBytes) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** A full batch of events with room to spare. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 4L * 1024 * 1024;

    /** Half the request threads: two abusive addresses cannot starve everyone else. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

    /** Any real client sends a 4 MB batch in well under a second; a trickle is an attack. */
    public static final long DEFAULT_MIN_REQUEST_BYTES_PER_SECOND = 1024;

    public HttpLimits {
        if (idleTimeout.isNegative() || idleTimeout.isZero())
            throw new IllegalArgumentException("idleTimeout must be positive; got " + idleTimeout);
        if (minRequestBytesPerSecond < 0)
            throw new IllegalArgumentException("minRequestBytesPerSecond must be >= 0");
        if (maxConnectionsPerClient < 1)
            throw new IllegalArgumentException("maxConnectionsPerClient must be >= 1");
        if (maxRequestBytes < 1) throw new IllegalArgumentException("maxRequestBytes must be >= 1");
    }

    public static HttpLimits defaults() {
        return new HttpLimits(
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MIN_REQUEST_BYTES_PER_SECOND,
                DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
                DEFAULT_MAX_REQUEST_BYTES);
    }
}
