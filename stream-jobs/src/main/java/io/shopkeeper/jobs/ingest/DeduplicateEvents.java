package io.shopkeeper.jobs.ingest;

import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
 *
 * <p>The ids of up to {@link #VISITORS_ON_HEAP} recent visitors (each with at most {@link
 * #IDS_ON_HEAP} ids) are mirrored on the heap, written through: the state stays the owner, every
 * put, expiry and clear changes both, and a visitor's ids are read from the state once (one scan)
 * when they come back. A new event id, the common case, is then known to be new without a RocksDB
 * lookup (that miss, a skip-list search and a bloom check per level-0 file, was half of this task's
 * CPU, in a profile of the pipeline benchmark). A visitor with more ids than that is read from the
 * state as before.
 */
public class DeduplicateEvents extends KeyedProcessFunction<String, ShopEvent, ShopEvent> {
    public static final String DUPLICATES_METRIC = "duplicateEventsDropped";

    /** Visitors whose ids are mirrored on the heap per subtask. */
    static final int VISITORS_ON_HEAP = 10_000;

    /**
     * A visitor with more ids than this within the window is not mirrored (read from the state).
     */
    static final int IDS_ON_HEAP = 64;

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
     * The mirrored visitors, least recently used first: each one's ids with the end of their window
     * (as in the state), or {@link #TOO_MANY} for a visitor read from the state.
     */
    private transient LinkedHashMap<String, Map<String, Long>> idsOnHeap;

    /** The mark of a visitor with more than {@link #IDS_ON_HEAP} ids: not mirrored. */
    private static final Map<String, Long> TOO_MANY = Map.of();

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
        idsOnHeap =
                new LinkedHashMap<>(1024, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Map<String, Long>> e) {
                        return size() > VISITORS_ON_HEAP;
                    }
                };
    }

    @Override
    public void processElement(ShopEvent event, Context ctx, Collector<ShopEvent> out)
            throws Exception {
        EventType type = event.getType();
        if (!type.isVisitorEvent()) {
            out.collect(event);
            return;
        }
        String visitor = ctx.getCurrentKey();
        Map<String, Long> mirrored = mirrored(visitor);
        boolean seen =
                mirrored == TOO_MANY
                        ? seenUntil.contains(event.getEventId())
                        : mirrored.containsKey(event.getEventId());
        if (seen || repeatsAnOrder(event)) {
            duplicates.inc();
            ctx.output(EventsDone.TAG, EventsDone.one());
            return;
        }
        if (type == EventType.CUSTOMER_FORGOTTEN) {
            seenUntil.clear();
            orders.clear();
            idsOnHeap.remove(visitor);
            out.collect(event);
            return;
        }
        long from = Math.max(event.eventTimeMillis(), ctx.timerService().currentWatermark());
        long until = saturatedAdd(from, windowMillis);
        seenUntil.put(event.getEventId(), until);
        if (mirrored != TOO_MANY) {
            mirrored.put(event.getEventId(), until);
            if (mirrored.size() > IDS_ON_HEAP) idsOnHeap.put(visitor, TOO_MANY);
        }
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
        Map<String, Long> mirrored = idsOnHeap.get(ctx.getCurrentKey());
        if (mirrored != null && mirrored != TOO_MANY)
            mirrored.values().removeIf(until -> until <= timestamp);
    }

    /**
     * The visitor's ids on the heap (read from the state once, when not mirrored yet), or {@link
     * #TOO_MANY}.
     */
    private Map<String, Long> mirrored(String visitor) throws Exception {
        Map<String, Long> ids = idsOnHeap.get(visitor);
        if (ids != null) return ids;
        ids = new HashMap<>();
        for (Map.Entry<String, Long> id : seenUntil.entries()) {
            ids.put(id.getKey(), id.getValue());
            if (ids.size() > IDS_ON_HEAP) {
                ids = TOO_MANY;
                break;
            }
        }
        idsOnHeap.put(visitor, ids);
        return ids;
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
