package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import io.shopkeeper.jobs.visitor.NeighboursReplySerializer;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ItemMessage} (its {@link ItemUpdate}s and request) field by field: a view sends about ten
 * of them across the network, one per item whose model it changes.
 */
public final class ItemMessageSerializer extends CompactSerializer<ItemMessage> {
    public static final ItemMessageSerializer INSTANCE = new ItemMessageSerializer();
    private static final ItemUpdate.Kind[] KINDS = ItemUpdate.Kind.values();

    @Override
    public ItemMessage createInstance() {
        return new ItemMessage();
    }

    @Override
    public void serialize(ItemMessage message, DataOutputView out) throws IOException {
        Compact.writeString(message.getItemId(), out);
        out.writeLong(message.getEventTime());
        List<ItemUpdate> updates = message.getUpdates();
        int n = updates == null ? 0 : updates.size();
        out.writeInt(n);
        for (int i = 0; i < n; i++) writeUpdate(updates.get(i), out);
        out.writeBoolean(message.getRequest() != null);
        if (message.getRequest() != null)
            NeighboursReplySerializer.writeRequest(message.getRequest(), out);
    }

    @Override
    public ItemMessage deserialize(DataInputView in) throws IOException {
        ItemMessage message = new ItemMessage(Compact.readString(in), in.readLong());
        int n = in.readInt();
        List<ItemUpdate> updates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) updates.add(readUpdate(in));
        message.setUpdates(updates);
        if (in.readBoolean()) message.setRequest(NeighboursReplySerializer.readRequest(in));
        return message;
    }

    private static void writeUpdate(ItemUpdate update, DataOutputView out) throws IOException {
        out.writeByte(update.getKind() == null ? -1 : update.getKind().ordinal());
        Compact.writeString(update.getItemId(), out);
        Compact.writeString(update.getOtherItem(), out);
        out.writeDouble(update.getWeight());
        Compact.writeString(update.getSessionId(), out);
        Compact.writeStrings(update.getSessionItems(), out);
        Compact.writeString(update.getNextItem(), out);
    }

    private static ItemUpdate readUpdate(DataInputView in) throws IOException {
        int kind = in.readByte();
        ItemUpdate update = new ItemUpdate();
        update.setKind(kind < 0 ? null : KINDS[kind]);
        update.setItemId(Compact.readString(in));
        update.setOtherItem(Compact.readString(in));
        update.setWeight(in.readDouble());
        update.setSessionId(Compact.readString(in));
        update.setSessionItems(Compact.readStrings(in));
        update.setNextItem(Compact.readString(in));
        return update;
    }

    @Override
    public TypeSerializerSnapshot<ItemMessage> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ItemMessage> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes Flink use this serializer for {@link ItemMessage} everywhere. */
    public static final class Factory extends TypeInfoFactory<ItemMessage> {
        @Override
        public TypeInformation<ItemMessage> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(ItemMessage.class, INSTANCE);
        }
    }
}
