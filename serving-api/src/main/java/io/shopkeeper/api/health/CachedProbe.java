package io.shopkeeper.api.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers a probe's result for {@code ttl}, so a load balancer polling /health often costs the
 * dependency at most one check per ttl. Concurrent callers of an expired entry wait for one check.
 */
public final class CachedProbe implements Probe {
    private final Probe delegate;
    private final Duration ttl;
    private final Clock clock;
    private ProbeResult last;
    private Instant expires = Instant.MIN;

    public CachedProbe(Probe delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public synchronized ProbeResult check() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(expires)) {
            last = delegate.check();
            expires = clock.instant().plus(ttl);
        }
        return last;
    }
}
