package io.shopkeeper.api.customers;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.api.events.OutgoingEvent;
import io.shopkeeper.api.store.CustomerStore;
import io.shopkeeper.schemas.DecodeResult;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.ShopEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Right to be forgotten. A request publishes a {@code customer_forgotten} event keyed by the id on
 * its topic (after the visitor's earlier events there); the job then removes the visitor from its
 * state and from Redis and confirms at {@code sk:forgotten:{id}}, which {@link #status} reports.
 */
public final class DeletionService {
    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String UNKNOWN = "unknown";

    private final EventPublisher publisher;
    private final CustomerStore store;
    private final Clock clock;

    public DeletionService(EventPublisher publisher, CustomerStore store, Clock clock) {
        this.publisher = publisher;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The state of a deletion: {@code done} with {@code completedAt} once the job confirmed it,
     * {@code pending} while a profile or recommendations are still stored, else {@code unknown}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeletionStatus(String customer, String status, Instant completedAt) {}

    /**
     * Publishes the deletion request for {@code id} and returns once the event log acknowledged it.
     * The id is the visitor key: a customer id or an anonymous id alike.
     *
     * @return the event id of the published {@code customer_forgotten} event
     * @throws io.shopkeeper.api.events.PublishFailedException when the event log did not
     *     acknowledge it
     */
    public String requestDeletion(String id) {
        ShopEvent event = tombstone(id, null);
        List<OutgoingEvent> outgoing = new ArrayList<>();
        outgoing.add(new OutgoingEvent(event.getType().topic(), id, encodeChecked(event, id)));
        // The job's identity state is keyed by anonymous id: one tombstone per stitched cookie
        // clears it too.
        for (String anonymousId : stitchedAnonymousIds(id)) {
            outgoing.add(
                    new OutgoingEvent(
                            event.getType().topic(),
                            anonymousId,
                            encodeChecked(tombstone(id, anonymousId), id)));
        }
        publisher.publishAll(outgoing);
        return event.getEventId();
    }

    private ShopEvent tombstone(String id, String anonymousId) {
        ShopEvent event = new ShopEvent();
        event.setEventId(UUID.randomUUID().toString());
        event.setType(EventType.CUSTOMER_FORGOTTEN);
        event.setTimestamp(clock.instant());
        event.setCustomerId(id);
        event.setAnonymousId(anonymousId);
        return event;
    }

    private static byte[] encodeChecked(ShopEvent event, String id) {
        byte[] value = EventCodec.encode(event);
        DecodeResult check = EventCodec.decode(value);
        if (!check.isValid()) {
            // Params.pathId bounds the id as the codec does; this guards against the two drifting
            // apart.
            throw new IllegalStateException(
                    "deletion event for '" + id + "' is invalid: " + check.error());
        }
        return value;
    }

    /**
     * The anonymous ids the job stitched to this customer, from the stored profile (none if
     * unknown).
     */
    private List<String> stitchedAnonymousIds(String id) {
        String profileJson = store.visitor(id).profileJson();
        if (profileJson == null) return List.of();
        try {
            List<String> ids = new ArrayList<>();
            for (String anonymousId : ProfileDocument.read(profileJson).getAnonymousIds()) {
                if (anonymousId != null && !anonymousId.equals(id)) ids.add(anonymousId);
            }
            return ids;
        } catch (IOException e) {
            return List.of();
        }
    }

    public DeletionStatus status(String id) {
        CustomerStore.DeletionRecord record = store.deletion(id);
        if (record.forgottenAt() != null) {
            return new DeletionStatus(id, DONE, Instant.ofEpochMilli(record.forgottenAt()));
        }
        return new DeletionStatus(id, record.dataPresent() ? PENDING : UNKNOWN, null);
    }
}
