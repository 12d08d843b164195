package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.signals.SessionEvidence;
import io.shopkeeper.jobs.signals.SignalEvidence;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.WeightTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link CustomerProfile} (with its signal evidence and signal states) field by field, without
 * reflection: the profile is read from and written to RocksDB on every visitor event, and Flink's
 * POJO serializer (default nested objects built and overwritten, reflective field access, a null
 * flag and a boxed reader per element) was a quarter of the profile operator.
 *
 * <p>Savepoints: state written by the POJO serializer of earlier versions is migrated on restore
 * ({@link Snapshot#resolveSchemaCompatibility}: the backend reads every profile with the old
 * serializer and writes it with this one). A new field must be added at the end of its class's
 * block here and gets a new snapshot version, or the old state reads wrong; {@code
 * CustomerProfileSerializerTest} fails when a field of any of the four classes is not written.
 */
public final class CustomerProfileSerializer extends CompactSerializer<CustomerProfile> {
    public static final CustomerProfileSerializer INSTANCE = new CustomerProfileSerializer();

    @Override
    public CustomerProfile createInstance() {
        return new CustomerProfile();
    }

    @Override
    public void serialize(CustomerProfile p, DataOutputView out) throws IOException {
        Compact.writeString(p.getVisitorId(), out);
        Compact.writeString(p.getCustomerId(), out);
        Compact.writeStrings(p.getAnonymousIds(), out);
        out.writeLong(p.getFirstSeen());
        out.writeLong(p.getLastSeen());
        out.writeLong(p.getEvents());
        out.writeInt(p.getSessions());
        Compact.writeString(p.getCurrentSessionId(), out);
        Compact.writeStrings(p.getSessionItems(), out);
        Compact.writeStrings(p.getRecentViews(), out);
        Compact.writeStrings(p.getRecentCarts(), out);
        Compact.writeStrings(p.getPurchasedItems(), out);
        writeWeights(p.getCategoryAffinity(), out);
        writeWeights(p.getBrandAffinity(), out);
        out.writeLong(p.getAffinityAsOf());
        out.writeInt(p.getOrders());
        out.writeDouble(p.getSpend());
        out.writeLong(p.getLastOrderAt());
        writeInteger(p.getRecencyDays(), out);
        writeInteger(p.getRecencyScore(), out);
        writeInteger(p.getFrequencyScore(), out);
        writeInteger(p.getMonetaryScore(), out);
        out.writeDouble(p.getAverageOrderValue());
        out.writeDouble(p.getEstimatedLifetimeValue());
        out.writeDouble(p.getDiscountShare());
        out.writeDouble(p.getCouponShare());
        out.writeInt(p.getOrderLines());
        out.writeInt(p.getDiscountedLines());
        out.writeInt(p.getCouponOrders());
        out.writeDouble(p.getRepeatPurchaseRate());
        out.writeDouble(p.getTenureDays());
        Compact.writeString(p.getLifecycle(), out);
        out.writeLong(p.getLifecycleSince());
        out.writeLong(p.getWonBackAt());
        out.writeLong(p.getNextLifecycleCheck());
        out.writeInt(p.getCompletedSessions());
        out.writeLong(p.getCompletedSessionEvents());
        out.writeLong(p.getCompletedSessionProductViews());
        out.writeLong(p.getCompletedSessionMillis());
        out.writeInt(p.getBouncedSessions());
        out.writeLong(p.getSessionStartedAt());
        out.writeInt(p.getSessionEvents());
        out.writeInt(p.getSessionProductViews());
        writeEvidence(p.getEvidence(), out);
        writeSignal(p.getPriceSensitive(), out);
        writeSignal(p.getDrifting(), out);
        Compact.writeStrings(p.getSegments(), out);
        out.writeInt(p.getSegmentFactsFingerprint());
        Compact.writeStrings(p.getRecentEventIds(), out);
    }

    @Override
    public CustomerProfile deserialize(DataInputView in) throws IOException {
        CustomerProfile p = CustomerProfile.unfilled();
        p.setVisitorId(Compact.readString(in));
        p.setCustomerId(Compact.readString(in));
        p.setAnonymousIds(Compact.readStrings(in));
        p.setFirstSeen(in.readLong());
        p.setLastSeen(in.readLong());
        p.setEvents(in.readLong());
        p.setSessions(in.readInt());
        p.setCurrentSessionId(Compact.readString(in));
        p.setSessionItems(Compact.readStrings(in));
        p.setRecentViews(Compact.readStrings(in));
        p.setRecentCarts(Compact.readStrings(in));
        p.setPurchasedItems(Compact.readStrings(in));
        p.setCategoryAffinity(readWeights(in));
        p.setBrandAffinity(readWeights(in));
        p.setAffinityAsOf(in.readLong());
        p.setOrders(in.readInt());
        p.setSpend(in.readDouble());
        p.setLastOrderAt(in.readLong());
        p.setRecencyDays(readInteger(in));
        p.setRecencyScore(readInteger(in));
        p.setFrequencyScore(readInteger(in));
        p.setMonetaryScore(readInteger(in));
        p.setAverageOrderValue(in.readDouble());
        p.setEstimatedLifetimeValue(in.readDouble());
        p.setDiscountShare(in.readDouble());
        p.setCouponShare(in.readDouble());
        p.setOrderLines(in.readInt());
        p.setDiscountedLines(in.readInt());
        p.setCouponOrders(in.readInt());
        p.setRepeatPurchaseRate(in.readDouble());
        p.setTenureDays(in.readDouble());
        p.setLifecycle(Compact.readString(in));
        p.setLifecycleSince(in.readLong());
        p.setWonBackAt(in.readLong());
        p.setNextLifecycleCheck(in.readLong());
        p.setCompletedSessions(in.readInt());
        p.setCompletedSessionEvents(in.readLong());
        p.setCompletedSessionProductViews(in.readLong());
        p.setCompletedSessionMillis(in.readLong());
        p.setBouncedSessions(in.readInt());
        p.setSessionStartedAt(in.readLong());
        p.setSessionEvents(in.readInt());
        p.setSessionProductViews(in.readInt());
        p.setEvidence(readEvidence(in));
        p.setPriceSensitive(readSignal(in));
        p.setDrifting(readSignal(in));
        p.setSegments(Compact.readStrings(in));
        p.setSegmentFactsFingerprint(in.readInt());
        p.setRecentEventIds(Compact.readStrings(in));
        return p;
    }

    /**
     * A deep copy, field by field, equal to what a write and a read give ({@code
     * CustomerProfileSerializerTest}): a weight table is cloned, its entries in the order a read
     * gives them, so the copy iterates its maps exactly as a profile read from RocksDB would;
     * strings and boxed numbers are shared (immutable), a null collection becomes an empty one. The
     * profile operator copies its cached profile before every step.
     */
    @Override
    public CustomerProfile copy(CustomerProfile from) {
        if (from == null) return null;
        CustomerProfile p = CustomerProfile.unfilled();
        p.setVisitorId(from.getVisitorId());
        p.setCustomerId(from.getCustomerId());
        p.setAnonymousIds(copyList(from.getAnonymousIds()));
        p.setFirstSeen(from.getFirstSeen());
        p.setLastSeen(from.getLastSeen());
        p.setEvents(from.getEvents());
        p.setSessions(from.getSessions());
        p.setCurrentSessionId(from.getCurrentSessionId());
        p.setSessionItems(copyList(from.getSessionItems()));
        p.setRecentViews(copyList(from.getRecentViews()));
        p.setRecentCarts(copyList(from.getRecentCarts()));
        p.setPurchasedItems(copyList(from.getPurchasedItems()));
        p.setCategoryAffinity(copyWeights(from.getCategoryAffinity()));
        p.setBrandAffinity(copyWeights(from.getBrandAffinity()));
        p.setAffinityAsOf(from.getAffinityAsOf());
        p.setOrders(from.getOrders());
        p.setSpend(from.getSpend());
        p.setLastOrderAt(from.getLastOrderAt());
        p.setRecencyDays(from.getRecencyDays());
        p.setRecencyScore(from.getRecencyScore());
        p.setFrequencyScore(from.getFrequencyScore());
        p.setMonetaryScore(from.getMonetaryScore());
        p.setAverageOrderValue(from.getAverageOrderValue());
        p.setEstimatedLifetimeValue(from.getEstimatedLifetimeValue());
        p.setDiscountShare(from.getDiscountShare());
        p.setCouponShare(from.getCouponShare());
        p.setOrderLines(from.getOrderLines());
        p.setDiscountedLines(from.getDiscountedLines());
        p.setCouponOrders(from.getCouponOrders());
        p.setRepeatPurchaseRate(from.getRepeatPurchaseRate());
        p.setTenureDays(from.getTenureDays());
        p.setLifecycle(from.getLifecycle());
        p.setLifecycleSince(from.getLifecycleSince());
        p.setWonBackAt(from.getWonBackAt());
        p.setNextLifecycleCheck(from.getNextLifecycleCheck());
        p.setCompletedSessions(from.getCompletedSessions());
        p.setCompletedSessionEvents(from.getCompletedSessionEvents());
        p.setCompletedSessionProductViews(from.getCompletedSessionProductViews());
        p.setCompletedSessionMillis(from.getCompletedSessionMillis());
        p.setBouncedSessions(from.getBouncedSessions());
        p.setSessionStartedAt(from.getSessionStartedAt());
        p.setSessionEvents(from.getSessionEvents());
        p.setSessionProductViews(from.getSessionProductViews());
        p.setEvidence(copyEvidence(from.getEvidence()));
        p.setPriceSensitive(copySignal(from.getPriceSensitive()));
        p.setDrifting(copySignal(from.getDrifting()));
        p.setSegments(copyList(from.getSegments()));
        p.setSegmentFactsFingerprint(from.getSegmentFactsFingerprint());
        p.setRecentEventIds(copyList(from.getRecentEventIds()));
        return p;
    }

    private static SignalEvidence copyEvidence(SignalEvidence from) {
        if (from == null) return null;
        SignalEvidence e = SignalEvidence.unfilled();
        e.setOpen(from.isOpen());
        e.setLast(from.getLast());
        e.setSession(copySession(from.getSession()));
        e.setLtAsOf(from.getLtAsOf());
        e.setHabits(copyWeights(from.getHabits()));
        e.setOrderLines(from.getOrderLines());
        e.setDiscountedLines(from.getDiscountedLines());
        e.setOrders(from.getOrders());
        e.setCouponOrders(from.getCouponOrders());
        e.setFullPaid(from.getFullPaid());
        e.setSeen(copyWeights(from.getSeen()));
        e.setBand(from.getBand());
        e.setBandN(from.getBandN());
        e.setItems(copyList(from.getItems()));
        e.setPrices(copyList(from.getPrices()));
        e.setRecent(copyWeights(from.getRecent()));
        e.setStAsOf(from.getStAsOf());
        e.setObs(from.getObs());
        e.setBase(copyWeights(from.getBase()));
        e.setBaseAt(from.getBaseAt());
        e.setDrift(from.getDrift());
        e.setDriftAvg(from.getDriftAvg());
        return e;
    }

    private static SessionEvidence copySession(SessionEvidence from) {
        if (from == null) return null;
        SessionEvidence s = SessionEvidence.unfilled();
        s.setLastView(from.isLastView());
        s.setLastFull(from.isLastFull());
        s.setViews(from.getViews());
        s.setDwells(from.getDwells());
        s.setQuick(from.getQuick());
        s.setQuickFull(from.getQuickFull());
        s.setCarts(from.getCarts());
        s.setCartPage(from.isCartPage());
        s.setCheckout(from.isCheckout());
        s.setOrdered(from.isOrdered());
        s.setCats(copyList(from.getCats()));
        s.setRun(from.getRun());
        s.setRunViews(from.getRunViews());
        s.setRunMin(from.getRunMin());
        s.setRunMax(from.getRunMax());
        s.setRunQuick(from.getRunQuick());
        s.setBestRun(from.getBestRun());
        s.setSorts(from.getSorts());
        s.setDealSearches(from.getDealSearches());
        s.setNoResults(from.getNoResults());
        s.setUnclicked(from.getUnclicked());
        s.setPending(from.isPending());
        s.setRemoves(from.getRemoves());
        s.setCouponUsed(from.isCouponUsed());
        s.setDrops(from.getDrops());
        s.setNavs(from.getNavs());
        s.setLeft(from.isLeft());
        s.setOnTotal(from.isOnTotal());
        s.setLeftAtTotal(from.isLeftAtTotal());
        s.setExit(from.getExit());
        return s;
    }

    private static SignalState copySignal(SignalState from) {
        if (from == null) return null;
        return new SignalState(
                from.getScore(), from.isFlagged(), copyList(from.getReasons()), from.getOnSince());
    }

    private static <T> List<T> copyList(List<T> from) {
        return from == null ? new ArrayList<>() : new ArrayList<>(from);
    }

    /** A table's copy clones its arrays without reading a key (see {@link WeightTable#copy}). */
    private static Map<String, Double> copyWeights(Map<String, Double> from) {
        if (from instanceof WeightTable table) return table.copy();
        return from == null ? new WeightTable() : WeightTable.of(from); // set by a caller
    }

    private static void writeEvidence(SignalEvidence e, DataOutputView out) throws IOException {
        out.writeBoolean(e != null);
        if (e == null) return;
        out.writeBoolean(e.isOpen());
        out.writeLong(e.getLast());
        writeSession(e.getSession(), out);
        out.writeLong(e.getLtAsOf());
        writeWeights(e.getHabits(), out);
        out.writeDouble(e.getOrderLines());
        out.writeDouble(e.getDiscountedLines());
        out.writeDouble(e.getOrders());
        out.writeDouble(e.getCouponOrders());
        out.writeDouble(e.getFullPaid());
        writeWeights(e.getSeen(), out);
        out.writeDouble(e.getBand());
        out.writeInt(e.getBandN());
        Compact.writeStrings(e.getItems(), out);
        Compact.writeDoubles(e.getPrices(), out);
        writeWeights(e.getRecent(), out);
        out.writeLong(e.getStAsOf());
        out.writeInt(e.getObs());
        writeWeights(e.getBase(), out);
        out.writeLong(e.getBaseAt());
        out.writeDouble(e.getDrift());
        out.writeDouble(e.getDriftAvg());
    }

    private static SignalEvidence readEvidence(DataInputView in) throws IOException {
        if (!in.readBoolean()) return null;
        SignalEvidence e = SignalEvidence.unfilled();
        e.setOpen(in.readBoolean());
        e.setLast(in.readLong());
        e.setSession(readSession(in));
        e.setLtAsOf(in.readLong());
        e.setHabits(readWeights(in));
        e.setOrderLines(in.readDouble());
        e.setDiscountedLines(in.readDouble());
        e.setOrders(in.readDouble());
        e.setCouponOrders(in.readDouble());
        e.setFullPaid(in.readDouble());
        e.setSeen(readWeights(in));
        e.setBand(in.readDouble());
        e.setBandN(in.readInt());
        e.setItems(Compact.readStrings(in));
        e.setPrices(Compact.readDoubles(in));
        e.setRecent(readWeights(in));
        e.setStAsOf(in.readLong());
        e.setObs(in.readInt());
        e.setBase(readWeights(in));
        e.setBaseAt(in.readLong());
        e.setDrift(in.readDouble());
        e.setDriftAvg(in.readDouble());
        return e;
    }

    private static void writeSession(SessionEvidence s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s == null) return;
        out.writeBoolean(s.isLastView());
        out.writeBoolean(s.isLastFull());
        out.writeInt(s.getViews());
        out.writeInt(s.getDwells());
        out.writeInt(s.getQuick());
        out.writeInt(s.getQuickFull());
        out.writeInt(s.getCarts());
        out.writeBoolean(s.isCartPage());
        out.writeBoolean(s.isCheckout());
        out.writeBoolean(s.isOrdered());
        Compact.writeStrings(s.getCats(), out);
        Compact.writeString(s.getRun(), out);
        out.writeInt(s.getRunViews());
        out.writeDouble(s.getRunMin());
        out.writeDouble(s.getRunMax());
        out.writeInt(s.getRunQuick());
        out.writeInt(s.getBestRun());
        out.writeInt(s.getSorts());
        out.writeInt(s.getDealSearches());
        out.writeInt(s.getNoResults());
        out.writeInt(s.getUnclicked());
        out.writeBoolean(s.isPending());
        out.writeInt(s.getRemoves());
        out.writeBoolean(s.isCouponUsed());
        out.writeInt(s.getDrops());
        out.writeInt(s.getNavs());
        out.writeBoolean(s.isLeft());
        out.writeBoolean(s.isOnTotal());
        out.writeBoolean(s.isLeftAtTotal());
        out.writeDouble(s.getExit());
    }

    private static SessionEvidence readSession(DataInputView in) throws IOException {
        if (!in.readBoolean()) return null;
        SessionEvidence s = SessionEvidence.unfilled();
        s.setLastView(in.readBoolean());
        s.setLastFull(in.readBoolean());
        s.setViews(in.readInt());
        s.setDwells(in.readInt());
        s.setQuick(in.readInt());
        s.setQuickFull(in.readInt());
        s.setCarts(in.readInt());
        s.setCartPage(in.readBoolean());
        s.setCheckout(in.readBoolean());
        s.setOrdered(in.readBoolean());
        s.setCats(Compact.readStrings(in));
        s.setRun(Compact.readString(in));
        s.setRunViews(in.readInt());
        s.setRunMin(in.readDouble());
        s.setRunMax(in.readDouble());
        s.setRunQuick(in.readInt());
        s.setBestRun(in.readInt());
        s.setSorts(in.readInt());
        s.setDealSearches(in.readInt());
        s.setNoResults(in.readInt());
        s.setUnclicked(in.readInt());
        s.setPending(in.readBoolean());
        s.setRemoves(in.readInt());
        s.setCouponUsed(in.readBoolean());
        s.setDrops(in.readInt());
        s.setNavs(in.readInt());
        s.setLeft(in.readBoolean());
        s.setOnTotal(in.readBoolean());
        s.setLeftAtTotal(in.readBoolean());
        s.setExit(in.readDouble());
        return s;
    }

    private static void writeSignal(SignalState s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s == null) return;
        out.writeDouble(s.getScore());
        out.writeBoolean(s.isFlagged());
        Compact.writeStrings(s.getReasons(), out);
        out.writeLong(s.getOnSince());
    }

    private static SignalState readSignal(DataInputView in) throws IOException {
        if (!in.readBoolean()) return null;
        return new SignalState(
                in.readDouble(), in.readBoolean(), Compact.readStrings(in), in.readLong());
    }

    /** A map of weights; a null map reads back as an empty one (the profile never holds null). */
    private static void writeWeights(Map<String, Double> weights, DataOutputView out)
            throws IOException {
        int n = weights == null ? 0 : weights.size();
        out.writeInt(n);
        if (n == 0) return;
        if (weights instanceof WeightTable table) {
            for (int i = 0; i < n; i++) {
                Compact.writeString(table.keyAt(i), out);
                out.writeDouble(table.weightAt(i));
            }
            return;
        }
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            Compact.writeString(e.getKey(), out);
            out.writeDouble(e.getValue());
        }
    }

    private static Map<String, Double> readWeights(DataInputView in) throws IOException {
        int n = in.readInt();
        WeightTable weights = new WeightTable(n);
        for (int i = 0; i < n; i++) weights.set(Compact.readString(in), in.readDouble());
        return weights;
    }

    private static void writeInteger(Integer value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) out.writeInt(value);
    }

    private static Integer readInteger(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readInt() : null;
    }

    @Override
    public TypeSerializerSnapshot<CustomerProfile> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Restores the serializer; state written by the POJO serializer of earlier versions is
     * compatible after migration.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CustomerProfile> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<CustomerProfile> resolveSchemaCompatibility(
                TypeSerializerSnapshot<CustomerProfile> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot<CustomerProfile> pojo
                    && pojo.restoreSerializer().createInstance() instanceof CustomerProfile) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}
