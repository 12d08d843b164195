package io.shopkeeper.api.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.shopkeeper.api.access.AccessGuard;
import io.shopkeeper.api.access.CollectorLimits;
import io.shopkeeper.api.http.ApiException;
import io.shopkeeper.api.http.ErrorCodes;
import io.shopkeeper.api.http.RequestBodies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/events}: the event collector for storefronts that do not write to Kafka
 * themselves. The body is one event object or an array of at most {@value #MAX_BATCH} events.
 * Answers 202 when at least one event was published, 400 when none was valid or the body is not one
 * JSON value, 413 for an oversized body or batch, 415 when the body is not declared JSON, 429 over
 * the rate limits ({@link CollectorLimits}), and 503 with {@code Retry-After} when the event log
 * did not acknowledge in time (retry: the job de-duplicates by eventId).
 */
public final class EventsController {
    /** Largest number of events one request may carry. */
    public static final int MAX_BATCH = 1000;

    private final EventCollector collector;
    private final CollectorLimits limits;

    private final long maxRequestBytes;

    public EventsController(
            EventCollector collector, long maxRequestBytes, CollectorLimits limits) {
        this.collector = collector;
        this.maxRequestBytes = maxRequestBytes;
        this.limits = limits;
    }

    /**
     * The answer: counts and per-event errors; when nothing was accepted, also the common error
     * fields ({@code error}, {@code message}, {@code status}), so it is both a batch report and an
     * API error.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CollectResponse(
            int accepted,
            int rejected,
            List<EventCollector.Rejection> errors,
            String error,
            String message,
            Integer status) {}

    public void collect(Context ctx) {
        List<JsonNode> events = parse(RequestBodies.readJson(ctx, maxRequestBytes));
        limits.admit(AccessGuard.caller(ctx).key(), events.size(), eventsPerVisitor(events));
        EventCollector.Outcome outcome = collector.collect(events);
        if (outcome.accepted() == 0) {
            String message =
                    events.isEmpty()
                            ? "the request holds no events"
                            : "no valid event in the request";
            ctx.status(HttpStatus.BAD_REQUEST)
                    .json(
                            new CollectResponse(
                                    0,
                                    outcome.rejected(),
                                    outcome.errors(),
                                    ErrorCodes.BAD_REQUEST,
                                    message,
                                    400));
        } else {
            ctx.status(HttpStatus.ACCEPTED)
                    .json(
                            new CollectResponse(
                                    outcome.accepted(),
                                    outcome.rejected(),
                                    outcome.errors(),
                                    null,
                                    null,
                                    null));
        }
    }

    private static List<JsonNode> parse(JsonNode root) {
        if (root == null || !(root.isObject() || root.isArray())) {
            throw ApiException.badRequest(
                    "the body must be an event object or a JSON array of events");
        }
        if (root.isObject()) {
            return List.of(root);
        }
        if (root.size() > MAX_BATCH) {
            throw ApiException.payloadTooLarge(
                    "a batch holds at most " + MAX_BATCH + " events; got " + root.size());
        }
        List<JsonNode> events = new ArrayList<>(root.size());
        root.forEach(events::add);
        return events;
    }

    /**
     * How many of the events each visitor sent, by the id the job keys them by (the customer id,
     * else the anonymous id); events naming neither (catalog updates, invalid ones) count only
     * against the key.
     */
    static Map<String, Integer> eventsPerVisitor(List<JsonNode> events) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode event : events) {
            String visitor = text(event, "customerId");
            if (visitor == null) visitor = text(event, "anonymousId");
            if (visitor != null) counts.merge(visitor, 1, Integer::sum);
        }
        return counts;
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank()
                ? value.asText()
                : null;
    }
}
