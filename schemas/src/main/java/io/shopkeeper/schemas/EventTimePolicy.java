package io.shopkeeper.schemas;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The event-time range Shopkeeper accepts, decided in this one place for the API's collector and
 * the job's ingest: an event may be at most {@link #maxAhead} ahead of the receiver's clock (clock
 * skew; Kafka itself refuses record timestamps more than an hour ahead) and at most {@link #maxAge}
 * old (by default the anonymous-visitor TTL: older events would be forgotten on arrival). Events
 * outside get a 400 from the collector and go to dead-letters from Kafka, with the reason. Raise
 * {@code maxAge} to backfill older history.
 *
 * <p>Serializable with its clock (the system clock, or a fixed clock in tests), so the job's source
 * carries it.
 */
public record EventTimePolicy(Duration maxAhead, Duration maxAge, Clock clock)
        implements Serializable {
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(5);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);

    /** Kafka's default {@code log.message.timestamp.after.max.ms}: one hour. */
    static final Duration BROKER_MAX_AHEAD = Duration.ofHours(1);

    public EventTimePolicy {
        if (maxAhead.isNegative() || maxAhead.compareTo(BROKER_MAX_AHEAD) >= 0)
            throw new IllegalArgumentException(
                    "maxAhead must be between 0 and 1 hour (the broker's limit); got " + maxAhead);
        if (maxAge.isNegative() || maxAge.isZero())
            throw new IllegalArgumentException("maxAge must be positive; got " + maxAge);
    }

    /** The defaults on the system clock. */
    public static EventTimePolicy defaults() {
        return new EventTimePolicy(DEFAULT_MAX_AHEAD, DEFAULT_MAX_AGE, Clock.systemUTC());
    }

    /** {@code null} when {@code timestamp} is acceptable now, else why not. */
    public String check(Instant timestamp) {
        Instant now = clock.instant();
        if (timestamp.isAfter(now.plus(maxAhead))) {
            return "timestamp "
                    + timestamp
                    + " is more than "
                    + maxAhead
                    + " ahead of the receiver's clock ("
                    + now
                    + ")";
        }
        if (timestamp.isBefore(now.minus(maxAge))) {
            return "timestamp "
                    + timestamp
                    + " is more than "
                    + maxAge
                    + " old (receiver's clock "
                    + now
                    + ")";
        }
        return null;
    }
}
