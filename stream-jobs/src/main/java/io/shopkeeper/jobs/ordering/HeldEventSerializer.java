package io.shopkeeper.jobs.ordering;

import io.shopkeeper.jobs.identity.VisitorEventSerializer;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link HeldEvent} field by field (time, arrival, the visitor event): an event {@link
 * EventTimeOrder} still holds at a checkpoint barrier (or beyond its heap's room) waits in its list
 * state, written once and read back at least once per watermark that looks at the visitor.
 *
 * <p>Savepoints: events held by earlier versions (Flink's POJO serializer) are migrated on restore
 * ({@link Snapshot#resolveSchemaCompatibility}: RocksDB reads every held list with the old
 * serializer and writes it with this one).
 */
public final class HeldEventSerializer extends CompactSerializer<HeldEvent> {
    public static final HeldEventSerializer INSTANCE = new HeldEventSerializer();

    @Override
    public HeldEvent createInstance() {
        return new HeldEvent();
    }

    @Override
    public void serialize(HeldEvent held, DataOutputView out) throws IOException {
        out.writeLong(held.getTimestamp());
        out.writeLong(held.getArrival());
        out.writeBoolean(held.getEvent() != null);
        if (held.getEvent() != null) VisitorEventSerializer.write(held.getEvent(), out);
    }

    @Override
    public HeldEvent deserialize(DataInputView in) throws IOException {
        long timestamp = in.readLong();
        long arrival = in.readLong();
        return new HeldEvent(
                timestamp, arrival, in.readBoolean() ? VisitorEventSerializer.read(in) : null);
    }

    @Override
    public TypeSerializerSnapshot<HeldEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Restores the serializer; state written by the POJO serializer of earlier versions is
     * compatible after migration.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<HeldEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<HeldEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<HeldEvent> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot<HeldEvent> pojo
                    && pojo.restoreSerializer().createInstance() instanceof HeldEvent) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }

    /** Makes Flink use this serializer for {@link HeldEvent} everywhere. */
    public static final class Factory extends TypeInfoFactory<HeldEvent> {
        @Override
        public TypeInformation<HeldEvent> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(HeldEvent.class, INSTANCE);
        }
    }
}
