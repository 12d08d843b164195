package io.shopkeeper.jobs.trending;

import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Interest in one item from one event, weighted (view 1, cart 3, bought unit 5), or, after window
 * aggregation, the item's total in one window ending at {@link #getWindowEnd()}.
 */
public class ItemInteraction {
    public static final String UNKNOWN_CATEGORY = "unknown";

    private String itemId;
    private String categoryId;
    private double weight;
    private long windowEnd;

    public ItemInteraction() {}

    public ItemInteraction(String itemId, String categoryId, double weight) {
        this.itemId = itemId;
        this.categoryId = categoryId == null ? UNKNOWN_CATEGORY : categoryId;
        this.weight = weight;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getCategoryId() {
        return categoryId;
    }

    public void setCategoryId(String categoryId) {
        this.categoryId = categoryId;
    }

    public double getWeight() {
        return weight;
    }

    public void setWeight(double weight) {
        this.weight = weight;
    }

    public long getWindowEnd() {
        return windowEnd;
    }

    public void setWindowEnd(long windowEnd) {
        this.windowEnd = windowEnd;
    }

    /** Extracts the interactions an event carries; most event types carry none. */
    public static class Extract implements FlatMapFunction<ShopEvent, ItemInteraction> {
        @Override
        public void flatMap(ShopEvent e, Collector<ItemInteraction> out) {
            switch (e.getType()) {
                case PRODUCT_VIEW ->
                        out.collect(new ItemInteraction(e.getItemId(), e.getCategoryId(), 1));
                case ADD_TO_CART ->
                        out.collect(new ItemInteraction(e.getItemId(), e.getCategoryId(), 3));
                case ORDER_PLACED -> {
                    for (OrderLine line : e.getLines()) {
                        out.collect(
                                new ItemInteraction(
                                        line.getItemId(),
                                        line.getCategoryId(),
                                        5.0 * line.getQuantity()));
                    }
                }
                default -> {}
            }
        }
    }
}
