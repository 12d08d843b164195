package io.shopkeeper.jobs.identity;

import io.shopkeeper.jobs.types.ShopEventSerializer;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Identity stitching, keyed by anonymous id. A visitor is anonymous until an event carries both ids
 * (a login, an order); from then on:
 *
 * <ul>
 *   <li>the anonymous events seen before (the last {@link #MAX_PENDING}) are replayed into the
 *       customer's profile and the anonymous profile is retired ({@link
 *       VisitorEvent.Kind#MERGED_AWAY}), so nothing is counted twice: each event lives in exactly
 *       one profile;
 *   <li>every later event under the anonymous id alone is routed to the customer.
 * </ul>
 *
 * Two devices (two anonymous ids) linked to one customer end in one profile. The link is state, so
 * it survives restarts; a later login as another customer re-links the cookie for future events
 * (shared devices) without moving history again. A {@code customer_forgotten} tombstone carrying
 * the anonymous id clears everything at once; otherwise state expires with the anonymous TTL.
 *
 * <p>State per anonymous id: the linked customer, and the pending events in a ring of {@link
 * #MAX_PENDING} slots indexed by sequence number, so each event costs one small write however long
 * the anonymous history is. The events are written with {@link ShopEventSerializer} (Flink's POJO
 * serializer, reflective, was a seventh of this task's CPU, issue 11); rings that savepoints of
 * earlier versions hold in the POJO form are migrated on restore.
 *
 * <p>The link and the pending count of up to {@link #IDS_ON_HEAP} recent anonymous ids are mirrored
 * on the heap ({@link Known}), written through (the state stays the owner: every update and clear
 * changes both), read from the state when an id comes back and again once the mirror is {@link
 * #MIRROR_MAX_AGE} old (so the state's TTL decides as before, give or take that). An event of a
 * known id then reads nothing from RocksDB (those reads were about half of this task's RocksDB
 * time, in a profile of the pipeline benchmark).
 */
public class IdentityFunction extends KeyedProcessFunction<String, ShopEvent, VisitorEvent> {
    public static final int MAX_PENDING = 50;

    /** Anonymous ids whose link and pending count are mirrored on the heap per subtask. */
    static final int IDS_ON_HEAP = 10_000;

    /** A mirror older than this is read from the state again (the state's TTL may have struck). */
    static final long MIRROR_MAX_AGE = Duration.ofHours(1).toMillis();

    private final Duration ttl;
    private transient ValueState<String> linkedCustomer;
    private transient ValueState<Long> pendingCount;
    private transient MapState<Integer, ShopEvent> pendingRing;

    /** The mirrored anonymous ids, least recently used first. */
    private transient LinkedHashMap<String, Known> known;

    /** An anonymous id's link (null: none) and pending count as the state holds them. */
    private static final class Known {
        final long readAt;
        String linked;
        long count;

        Known(long readAt, String linked, long count) {
            this.readAt = readAt;
            this.linked = linked;
            this.count = count;
        }
    }

    public IdentityFunction(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig stateTtl = StateTtl.afterLastWrite(ttl);
        ValueStateDescriptor<String> link =
                new ValueStateDescriptor<>("linked-customer", Types.STRING);
        link.enableTimeToLive(stateTtl);
        ValueStateDescriptor<Long> count = new ValueStateDescriptor<>("pending-count", Types.LONG);
        count.enableTimeToLive(stateTtl);
        MapStateDescriptor<Integer, ShopEvent> ring =
                new MapStateDescriptor<>("pending-events", Types.INT, ShopEventSerializer.TYPE);
        ring.enableTimeToLive(stateTtl);
        linkedCustomer = getRuntimeContext().getState(link);
        pendingCount = getRuntimeContext().getState(count);
        pendingRing = getRuntimeContext().getMapState(ring);
        known =
                new LinkedHashMap<>(1024, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                        return size() > IDS_ON_HEAP;
                    }
                };
    }

    /** The anonymous id's link and pending count: mirrored, else read from the state. */
    private Known known(String anonymousId, long now) throws Exception {
        Known k = known.get(anonymousId);
        if (k != null && now - k.readAt < MIRROR_MAX_AGE) return k;
        Long count = pendingCount.value();
        k = new Known(now, linkedCustomer.value(), count == null ? 0 : count);
        known.put(anonymousId, k);
        return k;
    }

    @Override
    public void processElement(ShopEvent event, Context ctx, Collector<VisitorEvent> out)
            throws Exception {
        String anonymousId = ctx.getCurrentKey();
        if (event.getType() == EventType.CUSTOMER_FORGOTTEN) {
            linkedCustomer.clear();
            clearPending();
            known.remove(anonymousId);
            out.collect(
                    VisitorEvent.live(
                            event.getCustomerId() != null ? event.getCustomerId() : anonymousId,
                            event));
            return;
        }
        Known k = known(anonymousId, ctx.timerService().currentProcessingTime());
        String linked = k.linked;
        String customerId = event.getCustomerId();
        if (customerId != null) {
            if (!customerId.equals(linked)) {
                linkedCustomer.update(customerId);
                k.linked = customerId;
                if (linked == null) {
                    replayPending(customerId, k.count, out);
                    k.count = 0;
                    out.collect(VisitorEvent.mergedAway(anonymousId, customerId, event));
                }
            }
            out.collect(VisitorEvent.live(customerId, event));
        } else if (linked != null) {
            event.setCustomerId(linked);
            out.collect(VisitorEvent.live(linked, event));
        } else {
            long count = k.count;
            pendingRing.put((int) (count % MAX_PENDING), event);
            pendingCount.update(count + 1);
            k.count = count + 1;
            out.collect(VisitorEvent.live(anonymousId, event));
        }
    }

    /** The {@code count} pending events, oldest first, moved into the customer's profile. */
    private void replayPending(String customerId, long count, Collector<VisitorEvent> out)
            throws Exception {
        if (count == 0) return;
        for (long seq = Math.max(0, count - MAX_PENDING); seq < count; seq++) {
            ShopEvent earlier = pendingRing.get((int) (seq % MAX_PENDING));
            if (earlier == null) continue;
            earlier.setCustomerId(customerId);
            out.collect(VisitorEvent.replay(customerId, earlier));
        }
        clearPending();
    }

    private void clearPending() {
        pendingRing.clear();
        pendingCount.clear();
    }
}
