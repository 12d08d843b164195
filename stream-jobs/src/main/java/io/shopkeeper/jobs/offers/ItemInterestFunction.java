package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The item -> interested visitors index for {@code price_drop} and {@code back_in_stock}, keyed by
 * item: who viewed or carted the item lately (the latest {@link #MAX_VISITORS}, none older than
 * {@code window}), and the item's last known price and stock. When a catalog update lowers the
 * price or brings the item back in stock, every interested visitor gets an {@link OfferMoment} of
 * kind {@code ITEM}; the decision operator checks each campaign's {@code within} and {@code
 * minDropPercent}. Nothing is recorded while no live campaign has either trigger.
 */
public class ItemInterestFunction
        extends KeyedBroadcastProcessFunction<String, ItemSignal, String, OfferMoment> {
    /** Most interested visitors kept per item (the most recent). */
    public static final int MAX_VISITORS = 500;

    private final Duration window;
    private final Duration ttl;
    private transient ValueState<ItemInterest> state;
    private transient CampaignBook book;

    public ItemInterestFunction(Duration window, Duration ttl) {
        this.window = window;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<ItemInterest> descriptor =
                new ValueStateDescriptor<>("item-interest", TypeInformation.of(ItemInterest.class));
        descriptor.enableTimeToLive(StateTtl.afterLastWrite(ttl));
        state = getRuntimeContext().getState(descriptor);
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
        ItemInterest item = state.value();
        if (item == null) item = new ItemInterest();
        long from = signal.getAt() - window.toMillis();
        int old = 0;
        while (old < item.getAts().size() && item.getAts().get(old) < from) old++;
        if (old > 0) {
            item.getVisitors().subList(0, old).clear();
            item.getAts().subList(0, old).clear();
        }
        if (!signal.isUpdate()) {
            // Oldest first: the visitor moves to the end.
            int i = item.getVisitors().indexOf(signal.getVisitorId());
            if (i >= 0) {
                item.getVisitors().remove(i);
                item.getAts().remove(i);
            }
            item.getVisitors().add(signal.getVisitorId());
            item.getAts().add(signal.getAt());
            if (item.getVisitors().size() > MAX_VISITORS) {
                item.getVisitors().remove(0);
                item.getAts().remove(0);
            }
            if (signal.getPrice() != null && item.getPrice() == null)
                item.setPrice(signal.getPrice());
        } else {
            Double before = item.getPrice();
            Boolean wasInStock = item.getInStock();
            if (signal.getPrice() != null) item.setPrice(signal.getPrice());
            if (signal.getInStock() != null) item.setInStock(signal.getInStock());
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
                for (int i = 0; i < item.getVisitors().size(); i++) {
                    out.collect(
                            OfferMoment.item(
                                    item.getVisitors().get(i),
                                    trigger,
                                    signal.getItemId(),
                                    drop,
                                    item.getAts().get(i),
                                    signal.getAt()));
                }
            }
        }
        state.update(item);
    }

    /** One item's index entry: parallel lists, oldest interest first. A Flink POJO. */
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
