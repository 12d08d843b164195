package io.shopkeeper.jobs.visitor;

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
 * {@link NeighboursReply} (its {@link RankingRequest} field by field, its neighbours as the encoded
 * bytes they already are): one of these crosses the network for every view, cart and order.
 */
public final class NeighboursReplySerializer extends CompactSerializer<NeighboursReply> {
    public static final NeighboursReplySerializer INSTANCE = new NeighboursReplySerializer();

    @Override
    public NeighboursReply createInstance() {
        return new NeighboursReply();
    }

    @Override
    public void serialize(NeighboursReply reply, DataOutputView out) throws IOException {
        out.writeBoolean(reply.getRequest() != null);
        if (reply.getRequest() != null) writeRequest(reply.getRequest(), out);
        byte[] neighbours = reply.getEncodedNeighbours();
        out.writeInt(neighbours == null ? -1 : neighbours.length);
        if (neighbours != null) out.write(neighbours);
    }

    @Override
    public NeighboursReply deserialize(DataInputView in) throws IOException {
        NeighboursReply reply = new NeighboursReply();
        if (in.readBoolean()) reply.setRequest(readRequest(in));
        int length = in.readInt();
        if (length >= 0) {
            byte[] neighbours = new byte[length];
            in.readFully(neighbours);
            reply.setEncodedNeighbours(neighbours);
        }
        return reply;
    }

    /** Writes {@code request} (not null). */
    public static void writeRequest(RankingRequest request, DataOutputView out) throws IOException {
        Compact.writeString(request.getVisitorId(), out);
        Compact.writeString(request.getSessionId(), out);
        Compact.writeStrings(request.getSessionItems(), out);
        Compact.writeStrings(request.getExcludedItems(), out);
        out.writeLong(request.getEventTime());
        Compact.writeStrings(request.getAliases(), out);
    }

    public static RankingRequest readRequest(DataInputView in) throws IOException {
        RankingRequest request = new RankingRequest();
        request.setVisitorId(Compact.readString(in));
        request.setSessionId(Compact.readString(in));
        request.setSessionItems(Compact.readStrings(in));
        request.setExcludedItems(Compact.readStrings(in));
        request.setEventTime(in.readLong());
        request.setAliases(Compact.readStrings(in));
        return request;
    }

    @Override
    public TypeSerializerSnapshot<NeighboursReply> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<NeighboursReply> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes Flink use this serializer for {@link NeighboursReply} everywhere. */
    public static final class Factory extends TypeInfoFactory<NeighboursReply> {
        @Override
        public TypeInformation<NeighboursReply> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(NeighboursReply.class, INSTANCE);
        }
    }
}
