package io.shopkeeper.api.events;

/**
 * Events could not all be acknowledged by the log in time (broker down, timeout). The caller must
 * retry the whole request: delivery is at-least-once, and events carry an eventId for
 * de-duplication.
 */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
