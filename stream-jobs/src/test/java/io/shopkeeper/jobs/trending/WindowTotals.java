package io.shopkeeper.jobs.trending;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The sliding windows' functions of the job before {@link PaneTotalsFunction} (the reference its
 * harness test compares with): sums an item's interaction weights in a window, incrementally.
 */
public final class WindowTotals {
    private WindowTotals() {}

    /** The accumulator is the running total; the first interaction supplies the category. */
    public static class Sum
            implements AggregateFunction<ItemInteraction, ItemInteraction, ItemInteraction> {
        @Override
        public ItemInteraction createAccumulator() {
            return new ItemInteraction();
        }

        @Override
        public ItemInteraction add(ItemInteraction value, ItemInteraction acc) {
            if (acc.getItemId() == null) {
                acc.setItemId(value.getItemId());
                acc.setCategoryId(value.getCategoryId());
            }
            acc.setWeight(acc.getWeight() + value.getWeight());
            return acc;
        }

        @Override
        public ItemInteraction getResult(ItemInteraction acc) {
            return acc;
        }

        @Override
        public ItemInteraction merge(ItemInteraction a, ItemInteraction b) {
            a.setWeight(a.getWeight() + b.getWeight());
            return a;
        }
    }

    /** Stamps the total with the end of its window, which the top-N step groups by. */
    public static class StampWindowEnd
            extends ProcessWindowFunction<ItemInteraction, ItemInteraction, String, TimeWindow> {
        @Override
        public void process(
                String itemId,
                Context ctx,
                Iterable<ItemInteraction> totals,
                Collector<ItemInteraction> out) {
            for (ItemInteraction total : totals) {
                total.setWindowEnd(ctx.window().getEnd());
                out.collect(total);
            }
        }
    }
}
