package io.shopkeeper.api.recommendations;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a {@link RecommendationRequest}, as serialized to JSON. {@code recommendationId} is
 * fresh per answer so impressions and clicks can be attributed to it; {@code strategy} names the
 * sources the items came from, joined with '+' in priority order (e.g. {@code
 * personalized+similar}). {@code stale} (only when true): the store was unavailable and the items
 * come from the last trending lists this process read.
 */
public record Recommendations(
        String recommendationId,
        String customer,
        String context,
        String strategy,
        List<RecommendedItem> items,
        Instant generatedAt,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean stale) {}
