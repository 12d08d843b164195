package io.shopkeeper.jobs.rfm;

import io.shopkeeper.jobs.sink.PublishAfterChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.RevenueConcentration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The store's live distribution of customer value (one key for the whole store), as histograms with
 * bounded buckets: spend on a log scale (10% steps), order counts (capped at 200), and the day of
 * the last order. Customers move between buckets as their value changes, so the distribution stays
 * exact per bucket without keeping any customer. Publishes quintile cut points at most once per
 * {@code publishInterval} of processing time after a change, numbered 1, 2, ... so the profiles can
 * rate-limit their full rescores per update ({@link RfmRescorePolicy}). With each publication, the
 * store's revenue concentration (the 20/80 view, {@link RevenueCurve}) goes to {@link
 * #REVENUE_CONCENTRATION} as a Redis write.
 */
public class StoreDistributionFunction
        extends KeyedProcessFunction<String, CustomerValueChange, RfmCutPoints> {
    public static final String STORE = "store";
    private static final double SPEND_STEP = Math.log(1.1);
    private static final int MAX_ORDERS_BUCKET = 200;
    private static final long DAY = Duration.ofDays(1).toMillis();

    /** Side output: the write of the store's {@link RevenueConcentration}. */
    public static final OutputTag<RedisWrite> REVENUE_CONCENTRATION =
            new OutputTag<>("revenue-concentration", TypeInformation.of(RedisWrite.class));

    private final Duration publishInterval;
    private transient MapState<Integer, Long> spendBuckets;
    private transient MapState<Integer, Long> orderBuckets;
    private transient MapState<Integer, Long> dayBuckets;
    private transient PublishAfterChange publication;
    private transient ValueState<Long> published;

    public StoreDistributionFunction(Duration publishInterval) {
        this.publishInterval = publishInterval;
    }

    @Override
    public void open(OpenContext openContext) {
        spendBuckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("spend-buckets", Types.INT, Types.LONG));
        orderBuckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("order-buckets", Types.INT, Types.LONG));
        dayBuckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "last-order-day-buckets", Types.INT, Types.LONG));
        publication =
                new PublishAfterChange(
                        publishInterval,
                        getRuntimeContext()
                                .getState(
                                        new ValueStateDescriptor<>(
                                                "publish-pending", Types.BOOLEAN)));
        published =
                getRuntimeContext().getState(new ValueStateDescriptor<>("published", Types.LONG));
    }

    @Override
    public void processElement(CustomerValueChange change, Context ctx, Collector<RfmCutPoints> out)
            throws Exception {
        if (change.getBefore() != null && change.getBefore().getOrders() > 0)
            move(change.getBefore(), -1);
        if (change.getAfter() != null && change.getAfter().getOrders() > 0)
            move(change.getAfter(), +1);
        publication.changed(ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RfmCutPoints> out)
            throws Exception {
        publication.published();
        RfmCutPoints cuts = new RfmCutPoints();
        long sequence = (published.value() == null ? 0 : published.value()) + 1;
        published.update(sequence);
        cuts.setSequence(sequence);
        TreeMap<Integer, Long> spend = sorted(spendBuckets);
        cuts.setCustomers(spend.values().stream().mapToLong(Long::longValue).sum());
        cuts.setMonetary(
                quintiles(
                        spend, cuts.getCustomers(), bucket -> Math.exp((bucket + 1) * SPEND_STEP)));
        cuts.setFrequency(
                quintiles(sorted(orderBuckets), cuts.getCustomers(), bucket -> (double) bucket));
        cuts.setLastOrderDay(
                quintiles(sorted(dayBuckets), cuts.getCustomers(), bucket -> (double) bucket));
        out.collect(cuts);
        ctx.output(
                REVENUE_CONCENTRATION,
                RedisWrite.text(
                        RedisKeys.REVENUE_CONCENTRATION,
                        EventCodec.encodeToString(
                                RevenueCurve.of(
                                        spend, StoreDistributionFunction::spendOf, timestamp))));
    }

    /** The representative spend of a customer in a spend bucket: the middle of its range. */
    static double spendOf(int bucket) {
        return Math.exp(bucket * SPEND_STEP) * (1 + Math.exp(SPEND_STEP)) / 2;
    }

    private void move(CustomerValue value, long delta) throws Exception {
        add(
                spendBuckets,
                (int) Math.floor(Math.log(Math.max(1.0, value.getSpend())) / SPEND_STEP),
                delta);
        add(orderBuckets, Math.min(value.getOrders(), MAX_ORDERS_BUCKET), delta);
        add(dayBuckets, (int) (value.getLastOrderAt() / DAY), delta);
    }

    private static void add(MapState<Integer, Long> buckets, int bucket, long delta)
            throws Exception {
        Long count = buckets.get(bucket);
        long next = (count == null ? 0 : count) + delta;
        if (next <= 0) buckets.remove(bucket);
        else buckets.put(bucket, next);
    }

    private static TreeMap<Integer, Long> sorted(MapState<Integer, Long> buckets) throws Exception {
        TreeMap<Integer, Long> sorted = new TreeMap<>();
        for (Map.Entry<Integer, Long> e : buckets.entries()) sorted.put(e.getKey(), e.getValue());
        return sorted;
    }

    /** The values at the 20/40/60/80th percentiles, read from cumulative bucket counts. */
    static List<Double> quintiles(
            TreeMap<Integer, Long> buckets,
            long total,
            java.util.function.IntFunction<Double> upperBound) {
        List<Double> cuts = new ArrayList<>(4);
        if (total == 0) return cuts;
        long seen = 0;
        int next = 1;
        for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
            seen += e.getValue();
            while (next <= 4 && seen * 5 >= total * next) {
                cuts.add(upperBound.apply(e.getKey()));
                next++;
            }
        }
        return cuts;
    }
}
