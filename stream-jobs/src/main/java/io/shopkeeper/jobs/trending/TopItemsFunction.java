package io.shopkeeper.jobs.trending;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Collects the window totals of one group (a category, or everything) and, once event time passes
 * the window's end, publishes the group's top items as a trending list.
 *
 * <p>A total can reach this step after its window is due here: the upstream subtask that sends it
 * was idle while the others moved this step's watermark on, and fires its windows only when the
 * watermark reaches it too. Such a total is merged into the group's list of that window and the
 * list published again at once (no later watermark may come to fire a timer); a total of a window
 * older than the newest list published is dropped, as that list is what the store sees now.
 *
 * <p>State: per pending window end, at most {@code size} best items in order (score descending,
 * then item id), cleared when the window is published; the newest list published (its window end
 * and items). A total that cannot enter a full list leaves it unwritten.
 */
public class TopItemsFunction extends KeyedProcessFunction<String, ItemInteraction, RedisWrite> {
    /** The group key of the store-wide list. */
    public static final String ALL = "all";

    private final int size;
    private final KeyFor keyFor;
    private transient MapState<Long, List<ScoredItem>> pending;
    private transient ValueState<Long> publishedEnd;
    private transient ValueState<List<ScoredItem>> publishedItems;

    /**
     * The last item of each full pending list of this subtask, kept beside the state (which only
     * this function changes): a total ranking after it is dropped without reading the list. Empty
     * after a restore, filled again as lists are read.
     */
    private transient Map<Pending, Last> lasts;

    /** The Redis key of a group's list (serializable, unlike a plain lambda type). */
    public interface KeyFor extends Function<String, String>, Serializable {}

    public TopItemsFunction(int size, KeyFor keyFor) {
        this.size = size;
        this.keyFor = keyFor;
    }

    @Override
    public void open(OpenContext openContext) {
        lasts = new HashMap<>();
        TypeInformation<List<ScoredItem>> items =
                TypeInformation.of(new TypeHint<List<ScoredItem>>() {});
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("pending-top-items", Types.LONG, items));
        publishedEnd =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("published-window-end", Types.LONG));
        publishedItems =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("published-top-items", items));
    }

    @Override
    public void processElement(ItemInteraction total, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        String group = ctx.getCurrentKey();
        long windowEnd = total.getWindowEnd();
        Long published = publishedEnd.value();
        if (published != null && windowEnd < published) return; // a newer list is out
        if (windowEnd <= ctx.timerService().currentWatermark()
                || (published != null && windowEnd == published)) {
            publishDue(group, windowEnd, total, published, out);
            return;
        }
        Last last = lasts.get(new Pending(group, windowEnd));
        if (last != null
                && ranksAfter(total.getWeight(), total.getItemId(), last.score, last.itemId)) {
            return; // a full list it cannot enter: unchanged
        }
        List<ScoredItem> top = pending.get(windowEnd);
        if (top == null) {
            top = new ArrayList<>(size + 1);
            ctx.timerService().registerEventTimeTimer(windowEnd);
        }
        // The list is kept in order (score descending, then item id): the first place whose
        // item ranks after the new one.
        if (!insert(top, group, total)) {
            remember(group, windowEnd, top);
            return;
        }
        pending.put(windowEnd, top);
        remember(group, windowEnd, top);
    }

    /**
     * A total of a window already due here (see the class comment): merged into that window's list
     * (the one published, or still pending when a restore left its timer behind) and published.
     */
    private void publishDue(
            String group,
            long windowEnd,
            ItemInteraction total,
            Long published,
            Collector<RedisWrite> out)
            throws Exception {
        boolean republish = published != null && published == windowEnd;
        List<ScoredItem> top = republish ? publishedItems.value() : null;
        if (top == null) {
            top = pending.get(windowEnd);
            if (top != null) {
                pending.remove(windowEnd);
                lasts.remove(new Pending(group, windowEnd));
            } else {
                top = new ArrayList<>(size + 1);
            }
        }
        if (!insert(top, group, total) && republish) return; // the list out holds better items
        publish(group, windowEnd, top, out);
    }

    /**
     * Puts the total in its place in {@code top} (kept at {@code size}); false when it ranks last.
     */
    private boolean insert(List<ScoredItem> top, String group, ItemInteraction total) {
        // The list is kept in order (score descending, then item id): the first place whose
        // item ranks after the new one.
        int lo = 0;
        int hi = top.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            ScoredItem at = top.get(mid);
            if (ranksAfter(at.getScore(), at.getItemId(), total.getWeight(), total.getItemId())) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (lo >= size) return false;
        top.add(
                lo,
                new ScoredItem(
                        total.getItemId(),
                        total.getWeight(),
                        ALL.equals(group) ? "trending" : "trending_in:" + group));
        if (top.size() > size) top.remove(top.size() - 1);
        return true;
    }

    private void publish(
            String group, long windowEnd, List<ScoredItem> top, Collector<RedisWrite> out)
            throws Exception {
        publishedEnd.update(windowEnd);
        publishedItems.update(top);
        out.collect(
                RedisWrite.list(
                        keyFor.apply(group),
                        new RecommendationList(group, "trending", windowEnd, top)));
    }

    /** Whether (score, itemId) comes after (otherScore, otherItemId) in a list. */
    private static boolean ranksAfter(
            double score, String itemId, double otherScore, String otherItemId) {
        int byScore = Double.compare(otherScore, score);
        return byScore != 0 ? byScore > 0 : itemId.compareTo(otherItemId) > 0;
    }

    private void remember(String group, long windowEnd, List<ScoredItem> top) {
        if (top.size() < size) return;
        ScoredItem last = top.get(top.size() - 1);
        lasts.put(new Pending(group, windowEnd), new Last(last.getScore(), last.getItemId()));
    }

    /** A group's pending window. */
    private record Pending(String group, long windowEnd) {}

    /** The last item of a pending window's full list, as its state holds it. */
    private record Last(double score, String itemId) {}

    @Override
    public void onTimer(long windowEnd, OnTimerContext ctx, Collector<RedisWrite> out)
            throws Exception {
        List<ScoredItem> top = pending.get(windowEnd);
        pending.remove(windowEnd);
        lasts.remove(new Pending(ctx.getCurrentKey(), windowEnd));
        if (top == null || top.isEmpty()) return;
        Long published = publishedEnd.value();
        if (published != null && published >= windowEnd) return; // a newer list is out
        publish(ctx.getCurrentKey(), windowEnd, top, out);
    }
}
