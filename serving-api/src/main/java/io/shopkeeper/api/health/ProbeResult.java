package io.shopkeeper.api.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The outcome of one {@link Probe}: up, or down with a reason; {@code details} says more where the
 * probe knows more (the job's state, checkpoint age, consumer lag).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProbeResult(boolean up, String error, Map<String, Object> details) {
    public static final ProbeResult UP = new ProbeResult(true, null, Map.of());

    public ProbeResult(boolean up, String error) {
        this(up, error, Map.of());
    }

    public static ProbeResult down(String error) {
        return new ProbeResult(false, error);
    }
}
