package io.shopkeeper.api.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.shopkeeper.api.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Rate limits of the event collector, in events (not requests): one token bucket per API key and
 * one per visitor, each refilled at its rate and holding {@value #BURST_SECONDS} seconds' worth, so
 * a tracker flushing its offline queue passes. A request is admitted whole or refused whole (429
 * with {@code Retry-After}); a refused request costs nothing. Visitor buckets are kept for the
 * {@value #MAX_VISITORS} most recent visitors, idle ones dropped after {@value
 * #VISITOR_IDLE_MINUTES} minutes (a dropped bucket was full anyway).
 */
public final class CollectorLimits {
    static final int BURST_SECONDS = 10;
    static final int MAX_VISITORS = 200_000;
    static final int VISITOR_IDLE_MINUTES = 5;

    private final int perKey;
    private final int perVisitor;
    private final ConcurrentMap<String, Bucket> keys = new ConcurrentHashMap<>();
    private final Cache<String, Bucket> visitors =
            Caffeine.newBuilder()
                    .maximumSize(MAX_VISITORS)
                    .expireAfterAccess(Duration.ofMinutes(VISITOR_IDLE_MINUTES))
                    .build();

    public CollectorLimits(AccessSettings settings) {
        this.perKey = settings.eventsPerSecondPerKey();
        this.perVisitor = settings.eventsPerSecondPerVisitor();
    }

    /**
     * Takes {@code total} events from the key's bucket and each visitor's count from theirs, or
     * nothing: throws a 429 {@link RateLimitedException} when a bucket is short, 413 when one
     * visitor's share of the request exceeds their whole burst (it could never pass).
     */
    public void admit(String key, int total, Map<String, Integer> eventsPerVisitor) {
        long visitorBurst = (long) perVisitor * BURST_SECONDS;
        for (Map.Entry<String, Integer> visitor : eventsPerVisitor.entrySet()) {
            if (visitor.getValue() > visitorBurst)
                throw ApiException.payloadTooLarge(
                        "a request may carry at most "
                                + visitorBurst
                                + " events of one visitor; got "
                                + visitor.getValue()
                                + " for '"
                                + visitor.getKey()
                                + "'");
        }
        if (total == 0) return; // an empty request is refused as such, not counted
        Bucket keyBucket = keys.computeIfAbsent(key, k -> bucket(perKey));
        ConsumptionProbe probe = keyBucket.tryConsumeAndReturnRemaining(total);
        if (!probe.isConsumed())
            throw new RateLimitedException(
                    "too many events for this API key (at most " + perKey + "/s); retry later",
                    probe.getNanosToWaitForRefill());
        List<Map.Entry<Bucket, Integer>> taken = new ArrayList<>();
        for (Map.Entry<String, Integer> visitor : eventsPerVisitor.entrySet()) {
            Bucket bucket = visitors.get(visitor.getKey(), v -> bucket(perVisitor));
            ConsumptionProbe visitorProbe = bucket.tryConsumeAndReturnRemaining(visitor.getValue());
            if (!visitorProbe.isConsumed()) {
                keyBucket.addTokens(total);
                taken.forEach(t -> t.getKey().addTokens(t.getValue()));
                throw new RateLimitedException(
                        "too many events for visitor '"
                                + visitor.getKey()
                                + "' (at most "
                                + perVisitor
                                + "/s); retry later",
                        visitorProbe.getNanosToWaitForRefill());
            }
            taken.add(Map.entry(bucket, visitor.getValue()));
        }
    }

    private static Bucket bucket(int perSecond) {
        return Bucket.builder()
                .addLimit(
                        Bandwidth.builder()
                                .capacity((long) perSecond * BURST_SECONDS)
                                .refillGreedy(perSecond, Duration.ofSeconds(1))
                                .build())
                .build();
    }
}
