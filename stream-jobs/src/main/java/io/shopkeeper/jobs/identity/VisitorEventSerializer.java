package io.shopkeeper.jobs.identity;

import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import io.shopkeeper.jobs.types.ShopEventSerializer;
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
 * {@link VisitorEvent} field by field: the visitor key, the kind (by ordinal: a new kind goes at
 * the end of the enum), the customer merged into, and the event ({@link ShopEventSerializer}).
 * Every visitor event crosses two keyed hops (into identity's output and into event-time order,
 * then on to the profiles) and may wait in state; Flink's POJO serializer (reflective, a default
 * nested event built and overwritten) was most of the event-time-order task.
 */
public final class VisitorEventSerializer extends CompactSerializer<VisitorEvent> {
    public static final VisitorEventSerializer INSTANCE = new VisitorEventSerializer();
    private static final VisitorEvent.Kind[] KINDS = VisitorEvent.Kind.values();

    @Override
    public VisitorEvent createInstance() {
        return new VisitorEvent();
    }

    @Override
    public void serialize(VisitorEvent event, DataOutputView out) throws IOException {
        write(event, out);
    }

    @Override
    public VisitorEvent deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    public static void write(VisitorEvent v, DataOutputView out) throws IOException {
        Compact.writeString(v.getVisitorKey(), out);
        out.writeByte(v.getKind() == null ? -1 : v.getKind().ordinal());
        Compact.writeString(v.getMergedInto(), out);
        out.writeBoolean(v.getEvent() != null);
        if (v.getEvent() != null) ShopEventSerializer.write(v.getEvent(), out);
    }

    public static VisitorEvent read(DataInputView in) throws IOException {
        VisitorEvent v = new VisitorEvent();
        v.setVisitorKey(Compact.readString(in));
        int kind = in.readByte();
        v.setKind(kind < 0 ? null : KINDS[kind]);
        v.setMergedInto(Compact.readString(in));
        if (in.readBoolean()) v.setEvent(ShopEventSerializer.read(in));
        return v;
    }

    @Override
    public TypeSerializerSnapshot<VisitorEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Restores the serializer; state written by the POJO serializer of earlier versions is
     * compatible after migration.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<VisitorEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<VisitorEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<VisitorEvent> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot<VisitorEvent> pojo
                    && pojo.restoreSerializer().createInstance() instanceof VisitorEvent) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }

    /** Makes Flink use this serializer for {@link VisitorEvent} everywhere. */
    public static final class Factory extends TypeInfoFactory<VisitorEvent> {
        @Override
        public TypeInformation<VisitorEvent> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(VisitorEvent.class, INSTANCE);
        }
    }
}
