package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.profile.CustomerProfileSerializer;
import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An {@link OfferMoment} between operators, field by field: a moment crosses the network for every
 * step that matters to an offer, with the visitor's whole profile on the steps that may trigger a
 * campaign ({@link CustomerProfileSerializer}). Flink's POJO serializer built every nested default
 * object of the profile before overwriting it, through reflection: 45% of the decision operator's
 * samples. A handover's offer state (rare: one per stitch) travels as its JSON.
 */
public final class OfferMomentSerializer extends CompactSerializer<OfferMoment> {
    public static final OfferMomentSerializer INSTANCE = new OfferMomentSerializer();
    private static final OfferMoment.Kind[] KINDS = OfferMoment.Kind.values();
    private static final EventType[] EVENT_TYPES = EventType.values();

    /** The same moment: a moment is never changed after it is emitted. */
    @Override
    public OfferMoment copy(OfferMoment from) {
        return from;
    }

    @Override
    public OfferMoment createInstance() {
        return new OfferMoment();
    }

    @Override
    public void serialize(OfferMoment m, DataOutputView out) throws IOException {
        out.writeByte(m.getKind().ordinal());
        Compact.writeString(m.getVisitorId(), out);
        out.writeLong(m.getAt());
        out.writeByte(m.getEventType() == null ? -1 : m.getEventType().ordinal());
        Compact.writeString(m.getSessionId(), out);
        Compact.writeString(m.getItemId(), out);
        Compact.writeString(m.getPageType(), out);
        Compact.writeString(m.getOfferId(), out);
        Compact.writeString(m.getRecommendationId(), out);
        Compact.writeString(m.getCouponCode(), out);
        out.writeDouble(m.getTotal());
        out.writeDouble(m.getDiscountTotal());
        out.writeBoolean(m.isSessionEnded());
        out.writeLong(m.getSessionEndedAt());
        out.writeBoolean(m.isDriftingOn());
        out.writeBoolean(m.isWonBack());
        Compact.writeStrings(m.getJoinedSegments(), out);
        Compact.writeStrings(m.getAliases(), out);
        out.writeBoolean(m.getProfile() != null);
        if (m.getProfile() != null)
            CustomerProfileSerializer.INSTANCE.serialize(m.getProfile(), out);
        Compact.writeString(m.getItemTrigger(), out);
        out.writeDouble(m.getDropPercent());
        out.writeLong(m.getInterestAt());
        Compact.writeString(m.getMergedInto(), out);
        Compact.writeString(m.getHandover() == null ? null : json(m.getHandover()), out);
    }

    @Override
    public OfferMoment deserialize(DataInputView in) throws IOException {
        OfferMoment m = new OfferMoment();
        m.setKind(KINDS[in.readByte()]);
        m.setVisitorId(Compact.readString(in));
        m.setAt(in.readLong());
        byte type = in.readByte();
        m.setEventType(type < 0 ? null : EVENT_TYPES[type]);
        m.setSessionId(Compact.readString(in));
        m.setItemId(Compact.readString(in));
        m.setPageType(Compact.readString(in));
        m.setOfferId(Compact.readString(in));
        m.setRecommendationId(Compact.readString(in));
        m.setCouponCode(Compact.readString(in));
        m.setTotal(in.readDouble());
        m.setDiscountTotal(in.readDouble());
        m.setSessionEnded(in.readBoolean());
        m.setSessionEndedAt(in.readLong());
        m.setDriftingOn(in.readBoolean());
        m.setWonBack(in.readBoolean());
        m.setJoinedSegments(Compact.readStrings(in));
        m.setAliases(Compact.readStrings(in));
        if (in.readBoolean()) m.setProfile(CustomerProfileSerializer.INSTANCE.deserialize(in));
        m.setItemTrigger(Compact.readString(in));
        m.setDropPercent(in.readDouble());
        m.setInterestAt(in.readLong());
        m.setMergedInto(Compact.readString(in));
        String handover = Compact.readString(in);
        if (handover != null)
            m.setHandover(EventCodec.mapper().readValue(handover, OfferState.class));
        return m;
    }

    private static String json(OfferState state) {
        try {
            return EventCodec.mapper().writeValueAsString(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public TypeSerializerSnapshot<OfferMoment> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer (no configuration). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<OfferMoment> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Makes Flink use this serializer for {@link OfferMoment} everywhere. */
    public static final class Factory extends TypeInfoFactory<OfferMoment> {
        @Override
        public TypeInformation<OfferMoment> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(OfferMoment.class, INSTANCE);
        }
    }
}
