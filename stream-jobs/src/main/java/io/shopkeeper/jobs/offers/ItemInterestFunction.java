package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The item -> interested visitors index for {@code price_drop} and {@code back_in_stock}, keyed by
 * item: who viewed or carted the item lately (the latest {@link #MAX_VISITORS}, none older than
 * {@code window}), and the item's last known price and stock. When a catalog update lowers the
 * price or brings the item back in stock, every interested visitor gets an {@link OfferMoment} of
 * kind {@code ITEM}, oldest interest first; the decision operator checks each campaign's {@code
 * within} and {@code minDropPercent}. Nothing is recorded while no live campaign has either
 * trigger.
 *
 * <p>State per item: one map entry per interested visitor ({@code visitor -> latest interest},
 * event time), so a view writes one small entry however many visitors the item has, and the item's
 * facts ({@link ItemFacts}: price, stock, entries written). The map may grow to {@link #COMPACT_AT}
 * entries before it is cut back to the {@link #MAX_VISITORS} most recent inside the window (one
 * pass every {@code COMPACT_AT - MAX_VISITORS} views at most); a price drop reads it once and
 * reaches only those. The index of earlier versions (one value holding every visitor, rewritten on
 * each view) is moved into this form the first time its item is touched after a restore.
 */
public class ItemInterestFunction
        extends KeyedBroadcastProcessFunction<String, ItemSignal, String, OfferMoment> {
    /** Most interested visitors a price drop or restock reaches per item (the most recent). */
    public static final int MAX_VISITORS = 500;

    /** Most entries kept per item before the map is cut back to {@link #MAX_VISITORS}. */
    static final int COMPACT_AT = 2 * MAX_VISITORS;

    /** Name of the index of earlier versions, read once per item and cleared. */
    static final String LEGACY_STATE = "item-interest";

    private final Duration window;
    private final Duration ttl;
    private transient MapState<String, Long> visitors;
    private transient ValueState<ItemFacts> facts;
    private transient ValueState<ItemInterest> legacy;
    private transient CampaignBook book;

    public ItemInterestFunction(Duration window, Duration ttl) {
        this.window = window;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig stateTtl = StateTtl.afterLastWrite(ttl);
        MapStateDescriptor<String, Long> visitorsDescriptor =
                new MapStateDescriptor<>("item-interested-visitors", Types.STRING, Types.LONG);
        visitorsDescriptor.enableTimeToLive(stateTtl);
        visitors = getRuntimeContext().getMapState(visitorsDescriptor);
        ValueStateDescriptor<ItemFacts> factsDescriptor =
                new ValueStateDescriptor<>("item-interest-facts", ItemFacts.SERIALIZER);
        factsDescriptor.enableTimeToLive(stateTtl);
        facts = getRuntimeContext().getState(factsDescriptor);
        ValueStateDescriptor<ItemInterest> legacyDescriptor =
                new ValueStateDescriptor<>(LEGACY_STATE, TypeInformation.of(ItemInterest.class));
        legacyDescriptor.enableTimeToLive(stateTtl);
        legacy = getRuntimeContext().getState(legacyDescriptor);
    }

    @Override
    public void processBroadcastElement(String json, Context ctx, Collector<OfferMoment> out)
            throws Exception {
        if (json != null
                && CampaignBook.store(ctx.getBroadcastState(CampaignBook.DEFINITIONS), json))
            book = null;
    }

    @Override
    public void processElement(ItemSignal signal, ReadOnlyContext ctx, Collector<OfferMoment> out)
            throws Exception {
        if (book == null)
            book =
                    CampaignBook.of(
                            ctx.getBroadcastState(CampaignBook.DEFINITIONS).immutableEntries());
        boolean drops = book.listens(TriggerType.PRICE_DROP);
        boolean restocks = book.listens(TriggerType.BACK_IN_STOCK);
        if (!drops && !restocks) return;
        ItemFacts item = facts.value();
        if (item == null) item = fromLegacy();
        long from = signal.getAt() - window.toMillis();
        if (!signal.isUpdate()) {
            visitors.put(signal.getVisitorId(), signal.getAt());
            item.entries++;
            if (item.entries > COMPACT_AT) item.entries = compact(from);
            if (signal.getPrice() != null && item.price == null) item.price = signal.getPrice();
        } else {
            Double before = item.price;
            Boolean wasInStock = item.inStock;
            if (signal.getPrice() != null) item.price = signal.getPrice();
            if (signal.getInStock() != null) item.inStock = signal.getInStock();
            String trigger = null;
            double drop = 0;
            if (drops
                    && before != null
                    && before > 0
                    && signal.getPrice() != null
                    && signal.getPrice() < before) {
                trigger = TriggerType.PRICE_DROP.wireName();
                drop = 100.0 * (before - signal.getPrice()) / before;
            } else if (restocks
                    && Boolean.FALSE.equals(wasInStock)
                    && Boolean.TRUE.equals(signal.getInStock())) {
                trigger = TriggerType.BACK_IN_STOCK.wireName();
            }
            if (trigger != null) {
                for (Interest i : recent(from)) {
                    out.collect(
                            OfferMoment.item(
                                    i.visitor(),
                                    trigger,
                                    signal.getItemId(),
                                    drop,
                                    i.at(),
                                    signal.getAt()));
                }
            }
        }
        facts.update(item);
    }

    /** One visitor's latest interest in the item. */
    private record Interest(String visitor, long at) {}

    /**
     * The {@link #MAX_VISITORS} most recent interests from {@code from} on, oldest first (equal
     * times by visitor id).
     */
    private List<Interest> recent(long from) throws Exception {
        List<Interest> recent = new ArrayList<>();
        for (Map.Entry<String, Long> e : visitors.entries()) {
            if (e.getValue() >= from) recent.add(new Interest(e.getKey(), e.getValue()));
        }
        recent.sort(Comparator.comparingLong(Interest::at).thenComparing(Interest::visitor));
        return recent.size() <= MAX_VISITORS
                ? recent
                : recent.subList(recent.size() - MAX_VISITORS, recent.size());
    }

    /**
     * Cuts the map back to the {@link #MAX_VISITORS} most recent interests from {@code from} on;
     * returns how many entries are left.
     */
    private int compact(long from) throws Exception {
        List<Interest> kept = recent(from);
        Set<String> keep = new HashSet<>(kept.size() * 2);
        for (Interest i : kept) keep.add(i.visitor());
        List<String> dropped = new ArrayList<>();
        for (String visitor : visitors.keys()) if (!keep.contains(visitor)) dropped.add(visitor);
        for (String visitor : dropped) visitors.remove(visitor);
        return kept.size();
    }

    /** The item's facts, with the earlier versions' index moved into the map when there is one. */
    private ItemFacts fromLegacy() throws Exception {
        ItemFacts item = new ItemFacts();
        ItemInterest old = legacy.value();
        if (old == null) return item;
        item.price = old.getPrice();
        item.inStock = old.getInStock();
        for (int i = 0; i < old.getVisitors().size(); i++)
            visitors.put(old.getVisitors().get(i), old.getAts().get(i));
        item.entries = old.getVisitors().size();
        legacy.clear();
        return item;
    }

    /**
     * An item's last known price and stock, and how many map entries were written since the last
     * cut (repeat visitors included, so it may count more than the map holds). Its own serializer:
     * read and written on every view.
     */
    public static final class ItemFacts {
        static final TypeSerializer<ItemFacts> SERIALIZER = new Serializer();

        Double price;
        Boolean inStock;
        int entries;

        /** price (flag, value), stock (-1 unknown, 0, 1), entries. */
        static final class Serializer extends CompactSerializer<ItemFacts> {
            @Override
            public ItemFacts createInstance() {
                return new ItemFacts();
            }

            @Override
            public void serialize(ItemFacts f, DataOutputView out) throws IOException {
                out.writeBoolean(f.price != null);
                if (f.price != null) out.writeDouble(f.price);
                out.writeByte(f.inStock == null ? -1 : f.inStock ? 1 : 0);
                out.writeInt(f.entries);
            }

            @Override
            public ItemFacts deserialize(DataInputView in) throws IOException {
                ItemFacts f = new ItemFacts();
                if (in.readBoolean()) f.price = in.readDouble();
                byte stock = in.readByte();
                f.inStock = stock < 0 ? null : stock == 1;
                f.entries = in.readInt();
                return f;
            }

            @Override
            public TypeSerializerSnapshot<ItemFacts> snapshotConfiguration() {
                return new Snapshot();
            }
        }

        /** Restores the serializer (no configuration). */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<ItemFacts> {
            public Snapshot() {
                super(() -> SERIALIZER);
            }
        }
    }

    /**
     * The index entry of earlier versions (one value per item: parallel lists, oldest interest
     * first), read only to move it into the map. A Flink POJO.
     */
    public static class ItemInterest {
        private List<String> visitors = new ArrayList<>();
        private List<Long> ats = new ArrayList<>();
        private Double price;
        private Boolean inStock;

        public ItemInterest() {}

        public List<String> getVisitors() {
            return visitors;
        }

        public void setVisitors(List<String> visitors) {
            this.visitors = visitors;
        }

        public List<Long> getAts() {
            return ats;
        }

        public void setAts(List<Long> ats) {
            this.ats = ats;
        }

        public Double getPrice() {
            return price;
        }

        public void setPrice(Double price) {
            this.price = price;
        }

        public Boolean getInStock() {
            return inStock;
        }

        public void setInStock(Boolean inStock) {
            this.inStock = inStock;
        }
    }
}
