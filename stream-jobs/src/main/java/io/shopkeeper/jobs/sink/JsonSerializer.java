package io.shopkeeper.jobs.sink;

import io.shopkeeper.schemas.EventCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Any output record as JSON with the shared mapper (dead letters, segment changes). */
public class JsonSerializer<T> implements SerializationSchema<T> {
    @Override
    public byte[] serialize(T value) {
        return EventCodec.encodeToString(value).getBytes(StandardCharsets.UTF_8);
    }
}
