package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.offers.OfferState.AssignedEntry;
import io.shopkeeper.jobs.offers.OfferState.OpenEntry;
import io.shopkeeper.jobs.offers.OfferState.PendingCart;
import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
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
 * {@link OfferState} field by field, without reflection: the decision operator reads and writes a
 * visitor's offer state on every step a page or cart campaign listens to, and Flink's POJO
 * serializer (reflective field access, a null flag per field and element, strings a byte per call)
 * with the facts kept as JSON was most of the operator's CPU (issue 11). The facts are written as
 * {@link OfferMomentSerializer} writes a moment's (each as its index in the fact vocabulary and a
 * typed value), or as their JSON text where the state keeps them as text.
 *
 * <p>Savepoints: state written by the POJO serializer of earlier versions is migrated on restore
 * ({@link Snapshot#resolveSchemaCompatibility}: the backend reads every state with the old
 * serializer, facts as JSON text, and writes it with this one). A new field of the state or of its
 * entries must be written here and gets a new snapshot version; {@code OfferStateSerializerTest}
 * fails when a field is not written.
 */
public final class OfferStateSerializer extends CompactSerializer<OfferState> {
    public static final OfferStateSerializer INSTANCE = new OfferStateSerializer();

    private static final byte NO_FACTS = 0, FACT_VALUES = 1, FACTS_JSON = 2;

    @Override
    public OfferState createInstance() {
        return new OfferState();
    }

    @Override
    public void serialize(OfferState s, DataOutputView out) throws IOException {
        List<AssignedEntry> assigned = s.getAssigned();
        out.writeInt(assigned.size());
        for (AssignedEntry a : assigned) {
            Compact.writeString(a.getCampaignId(), out);
            out.writeLong(a.getAt());
        }
        List<OpenEntry> open = s.getOpen();
        out.writeInt(open.size());
        for (OpenEntry o : open) {
            Compact.writeString(o.getOfferId(), out);
            Compact.writeString(o.getCampaignId(), out);
            out.writeBoolean(o.isTreated());
            Compact.writeString(o.getCouponCode(), out);
            out.writeLong(o.getDecidedAt());
            out.writeLong(o.getWindowEnd());
            out.writeBoolean(o.isConverted());
        }
        List<PendingCart> pending = s.getPendingCarts();
        out.writeInt(pending.size());
        for (PendingCart p : pending) {
            Compact.writeString(p.getCampaignId(), out);
            out.writeLong(p.getFireAt());
        }
        Compact.writeStrings(s.getCartItems(), out);
        Compact.writeString(s.getProductOnScreen(), out);
        Map<String, Object> values = s.getFactValues();
        if (values != null) {
            out.writeByte(FACT_VALUES);
            OfferMomentSerializer.writeFacts(values, out);
        } else if (s.getFacts() != null) {
            out.writeByte(FACTS_JSON);
            Compact.writeString(s.getFacts(), out);
        } else {
            out.writeByte(NO_FACTS);
        }
        out.writeLong(s.getOffersExpireAt());
        out.writeLong(s.getLastOrderAt());
    }

    @Override
    public OfferState deserialize(DataInputView in) throws IOException {
        OfferState s = new OfferState();
        int n = in.readInt();
        List<AssignedEntry> assigned = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++)
            assigned.add(new AssignedEntry(Compact.readString(in), in.readLong()));
        s.setAssigned(assigned);
        n = in.readInt();
        List<OpenEntry> open = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            OpenEntry o = new OpenEntry();
            o.setOfferId(Compact.readString(in));
            o.setCampaignId(Compact.readString(in));
            o.setTreated(in.readBoolean());
            o.setCouponCode(Compact.readString(in));
            o.setDecidedAt(in.readLong());
            o.setWindowEnd(in.readLong());
            o.setConverted(in.readBoolean());
            open.add(o);
        }
        s.setOpen(open);
        n = in.readInt();
        List<PendingCart> pending = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++)
            pending.add(new PendingCart(Compact.readString(in), in.readLong()));
        s.setPendingCarts(pending);
        s.setCartItems(Compact.readStrings(in));
        s.setProductOnScreen(Compact.readString(in));
        byte facts = in.readByte();
        switch (facts) {
            case NO_FACTS -> {}
            case FACT_VALUES -> s.setFactValues(OfferMomentSerializer.readFacts(in));
            case FACTS_JSON -> s.setFacts(Compact.readString(in));
            default -> throw new IOException("unknown form of facts " + facts);
        }
        s.setOffersExpireAt(in.readLong());
        s.setLastOrderAt(in.readLong());
        return s;
    }

    @Override
    public TypeSerializerSnapshot<OfferState> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Restores the serializer; state written by the POJO serializer of earlier versions is
     * compatible after migration.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<OfferState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<OfferState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<OfferState> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot<OfferState> pojo
                    && pojo.restoreSerializer().createInstance() instanceof OfferState) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }

    /** Makes Flink use this serializer for {@link OfferState} everywhere (state, handovers). */
    public static final class Factory extends TypeInfoFactory<OfferState> {
        @Override
        public TypeInformation<OfferState> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new CompactTypeInfo<>(OfferState.class, INSTANCE);
        }
    }
}
