package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.ordering.Backlog;
import io.shopkeeper.jobs.recommend.ItemNeighboursCodec;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.jobs.types.WriteBackCache;
import io.shopkeeper.jobs.types.WriteBackCoProcessOperator;
import io.shopkeeper.jobs.types.WritesBack;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;

/**
 * Recomputes a visitor's recommendation list (keyed by visitor) whenever a reply arrives with the
 * neighbours of the item they just saw, from the neighbours cached for the other session items, and
 * writes it to Redis (also under the anonymous ids stitched to the customer). Bought items are
 * excluded.
 *
 * <p>State: the neighbours last received per item of the current session, one map entry per item,
 * so a reply writes one entry and reads only the recent items the recommender uses; entries of
 * items that left the session are removed, and everything expires after {@code ttl}. Which items
 * the map holds is kept beside it ({@value #HELD_ITEMS_STATE}): listing the map's keys would read
 * every snapshot (its expiry is stored with the value), as many as the session has items, on every
 * reply. After restoring a savepoint of a version without that list, the entries held then are not
 * listed and wait for their expiry instead (they are read only while their item is in the session,
 * and a session item's entry is always its own latest reply). A forget instruction clears it,
 * deletes the lists, and leaves a tombstone (for {@code ttl}) so replies still in flight for older
 * events cannot write them again.
 *
 * <p>The snapshots are kept under {@value #NEIGHBOURS_STATE} as the bytes the item's model encoded
 * them to ({@link ItemNeighboursCodec}): a reply is stored without being decoded or encoded again,
 * and a ranking decodes of each cached snapshot only the parts it reads (either of the codec's
 * formats: a savepoint's snapshots of the first format rank as before). The maps of earlier
 * versions ({@code session-neighbours}, POJO; {@code session-neighbours-v2}, {@link
 * io.shopkeeper.jobs.recommend.ItemNeighboursSerializer}) are left unread after a restore, so a
 * visitor's current session starts again from the items they view next (their lists in Redis stay
 * until then).
 *
 * <p><b>Coalescing in a backlog.</b> Live (the watermark within {@code --ordering.backlog-lag} of
 * the wall clock, {@link Backlog}), every reply ranks and writes at once. In a backlog (a backfill,
 * a catch-up) the job runs many times faster than event time, so a visitor's next events arrive
 * within a second or two and each list would only overwrite the last in Redis. There a reply still
 * updates the snapshots as above, but its request becomes the visitor's pending ranking ({@value
 * #PENDING_STATE}, replacing the one pending, counted in {@code rankingsCoalesced}); the first
 * request of a window registers an event-time timer {@code coalesce} after its event time and a
 * processing-time {@code guard} from now, rounded up to a whole second (the watermark stalls when
 * the input stops, e.g. at the end of a replay). The first of the two to fire ranks the pending
 * request and clears it; a live reply or a forget clears it too (the live reply ranks itself). The
 * list written is the one ranking the last request right after its reply would have written: the
 * snapshots it reads are those the visitor's replies left, and nothing but the visitor's own
 * replies and forgets changes them. The cost is freshness in a backlog only: a visitor's list in
 * Redis trails their latest event by up to {@code coalesce} of event time or {@code guard} of
 * processing time, whichever comes first. In a replay many times faster than event time the guard
 * fires first, so it sets how often an active visitor is ranked.
 *
 * <p>The open windows' deadlines are also kept on the heap by visitor, so a reply of an open window
 * writes the state without reading it, and a timer that is not its window's current deadline
 * returns without reading state. Timers are never deleted: the other timer of a flushed window
 * fires later and finds no window (or a newer one) and returns. So a visitor has at most two
 * windows' timers at a time, and the heap timers and the map are bounded by the visitors active
 * within {@code coalesce} of event time or {@code guard}. After a restore the map is empty: for
 * {@link #RESTORED_PENDING_MILLIS} the pending state is read instead, until the restored guards
 * have fired.
 *
 * <p><b>State on the heap between checkpoints.</b> Run by a {@link WriteBackCoProcessOperator} (the
 * job does), the function keeps on the heap what a reply would otherwise read and write in RocksDB
 * every time, and writes it to the keyed state before every checkpoint barrier ({@link
 * WritesBack}), so a checkpoint holds exactly what the function holds: the visitors' held-items
 * lists (a {@link WriteBackCache} of {@code cacheSize} visitors), the open windows' pending
 * requests (written at the barrier only for the windows still open then), and the tombstones of
 * forgets since open (written at once, they are rare; a reply reads the state's tombstones only for
 * {@code ttl} after a restore, when some may predate the open). The snapshots the replies write are
 * also kept on the heap, written through, for up to {@value #SNAPSHOT_BYTES_PER_VISITOR} bytes per
 * visitor of {@code cacheSize} ({@link SessionSnapshots}): a ranking reads them there. A reply then
 * costs RocksDB the write of its snapshot (and the removal of items that left the session) instead
 * of four or five reads and writes, and a ranking nothing when its visitor's snapshots are on the
 * heap (RocksDB was 60% of the task's CPU before, in a profile of the pipeline benchmark). Without
 * that operator (a plain {@code process}) every state is written through, as before.
 */
public class RecommendationFunction
        extends KeyedCoProcessFunction<String, NeighboursReply, ForgetVisitor, RedisWrite>
        implements CheckpointedFunction, WritesBack {
    public static final String STRATEGY = "session";

    /** Name of the snapshot map (a new name when its serializer changes incompatibly). */
    static final String NEIGHBOURS_STATE = "session-neighbours-v3";

    /** Name of the list of items the snapshot map holds. */
    static final String HELD_ITEMS_STATE = "session-neighbour-items";

    /** Name of the visitor's request waiting to be ranked (backlog only). */
    static final String PENDING_STATE = "pending-ranking";

    /** {@code --recommendations.backlog-guard}'s default. */
    public static final Duration DEFAULT_GUARD = Duration.ofSeconds(20);

    /**
     * The longest guard: a restore cannot know the guard its pending rankings were set with, only
     * that it was at most this.
     */
    public static final Duration MAX_GUARD = Duration.ofMinutes(1);

    /**
     * After an open, how long (processing time) a reply assumes rankings restored from a checkpoint
     * may still be pending: their guard timers are due by then, give or take the clocks.
     */
    static final long RESTORED_PENDING_MILLIS = MAX_GUARD.toMillis() + 60_000;

    /** Visitors whose held-items list is kept on the heap per subtask, unless set otherwise. */
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    /**
     * Snapshot bytes kept on the heap per visitor of the cache size ({@link SessionSnapshots}): a
     * snapshot is some 0.5-1 KB, a session a few items.
     */
    static final int SNAPSHOT_BYTES_PER_VISITOR = 4096;

    /**
     * Forgets kept on the heap per subtask at most (about 100 bytes each); beyond, e.g. in a mass
     * erasure, replies read the state's tombstones for a while ({@link
     * #tombstonesOnlyInStateUntil}).
     */
    static final int TOMBSTONES_ON_HEAP = 100_000;

    private final SessionRecommender recommender;
    private final int listSize;
    private final Duration ttl;
    private final long backlogLagMillis;
    private final long coalesceMillis;
    private final long guardMillis;
    private transient MapState<String, byte[]> neighboursByItem;

    /** The snapshots last written for the visitors' session items, in front of the map state. */
    private transient SessionSnapshots snapshotsOnHeap;

    private transient ValueState<Long> forgottenAtState;
    private transient WriteBackCache<String, List<String>> heldItems;
    private int cacheSize = DEFAULT_CACHE_SIZE;
    private transient KeyContext keys;

    /**
     * The forgets seen since open, by visitor, oldest first; each dropped once {@code ttl} old (as
     * its state expires), or beyond {@link #TOMBSTONES_ON_HEAP}.
     */
    private transient LinkedHashMap<String, Tombstone> tombstones;

    /**
     * Processing time until which the state may hold a tombstone that {@link #tombstones} lacks
     * (one of a restore, or one dropped for room): replies read the state's until then. MAX: a
     * restore's, {@code ttl} from the first reply.
     */
    private transient long tombstonesOnlyInStateUntil = Long.MIN_VALUE;

    private int tombstonesOnHeap = TOMBSTONES_ON_HEAP;

    private transient SessionRecommender.Scratch scratch;
    private transient ValueState<RankingRequest> pending;

    /**
     * The windows open on this subtask by visitor (set since open; a restore's are covered by
     * {@link #restoredUntil}): at most the visitors active within a window, a few bytes each.
     */
    private transient Map<String, Window> windows;

    /** Processing time until which a restored ranking may be pending (MAX: from the first use). */
    private transient long restoredUntil = Long.MIN_VALUE;

    private transient Counter coalesced;

    /** Ranks every reply at once (no coalescing). */
    public RecommendationFunction(SessionRecommender recommender, int listSize, Duration ttl) {
        this(recommender, listSize, ttl, Duration.ZERO, Duration.ZERO, DEFAULT_GUARD);
    }

    /**
     * @param ttl how long the visitor's state lives after its last write
     * @param backlogLag {@code --ordering.backlog-lag}: the watermark this far behind the wall
     *     clock means a backlog
     * @param coalesce {@code --recommendations.backlog-coalesce}: in a backlog, the event time a
     *     visitor's ranking may wait for the next reply to replace it; zero ranks every reply
     * @param guard {@code --recommendations.backlog-guard}: the processing time it may wait at
     *     most, from 1 ms to {@link #MAX_GUARD}
     */
    public RecommendationFunction(
            SessionRecommender recommender,
            int listSize,
            Duration ttl,
            Duration backlogLag,
            Duration coalesce,
            Duration guard) {
        if (guard.toMillis() < 1 || guard.compareTo(MAX_GUARD) > 0)
            throw new IllegalArgumentException(
                    "a backlog's ranking guard must be from 1 ms to " + MAX_GUARD + ": " + guard);
        this.recommender = recommender;
        this.listSize = listSize;
        this.ttl = ttl;
        this.backlogLagMillis = backlogLag.toMillis();
        this.coalesceMillis = coalesce.toMillis();
        this.guardMillis = guard.toMillis();
    }

    /**
     * Keeps the held-items lists of up to {@code visitors} visitors on the heap (0: none, every
     * reply reads and writes its list in the state); only run by a {@link
     * WriteBackCoProcessOperator}.
     */
    public RecommendationFunction withCacheSize(int visitors) {
        if (visitors < 0) throw new IllegalArgumentException("a negative cache size: " + visitors);
        this.cacheSize = visitors;
        return this;
    }

    /**
     * Keeps at most {@code forgets} tombstones on the heap (tests; {@link #TOMBSTONES_ON_HEAP}).
     */
    RecommendationFunction withTombstonesOnHeap(int forgets) {
        this.tombstonesOnHeap = forgets;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig stateTtl = StateTtl.afterLastWrite(ttl);
        MapStateDescriptor<String, byte[]> cache =
                new MapStateDescriptor<>(
                        NEIGHBOURS_STATE,
                        Types.STRING,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        cache.enableTimeToLive(stateTtl);
        neighboursByItem = getRuntimeContext().getMapState(cache);
        snapshotsOnHeap =
                new SessionSnapshots((long) cacheSize * SNAPSHOT_BYTES_PER_VISITOR, ttl.toMillis());
        ValueStateDescriptor<Long> forgotten =
                new ValueStateDescriptor<>("forgotten-at", Long.class);
        forgotten.enableTimeToLive(stateTtl);
        forgottenAtState = getRuntimeContext().getState(forgotten);
        ValueStateDescriptor<List<String>> held =
                new ValueStateDescriptor<>(HELD_ITEMS_STATE, Types.LIST(Types.STRING));
        held.enableTimeToLive(stateTtl);
        heldItems =
                new WriteBackCache<>(
                        getRuntimeContext().getState(held), cacheSize, ArrayList::new, ttl);
        tombstones = new LinkedHashMap<>();
        scratch = new SessionRecommender.Scratch();
        ValueStateDescriptor<RankingRequest> waiting =
                new ValueStateDescriptor<>(PENDING_STATE, RankingRequestSerializer.TYPE);
        waiting.enableTimeToLive(stateTtl);
        pending = getRuntimeContext().getState(waiting);
        windows = new HashMap<>();
        coalesced = getRuntimeContext().getMetricGroup().counter("rankingsCoalesced");
    }

    @Override
    public void processElement2(ForgetVisitor forget, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        String visitor = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        neighboursByItem.clear();
        snapshotsOnHeap.forget(visitor);
        heldItems.clear(visitor);
        takePending(visitor, now);
        forgottenAtState.update(forget.getAt());
        remember(visitor, forget.getAt(), now);
        out.collect(RedisWrite.delete(RedisKeys.recommendations(ctx.getCurrentKey())));
        for (String alias : forget.getAliases())
            out.collect(RedisWrite.delete(RedisKeys.recommendations(alias)));
    }

    @Override
    public void processElement1(NeighboursReply reply, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        RankingRequest request = reply.getRequest();
        String visitor = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        Long forgottenAt = forgottenAt(visitor, now);
        if (forgottenAt != null && request.getEventTime() <= forgottenAt) return;

        byte[] current = reply.getEncodedNeighbours();
        String currentItem = ItemNeighboursCodec.itemId(current);
        neighboursByItem.put(currentItem, current);
        snapshotsOnHeap.put(visitor, currentItem, current, now);
        Collection<String> sessionItems = few(request.getSessionItems());
        List<String> held = heldItems.peek(visitor, now);
        List<String> kept = new ArrayList<>();
        if (held != null) {
            for (String item : held) {
                if (item.equals(currentItem)) continue;
                if (sessionItems.contains(item)) kept.add(item);
                else removeSnapshot(visitor, item);
            }
        }
        if (sessionItems.contains(currentItem)) kept.add(currentItem);
        else removeSnapshot(visitor, currentItem);
        heldItems.store(visitor, kept, now);

        if (coalesceMillis <= 0
                || !Backlog.isBacklog(
                        ctx.timerService().currentWatermark(), now, backlogLagMillis)) {
            takePending(visitor, now);
            rank(request, currentItem, current, visitor, now, out);
            return;
        }
        Window window = windows.get(visitor);
        boolean restored = window == null && mayBeRestored(now) && pending.value() != null;
        if (window != null) {
            window.request = request;
            if (keys == null) pending.update(request);
            coalesced.inc();
        } else if (restored) {
            pending.update(request);
            coalesced.inc(); // the restored window's timers rank it
        } else {
            // The guard on whole seconds: one wake-up of the timer thread serves many visitors.
            window =
                    new Window(
                            request.getEventTime() + coalesceMillis, nextSecond(now + guardMillis));
            window.request = request;
            if (keys == null) pending.update(request);
            windows.put(visitor, window);
            ctx.timerService().registerEventTimeTimer(window.eventTime);
            ctx.timerService().registerProcessingTimeTimer(window.guard);
        }
    }

    /** {@code millis} rounded up to a whole second. */
    private static long nextSecond(long millis) {
        return Math.floorDiv(millis + 999, 1000) * 1000;
    }

    /**
     * A window's timer: ranks the visitor's pending request. A timer of an earlier window (its
     * other timer fired first) finds nothing or another window and returns, reading no state.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RedisWrite> out)
            throws Exception {
        String visitor = ctx.getCurrentKey();
        Window window = windows.get(visitor);
        boolean due =
                window != null
                        ? (ctx.timeDomain() == TimeDomain.EVENT_TIME
                                ? timestamp == window.eventTime
                                : timestamp == window.guard)
                        : mayBeRestored(ctx.timerService().currentProcessingTime());
        if (!due) return;
        RankingRequest request = takePending(visitor, ctx.timerService().currentProcessingTime());
        if (request != null) {
            long now = ctx.timerService().currentProcessingTime();
            rank(request, null, null, visitor, now, out);
        }
    }

    /**
     * The visitor's pending ranking, cleared; null if none. Reads no state unless the visitor has a
     * window open on this subtask (or one may have been restored): none live.
     */
    private RankingRequest takePending(String visitor, long now) throws Exception {
        Window window = windows.remove(visitor);
        if (window != null) {
            if (keys == null || window.written != null) pending.clear();
            return window.request;
        }
        if (!mayBeRestored(now)) return null;
        RankingRequest request = pending.value();
        if (request != null) pending.clear();
        return request;
    }

    /**
     * A visitor's open window: the deadlines of its timers and the request pending (the same as in
     * the state; requests are never changed once received, as the replies' serializer makes a new
     * one for every record).
     */
    private static final class Window {
        final long eventTime;
        final long guard;
        RankingRequest request;

        /** The request last written to the state at a barrier (null: none). */
        RankingRequest written;

        Window(long eventTime, long guard) {
            this.eventTime = eventTime;
            this.guard = guard;
        }
    }

    /**
     * Restored rankings: their windows are not known on the heap, so for a while after a restore a
     * visitor's pending state is read (their guard timers are due by then).
     */
    @Override
    public void initializeState(FunctionInitializationContext context) {
        restoredUntil = context.isRestored() ? Long.MAX_VALUE : Long.MIN_VALUE;
        tombstonesOnlyInStateUntil = restoredUntil;
    }

    /** Whether a visitor may have a pending ranking from a restore (no window on the heap). */
    private boolean mayBeRestored(long now) {
        if (restoredUntil == Long.MAX_VALUE) restoredUntil = now + RESTORED_PENDING_MILLIS;
        return now < restoredUntil;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {}

    @Override
    public void setKeyContext(KeyContext keys) {
        this.keys = keys;
        heldItems.setKeyContext(keys);
    }

    /** The held-items lists changed and the open windows' requests go to the state. */
    @Override
    public void writeBack(long now) throws Exception {
        heldItems.writeBack(now);
        if (windows.isEmpty()) return;
        Object current = keys.getCurrentKey();
        for (Map.Entry<String, Window> open : windows.entrySet()) {
            Window window = open.getValue();
            if (window.written == window.request) continue;
            keys.setCurrentKey(open.getKey());
            pending.update(window.request);
            window.written = window.request;
        }
        if (current != null) keys.setCurrentKey(current);
    }

    /**
     * A forget's tombstone, on the heap for {@code ttl} from {@code writtenAt} (processing time).
     */
    private record Tombstone(long at, long writtenAt) {}

    /**
     * Notes the visitor's forget (the state holds it too); drops the tombstones expired by now, and
     * the oldest beyond {@link #TOMBSTONES_ON_HEAP} (then the state is read for {@code ttl}).
     */
    private void remember(String visitor, long at, long now) {
        tombstones.remove(visitor);
        tombstones.put(visitor, new Tombstone(at, now));
        var oldest = tombstones.values().iterator();
        while (oldest.hasNext()) {
            Tombstone tombstone = oldest.next();
            boolean expired = now - tombstone.writtenAt() >= ttl.toMillis();
            if (!expired && tombstones.size() <= tombstonesOnHeap) break;
            oldest.remove();
            if (!expired && tombstonesOnlyInStateUntil != Long.MAX_VALUE)
                tombstonesOnlyInStateUntil =
                        Math.max(
                                tombstonesOnlyInStateUntil, tombstone.writtenAt() + ttl.toMillis());
        }
    }

    /**
     * When the visitor was last forgotten (event time), or null: from the heap, and from the state
     * only while a restored tombstone may still be alive there.
     */
    private Long forgottenAt(String visitor, long now) throws Exception {
        Tombstone tombstone = tombstones.get(visitor);
        if (tombstone != null && now - tombstone.writtenAt() < ttl.toMillis())
            return tombstone.at();
        if (tombstonesOnlyInStateUntil == Long.MAX_VALUE)
            tombstonesOnlyInStateUntil = now + ttl.toMillis();
        return now < tombstonesOnlyInStateUntil ? forgottenAtState.value() : null;
    }

    /**
     * Ranks {@code request} on the session's snapshots and writes the list under the visitor and
     * their aliases; {@code current} is the snapshot of {@code currentItem} the reply just brought
     * (null: every snapshot is read from the heap or the state, where the reply left it), at
     * processing time {@code now}.
     */
    private void rank(
            RankingRequest request,
            String currentItem,
            byte[] current,
            String visitor,
            long now,
            Collector<RedisWrite> out) {
        Collection<String> excluded = few(request.getExcludedItems());
        List<ScoredItem> ranked =
                recommender.rankForVisitor(
                        request.getSessionId(),
                        request.getSessionItems(),
                        item -> item.equals(currentItem) ? current : cached(visitor, item, now),
                        listSize + excluded.size(),
                        scratch);
        List<ScoredItem> items = new ArrayList<>(listSize);
        for (ScoredItem item : ranked) {
            if (items.size() == listSize) break;
            if (!excluded.contains(item.getItemId())) {
                item.setScore(ScoredItem.roundScore(item.getScore()));
                items.add(item);
            }
        }
        RecommendationList list =
                new RecommendationList(visitor, STRATEGY, request.getEventTime(), items);
        out.collect(RedisWrite.list(RedisKeys.recommendations(visitor), list));
        for (String alias : request.getAliases())
            out.collect(RedisWrite.list(RedisKeys.recommendations(alias), list));
    }

    /** Up to this many items are looked up in their list (a scan), more in a hash set. */
    private static final int FEW = 16;

    /** {@code items} to look up: the list itself when there are a few (no set made), else a set. */
    private static Collection<String> few(List<String> items) {
        return items.size() <= FEW ? items : new HashSet<>(items);
    }

    private void removeSnapshot(String visitor, String item) throws Exception {
        neighboursByItem.remove(item);
        snapshotsOnHeap.remove(visitor, item);
    }

    /** The visitor's snapshot of {@code item}: from the heap, else from the state. */
    private byte[] cached(String visitor, String item, long now) {
        byte[] onHeap = snapshotsOnHeap.get(visitor, item, now);
        if (onHeap != null) return onHeap;
        try {
            return neighboursByItem.get(item);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the neighbours of " + item, e);
        }
    }
}
