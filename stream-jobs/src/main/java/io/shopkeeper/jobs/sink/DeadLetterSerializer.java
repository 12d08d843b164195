package io.shopkeeper.jobs.sink;

import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.EventCodec;
import org.apache.flink.api.common.serialization.SerializationSchema;

import java.nio.charset.StandardCharsets;

/** Dead letters as JSON on the dead-letter topic (see {@link DeadLetter} for the fields). */
public class DeadLetterSerializer implements SerializationSchema<DeadLetter> {
    @Override
    public byte[] serialize(DeadLetter deadLetter) {
        return EventCodec.encodeToString(deadLetter).getBytes(StandardCharsets.UTF_8);
    }
}
