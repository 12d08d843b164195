package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link RankingRequest} field by field, as inside a {@link NeighboursReply}: the state type of a
 * visitor's pending ranking ({@link RecommendationFunction}), written on every event of a backlog.
 * Only that state uses it (the request travels inside the reply's own serializer).
 */
public final class RankingRequestSerializer extends CompactSerializer<RankingRequest> {
    public static final RankingRequestSerializer INSTANCE = new RankingRequestSerializer();

    /** Type information for state descriptors. */
    public static final TypeInformation<RankingRequest> TYPE =
            new CompactTypeInfo<>(RankingRequest.class, INSTANCE);

    @Override
    public RankingRequest createInstance() {
        return new RankingRequest();
    }

    @Override
    public void serialize(RankingRequest request, DataOutputView out) throws IOException {
        NeighboursReplySerializer.writeRequest(request, out);
    }

    @Override
    public RankingRequest deserialize(DataInputView in) throws IOException {
        return NeighboursReplySerializer.readRequest(in);
    }

    @Override
    public TypeSerializerSnapshot<RankingRequest> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RankingRequest> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
