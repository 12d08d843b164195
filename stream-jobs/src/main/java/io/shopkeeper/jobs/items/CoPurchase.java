package io.shopkeeper.jobs.items;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** "{@link #getItemId()} was bought together with {@link #getPartner()} at {@link #getAt()}". */
public class CoPurchase {
    /**
     * Orders with more lines than this contribute their first lines only (bounds the pairs per
     * order).
     */
    public static final int MAX_LINES = 10;

    private String itemId;
    private String partner;
    private long at;

    public CoPurchase() {}

    public CoPurchase(String itemId, String partner, long at) {
        this.itemId = itemId;
        this.partner = partner;
        this.at = at;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getPartner() {
        return partner;
    }

    public void setPartner(String partner) {
        this.partner = partner;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    /** Every ordered pair of distinct items of a placed order. */
    public static class FromOrders implements FlatMapFunction<ShopEvent, CoPurchase> {
        @Override
        public void flatMap(ShopEvent order, Collector<CoPurchase> out) {
            if (order.getType() != EventType.ORDER_PLACED) return;
            Set<String> items = new LinkedHashSet<>();
            for (OrderLine line : order.getLines()) {
                if (items.size() == MAX_LINES) break;
                items.add(line.getItemId());
            }
            for (String a : items) {
                for (String b : items) {
                    if (!a.equals(b)) out.collect(new CoPurchase(a, b, order.eventTimeMillis()));
                }
            }
        }
    }
}
