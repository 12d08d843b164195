package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An {@link OfferMoment} between operators, field by field: a moment crosses the network for every
 * step that matters to an offer, with the visitor's facts on the steps that may trigger a campaign:
 * each fact as its index in {@link ProfileFacts#NAMES} and a typed value (a name outside it, which
 * the job never sends, travels as its text). A handover's offer state (rare: one per stitch)
 * travels as its JSON.
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
        writeFacts(m.getFacts(), out);
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
        m.setFacts(readFacts(in));
        m.setItemTrigger(Compact.readString(in));
        m.setDropPercent(in.readDouble());
        m.setInterestAt(in.readLong());
        m.setMergedInto(Compact.readString(in));
        String handover = Compact.readString(in);
        if (handover != null)
            m.setHandover(EventCodec.mapper().readValue(handover, OfferState.class));
        return m;
    }

    private static final List<String> FACT_NAMES = List.copyOf(ProfileFacts.NAMES);
    private static final Map<String, Integer> FACT_INDEX = index(FACT_NAMES);
    private static final byte NULL = 0, BOOLEAN = 1, STRING = 2, INT = 3, LONG = 4, DOUBLE = 5;

    static void writeFacts(Map<String, Object> facts, DataOutputView out) throws IOException {
        if (facts == null) {
            out.writeShort(-1);
            return;
        }
        out.writeShort(facts.size());
        for (Map.Entry<String, Object> fact : facts.entrySet()) {
            Integer known = FACT_INDEX.get(fact.getKey());
            int index = known == null ? -1 : known;
            out.writeByte(index);
            if (index < 0) Compact.writeString(fact.getKey(), out);
            Object value = fact.getValue();
            if (value == null) {
                out.writeByte(NULL);
            } else if (value instanceof Boolean b) {
                out.writeByte(BOOLEAN);
                out.writeBoolean(b);
            } else if (value instanceof String text) {
                out.writeByte(STRING);
                Compact.writeString(text, out);
            } else if (value instanceof Integer i) {
                out.writeByte(INT);
                out.writeInt(i);
            } else if (value instanceof Long l) {
                out.writeByte(LONG);
                out.writeLong(l);
            } else if (value instanceof Double d) {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            } else {
                throw new IOException(
                        "fact " + fact.getKey() + " has a value of type " + value.getClass());
            }
        }
    }

    static Map<String, Object> readFacts(DataInputView in) throws IOException {
        int size = in.readShort();
        if (size < 0) return null;
        Map<String, Object> facts = new LinkedHashMap<>(Math.max(16, size * 4 / 3 + 1));
        for (int i = 0; i < size; i++) {
            int index = in.readByte();
            String name = index >= 0 ? FACT_NAMES.get(index) : Compact.readString(in);
            byte type = in.readByte();
            Object value =
                    switch (type) {
                        case NULL -> null;
                        case BOOLEAN -> in.readBoolean();
                        case STRING -> Compact.readString(in);
                        case INT -> in.readInt();
                        case LONG -> in.readLong();
                        case DOUBLE -> in.readDouble();
                        default -> throw new IOException("unknown fact value type " + type);
                    };
            facts.put(name, value);
        }
        return facts;
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        return Map.copyOf(index);
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
