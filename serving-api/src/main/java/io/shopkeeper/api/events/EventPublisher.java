package io.shopkeeper.api.events;

import java.util.List;

/** Writes validated events to the event log (Kafka in production). */
public interface EventPublisher extends AutoCloseable {

    /**
     * Publishes every event and returns once all are durably acknowledged, in bounded time.
     *
     * @throws PublishFailedException when any event was not acknowledged in time
     */
    void publishAll(List<OutgoingEvent> events);

    @Override
    void close();

    /** A publisher for deployments without an event log: every call fails with a clear message. */
    static EventPublisher disabled(String why) {
        return new EventPublisher() {
            @Override
            public void publishAll(List<OutgoingEvent> events) {
                throw new PublishFailedException(
                        "event collection is disabled: " + why, null, false);
            }

            @Override
            public void close() {}
        };
    }
}
