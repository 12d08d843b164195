package io.shopkeeper.jobs.ingest;

import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeated events before anything counts them, so a client retrying a request (the API asks
 * for retries on 503) never counts twice. Keyed by visitor ({@link #KEY}), so a visitor's events
 * keep their order.
 *
 * <ul>
 *   <li>By {@code eventId}: an id seen within {@code window} (event time, from the later of the
 *       event's time and the watermark) is dropped. Ids are kept in keyed state until their window
 *       ends; expiry timers are rounded up to {@link #TIMER_GRANULARITY}, so a visitor has at most
 *       one timer per hour of window.
 *   <li>By {@code orderId}, for the order's lifetime: a second {@code order_placed} (or {@code
 *       order_cancelled}) of the same order is dropped whatever its eventId. Kept as long as the
 *       visitor's other state ({@code ttl}, processing time).
 * </ul>
 *
 * Catalog events pass untouched (they are whole-value updates, repeating one is harmless). A {@code
 * customer_forgotten} passes and clears the visitor's ids. Dropped events are counted in the
 * {@value #DUPLICATES_METRIC} metric, and each is done ({@link EventsDone}).
 */
public class DeduplicateEvents extends KeyedProcessFunction<String, ShopEvent, ShopEvent> {
    public static final String DUPLICATES_METRIC = "duplicateEventsDropped";

    /** Expiry timers are rounded up to this, bounding the timers per visitor. */
    static final long TIMER_GRANULARITY = Duration.ofHours(1).toMillis();

    /** Visitor events by visitor; catalog events by item (they pass without state). */
    public static final KeySelector<ShopEvent, String> KEY =
            e -> e.getType().isVisitorEvent() ? "v:" + e.visitorKey() : "i:" + e.getItemId();

    private static final int PLACED = 1;
    private static final int CANCELLED = 2;

    private final long windowMillis;
    private final Duration ttl;
    private transient MapState<String, Long> seenUntil;
    private transient MapState<String, Integer> orders;
    private transient Counter duplicates;

    /**
     * @param window how long an eventId is remembered (event time)
     * @param ttl safety net for the order ids of visitors untouched this long (processing time)
     */
    public DeduplicateEvents(Duration window, Duration ttl) {
        this.windowMillis = window.toMillis();
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig stateTtl = StateTtl.afterLastWrite(ttl);
        MapStateDescriptor<String, Long> ids =
                new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.LONG);
        ids.enableTimeToLive(stateTtl);
        MapStateDescriptor<String, Integer> orderIds =
                new MapStateDescriptor<>("seen-order-ids", Types.STRING, Types.INT);
        orderIds.enableTimeToLive(stateTtl);
        seenUntil = getRuntimeContext().getMapState(ids);
        orders = getRuntimeContext().getMapState(orderIds);
        duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES_METRIC);
    }

    @Override
    public void processElement(ShopEvent event, Context ctx, Collector<ShopEvent> out)
            throws Exception {
        EventType type = event.getType();
        if (!type.isVisitorEvent()) {
            out.collect(event);
            return;
        }
        if (seenUntil.contains(event.getEventId()) || repeatsAnOrder(event)) {
            duplicates.inc();
            ctx.output(EventsDone.TAG, EventsDone.one());
            return;
        }
        if (type == EventType.CUSTOMER_FORGOTTEN) {
            seenUntil.clear();
            orders.clear();
            out.collect(event);
            return;
        }
        long from = Math.max(event.eventTimeMillis(), ctx.timerService().currentWatermark());
        long until = saturatedAdd(from, windowMillis);
        seenUntil.put(event.getEventId(), until);
        ctx.timerService().registerEventTimeTimer(roundUp(until));
        out.collect(event);
    }

    /** Records the order's step; true when this step of this order was already seen. */
    private boolean repeatsAnOrder(ShopEvent event) throws Exception {
        int step =
                switch (event.getType()) {
                    case ORDER_PLACED -> PLACED;
                    case ORDER_CANCELLED -> CANCELLED;
                    default -> 0;
                };
        if (step == 0 || event.getOrderId() == null) return false;
        Integer seen = orders.get(event.getOrderId());
        int steps = seen == null ? 0 : seen;
        if ((steps & step) != 0) return true;
        orders.put(event.getOrderId(), steps | step);
        return false;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ShopEvent> out)
            throws Exception {
        var expired = seenUntil.iterator();
        while (expired.hasNext()) {
            if (expired.next().getValue() <= timestamp) expired.remove();
        }
        if (seenUntil.isEmpty()) seenUntil.clear(); // drop the empty map itself
    }

    private static long roundUp(long time) {
        long rounded = saturatedAdd(time, TIMER_GRANULARITY - 1);
        return rounded - Math.floorMod(rounded, TIMER_GRANULARITY);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
