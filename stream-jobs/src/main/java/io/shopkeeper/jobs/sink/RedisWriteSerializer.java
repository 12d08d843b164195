package io.shopkeeper.jobs.sink;

import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@link RedisWrite} between operators: key, operation, member, events applied, a sorted-set
 * member's score and size or an expiry (for those operations only), and the payload's kind and
 * stored form ({@link RedisWrite#storedValue()}: a text as is, else JSON), encoded once by the
 * sender. Flink's POJO serializer instead took every profile apart field by field and built it
 * again in the sink, only for the sink to encode it to JSON: that was half of the sink's CPU.
 */
public final class RedisWriteSerializer extends CompactSerializer<RedisWrite> {
    public static final RedisWriteSerializer INSTANCE = new RedisWriteSerializer();
    private static final RedisWrite.Operation[] OPERATIONS = RedisWrite.Operation.values();
    private static final RedisWrite.Payload[] PAYLOADS = RedisWrite.Payload.values();

    /**
     * The same write: a write is never changed after it is emitted, and a copy keeps its payload
     * objects for chained readers ({@link io.shopkeeper.jobs.segments.MembershipResync}, tests).
     */
    @Override
    public RedisWrite copy(RedisWrite from) {
        return from;
    }

    @Override
    public RedisWrite createInstance() {
        return new RedisWrite();
    }

    @Override
    public void serialize(RedisWrite write, DataOutputView out) throws IOException {
        Compact.writeString(write.getKey(), out);
        out.writeByte(write.getOperation().ordinal());
        Compact.writeString(write.getMember(), out);
        out.writeInt(write.getEventsApplied());
        switch (write.getOperation()) {
            case SORTED_ADD -> {
                out.writeDouble(write.getScore());
                out.writeInt(write.getKeep());
            }
            case EXPIRE_AT -> out.writeLong(write.getExpireAt());
            default -> {}
        }
        RedisWrite.Payload kind = write.payloadKind();
        out.writeByte(kind == null ? -1 : kind.ordinal());
        if (kind != null) Compact.writeString(write.storedValue(), out);
    }

    @Override
    public RedisWrite deserialize(DataInputView in) throws IOException {
        String key = Compact.readString(in);
        RedisWrite.Operation operation = OPERATIONS[in.readByte()];
        String member = Compact.readString(in);
        int eventsApplied = in.readInt();
        double score = 0;
        int keep = 0;
        long expireAt = 0;
        switch (operation) {
            case SORTED_ADD -> {
                score = in.readDouble();
                keep = in.readInt();
            }
            case EXPIRE_AT -> expireAt = in.readLong();
            default -> {}
        }
        int kind = in.readByte();
        RedisWrite write =
                kind < 0
                        ? RedisWrite.received(key, operation, member, null, null)
                        : RedisWrite.received(
                                key, operation, member, PAYLOADS[kind], Compact.readString(in));
        write.setEventsApplied(eventsApplied);
        write.setScore(score);
        write.setKeep(keep);
        write.setExpireAt(expireAt);
        return write;
    }

    @Override
    public TypeSerializerSnapshot<RedisWrite> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RedisWrite> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes Flink use this serializer for {@link RedisWrite} everywhere. */
    public static final class Factory extends TypeInfoFactory<RedisWrite> {
        @Override
        public TypeInformation<RedisWrite> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(RedisWrite.class, INSTANCE);
        }
    }
}
