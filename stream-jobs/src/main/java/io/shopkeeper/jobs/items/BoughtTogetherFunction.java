package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.sink.PublishAfterChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * "Frequently bought together", keyed by item: every order with several lines says each of its
 * items goes with the others. Keeps, per item, the time-decayed co-purchase counts of its best
 * partners (bounded) and publishes {@code sk:bought-together:{item}} at most once per {@code
 * publishInterval} of processing time after a change.
 */
public class BoughtTogetherFunction extends KeyedProcessFunction<String, CoPurchase, RedisWrite> {
    public static final String STRATEGY = "bought_together";
    static final int MAX_PARTNERS = 50;
    static final int PUBLISHED = 20;

    private final Duration ttl;
    private final long halfLifeMillis;
    private final Duration publishInterval;
    private transient ValueState<CoPurchaseCounts> countsState;
    private transient PublishAfterChange publication;

    public BoughtTogetherFunction(Duration ttl, Duration halfLife, Duration publishInterval) {
        this.ttl = ttl;
        this.halfLifeMillis = halfLife.toMillis();
        this.publishInterval = publishInterval;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig stateTtl = StateTtl.afterLastWrite(ttl);
        ValueStateDescriptor<CoPurchaseCounts> counts =
                new ValueStateDescriptor<>("co-purchase-counts", CoPurchaseCounts.class);
        counts.enableTimeToLive(stateTtl);
        ValueStateDescriptor<Boolean> pending =
                new ValueStateDescriptor<>("bought-together-publish-pending", Boolean.class);
        pending.enableTimeToLive(stateTtl);
        countsState = getRuntimeContext().getState(counts);
        publication =
                new PublishAfterChange(publishInterval, getRuntimeContext().getState(pending));
    }

    @Override
    public void processElement(CoPurchase pair, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        CoPurchaseCounts counts = countsState.value();
        if (counts == null) counts = new CoPurchaseCounts();
        counts.add(pair.getPartner(), pair.getAt(), halfLifeMillis, MAX_PARTNERS);
        countsState.update(counts);
        publication.changed(ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RedisWrite> out)
            throws Exception {
        publication.published();
        CoPurchaseCounts counts = countsState.value();
        if (counts == null) return;
        String itemId = ctx.getCurrentKey();
        List<Map.Entry<String, Double>> best =
                counts.getCounts().entrySet().stream()
                        .sorted(
                                Map.Entry.<String, Double>comparingByValue()
                                        .reversed()
                                        .thenComparing(Map.Entry.comparingByKey()))
                        .limit(PUBLISHED)
                        .toList();
        double top = best.isEmpty() ? 1 : best.get(0).getValue();
        List<ScoredItem> items = new ArrayList<>(best.size());
        for (Map.Entry<String, Double> e : best) {
            items.add(
                    ScoredItem.rounded(
                            e.getKey(), e.getValue() / top, "bought_together:" + itemId));
        }
        items.sort(
                Comparator.comparingDouble(ScoredItem::getScore)
                        .reversed()
                        .thenComparing(ScoredItem::getItemId));
        out.collect(
                RedisWrite.list(
                        RedisKeys.boughtTogether(itemId),
                        new RecommendationList(itemId, STRATEGY, counts.getAsOf(), items)));
    }
}
