package io.shopkeeper.jobs.signals;

import io.shopkeeper.schemas.EventCodec;
import java.nio.charset.StandardCharsets;

/**
 * Serialized sizes of signal state, as JSON with the shared mapper (what Redis and the size budget
 * see).
 */
public final class SignalSizes {
    private SignalSizes() {}

    /** UTF-8 bytes of {@code value} as JSON. */
    public static int jsonBytes(Object value) {
        return EventCodec.encodeToString(value).getBytes(StandardCharsets.UTF_8).length;
    }
}
