package io.shopkeeper.jobs.trending;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Collects the window totals of one group (a category, or everything) and, once event time passes
 * the window's end, publishes the group's top items as a trending list.
 *
 * <p>State: per pending window end, at most {@code size} best items; cleared when the window is
 * published.
 */
public class TopItemsFunction extends KeyedProcessFunction<String, ItemInteraction, RedisWrite> {
    /** The group key of the store-wide list. */
    public static final String ALL = "all";

    private final int size;
    private final KeyFor keyFor;
    private transient MapState<Long, List<ScoredItem>> pending;

    /** The Redis key of a group's list (serializable, unlike a plain lambda type). */
    public interface KeyFor extends Function<String, String>, Serializable {}

    public TopItemsFunction(int size, KeyFor keyFor) {
        this.size = size;
        this.keyFor = keyFor;
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending-top-items",
                                        Types.LONG,
                                        TypeInformation.of(new TypeHint<List<ScoredItem>>() {})));
    }

    @Override
    public void processElement(ItemInteraction total, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        List<ScoredItem> top = pending.get(total.getWindowEnd());
        if (top == null) {
            top = new ArrayList<>(size + 1);
            ctx.timerService().registerEventTimeTimer(total.getWindowEnd());
        }
        String group = ctx.getCurrentKey();
        top.add(
                new ScoredItem(
                        total.getItemId(),
                        total.getWeight(),
                        ALL.equals(group) ? "trending" : "trending_in:" + group));
        top.sort(
                Comparator.comparingDouble(ScoredItem::getScore)
                        .reversed()
                        .thenComparing(ScoredItem::getItemId));
        if (top.size() > size) top.remove(top.size() - 1);
        pending.put(total.getWindowEnd(), top);
    }

    @Override
    public void onTimer(long windowEnd, OnTimerContext ctx, Collector<RedisWrite> out)
            throws Exception {
        List<ScoredItem> top = pending.get(windowEnd);
        pending.remove(windowEnd);
        if (top == null || top.isEmpty()) return;
        out.collect(
                RedisWrite.list(
                        keyFor.apply(ctx.getCurrentKey()),
                        new RecommendationList(ctx.getCurrentKey(), "trending", windowEnd, top)));
    }
}
