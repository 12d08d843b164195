package io.shopkeeper.jobs.recommend;

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
 * {@link ItemNeighbours} field by field without reflection (Flink's POJO serializer built a default
 * object tree and then overwrote it). Null lists read back as empty ones, which the recommender
 * treats the same. The job no longer ships or keeps snapshots in this form ({@link
 * ItemNeighboursCodec} does, by section); it remains the type's serializer, so a snapshot is never
 * handed to Kryo, and the serializer of the {@code session-neighbours-v2} state of older
 * savepoints.
 */
public final class ItemNeighboursSerializer extends CompactSerializer<ItemNeighbours> {
    public static final ItemNeighboursSerializer INSTANCE = new ItemNeighboursSerializer();

    @Override
    public ItemNeighbours createInstance() {
        return new ItemNeighbours();
    }

    @Override
    public void serialize(ItemNeighbours nb, DataOutputView out) throws IOException {
        write(nb, out);
    }

    @Override
    public ItemNeighbours deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    /** Writes {@code nb} (not null). */
    public static void write(ItemNeighbours nb, DataOutputView out) throws IOException {
        Compact.writeString(nb.getItemId(), out);
        Compact.writeStrings(nb.getItems(), out);
        Compact.writeDoubles(nb.getWeights(), out);
        out.writeDouble(nb.getOccurrences());
        Compact.writeStrings(nb.getSampleSessions(), out);
        Compact.writeLongs(nb.getSampleTimes(), out);
        Compact.writeInts(nb.getSampleSizes(), out);
        Compact.writeStrings(nb.getSampleItems(), out);
        Compact.writeStrings(nb.getContextThen(), out);
        Compact.writeStrings(nb.getContextNext(), out);
        Compact.writeDoubles(nb.getContextWeights(), out);
    }

    public static ItemNeighbours read(DataInputView in) throws IOException {
        ItemNeighbours nb = new ItemNeighbours();
        nb.setItemId(Compact.readString(in));
        nb.setItems(Compact.readStrings(in));
        nb.setWeights(Compact.readDoubles(in));
        nb.setOccurrences(in.readDouble());
        nb.setSampleSessions(Compact.readStrings(in));
        nb.setSampleTimes(Compact.readLongs(in));
        nb.setSampleSizes(Compact.readInts(in));
        nb.setSampleItems(Compact.readStrings(in));
        nb.setContextThen(Compact.readStrings(in));
        nb.setContextNext(Compact.readStrings(in));
        nb.setContextWeights(Compact.readDoubles(in));
        return nb;
    }

    @Override
    public TypeSerializerSnapshot<ItemNeighbours> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ItemNeighbours> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes Flink use this serializer for {@link ItemNeighbours} everywhere. */
    public static final class Factory extends TypeInfoFactory<ItemNeighbours> {
        @Override
        public TypeInformation<ItemNeighbours> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(ItemNeighbours.class, INSTANCE);
        }
    }
}
