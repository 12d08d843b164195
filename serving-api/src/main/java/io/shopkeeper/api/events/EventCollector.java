package io.shopkeeper.api.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.schemas.DecodeResult;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventTimePolicy;
import io.shopkeeper.schemas.ShopEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a batch of events with the job's own {@link EventCodec} and publishes the valid ones.
 * Contract: each event is judged alone, so a bad event never costs its valid neighbours; the
 * rejected ones are reported by position with the codec's reason and are not published.
 */
public final class EventCollector {
    /**
     * Largest encoded event: Kafka refuses records over 1 MB by default, for good, so a larger
     * event is rejected here with the reason rather than failing the whole request.
     */
    public static final int MAX_EVENT_BYTES = 512 * 1024;

    private final EventPublisher publisher;

    private final EventTimePolicy eventTime;

    /** {@code eventTime}: the accepted event-time range, the same the job enforces. */
    public EventCollector(EventPublisher publisher, EventTimePolicy eventTime) {
        this.publisher = publisher;
        this.eventTime = eventTime;
    }

    /** A rejected event: its position in the request (0 for a single object) and why. */
    public record Rejection(int index, String reason) {}

    /** What happened to a batch: how many events were published and which were rejected. */
    public record Outcome(int accepted, int rejected, List<Rejection> errors) {}

    /**
     * Validates {@code events} and publishes the valid ones, returning once they are acknowledged.
     *
     * @throws PublishFailedException when the valid events could not all be published
     */
    public Outcome collect(List<JsonNode> events) {
        List<OutgoingEvent> valid = new ArrayList<>(events.size());
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            DecodeResult result = EventCodec.decode(events.get(i), eventTime);
            if (result.isValid()) {
                OutgoingEvent outgoing = toOutgoing(result.event());
                if (outgoing.value().length > MAX_EVENT_BYTES) {
                    rejections.add(
                            new Rejection(
                                    i,
                                    "event is "
                                            + outgoing.value().length
                                            + " bytes encoded; at most "
                                            + MAX_EVENT_BYTES));
                } else {
                    valid.add(outgoing);
                }
            } else {
                rejections.add(new Rejection(i, result.error()));
            }
        }
        if (!valid.isEmpty()) {
            publisher.publishAll(valid);
        }
        return new Outcome(valid.size(), rejections.size(), rejections);
    }

    /** To the event's topic, keyed by its {@link ShopEvent#partitionKey()}. */
    static OutgoingEvent toOutgoing(ShopEvent event) {
        return new OutgoingEvent(event.topic(), event.partitionKey(), EventCodec.encode(event));
    }
}
