package io.shopkeeper.api.health;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The outcome of one {@link Probe}: up, or down with a reason. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeResult(boolean up, String error) {
    public static final ProbeResult UP = new ProbeResult(true, null);

    public static ProbeResult down(String error) {
        return new ProbeResult(false, error);
    }
}
