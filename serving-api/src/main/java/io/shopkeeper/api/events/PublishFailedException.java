package io.shopkeeper.api.events;

/**
 * Events could not all be acknowledged by the log. When {@link #isTransient()} (broker down,
 * timeout) the caller should retry the whole request: delivery is at-least-once, and the job
 * de-duplicates by eventId. Otherwise retrying the same request cannot succeed (the log refuses it
 * for good, or collection is disabled).
 */
public class PublishFailedException extends RuntimeException {
    private final boolean isTransient;

    /** A transient failure: retrying later may succeed. */
    public PublishFailedException(String message, Throwable cause) {
        this(message, cause, true);
    }

    public PublishFailedException(String message, Throwable cause, boolean isTransient) {
        super(message, cause);
        this.isTransient = isTransient;
    }

    public boolean isTransient() {
        return isTransient;
    }
}
