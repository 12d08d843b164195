package io.shopkeeper.jobs.ordering;

import io.shopkeeper.jobs.identity.VisitorEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.types.Either;

/**
 * Keyed by visitor, in front of the profile step: while the job works through a backlog (a backfill
 * published at once on several topics, or catching up after downtime), each visitor's events leave
 * in event-time order across topics; live, they pass straight through.
 *
 * <p>The Kafka source reads every partition of every input topic at its own pace, so in a backlog a
 * visitor's order (topic {@code orders}) can arrive days of event time before the page views that
 * led to it (topic {@code clickstream}). The watermark says how far every partition has read: with
 * bounded out-of-orderness {@code d} it is {@code min over partitions(newest time read) - d - 1}.
 * An event at {@code t} is safe to apply once the watermark reaches {@code t - d - 1}: every
 * partition has then read up to {@code t}, and a partition is in time order by itself (up to {@code
 * d}). The operator releases it at {@code r(t) = ceil(t) - d - 1}, where {@code ceil(t)} is {@code
 * t} rounded up to a multiple of the release step ({@code --ordering.release-step}, 1 s): once
 * every partition has read to the end of {@code t}'s step, so that a visitor's events of one step
 * leave together. Rules, per event:
 *
 * <ul>
 *   <li><b>Safe already</b> (the watermark {@code w} is at or past {@code r(t)}): out at once. It
 *       is older than anything this visitor has waiting: an event still held has {@code r(t') > w
 *       >= r(t)}, and as {@code r} never decreases with time, {@code t' > t}. The rule must use the
 *       rounded {@code r}, not {@code t - d - 1}: a held event at {@code t'} with {@code t' - d - 1
 *       <= w < r(t')} waits for its step, and a newer event of the visitor with {@code t - d - 1 <=
 *       w} would otherwise pass ahead of it.
 *   <li><b>Live</b> (the watermark is within {@code backlogLag} of the wall clock): out at once,
 *       unless the visitor still has events waiting from the backlog (then it queues behind them).
 *       Live traffic reaches Kafka in the order it happens, so holding it would only add latency; a
 *       client whose clock runs ahead is not held either.
 *   <li><b>Otherwise</b>: held in keyed state until the watermark reaches {@code r(t)}. When a
 *       watermark passes release times, everything due on every visitor leaves in (time, arrival)
 *       order before the watermark itself goes on, so downstream the events are never behind it.
 *   <li><b>Every input idle</b> (no partition delivered anything for {@code --watermark.idleness},
 *       e.g. at the end of a backfill): everything held leaves at once, in order, as nothing older
 *       is on its way.
 *   <li><b>Late</b> (at or behind the watermark, e.g. a partition that was idle speaks again):
 *       applied at once, never dropped, counted in {@code eventsLate}; it may be applied after a
 *       newer event of the same visitor.
 *   <li><b>A retirement</b> (an anonymous profile merged into the customer's at login) is not an
 *       event of its own time: it leaves after everything its visitor has waiting ({@link
 *       #afterHeld}), whatever its time.
 * </ul>
 *
 * <p>Release times: not Flink timers (one per held event, a heap object each, polled one by one and
 * written into every checkpoint) but an index on the subtask, release time to the visitors with
 * something due then, that holds only references to the keys. It is derived from the held events
 * and not checkpointed: {@link #open} rebuilds it from the keyed state after a restore (whatever
 * the key groups, so rescaling too). Timers that a snapshot of an earlier version still carries
 * fire as before and release what is due for their visitor by the same rule.
 *
 * <p>Where held events wait: on the heap first, up to {@code heapEvents} per subtask ({@code
 * --ordering.heap-events}), and in keyed state (RocksDB) beyond that. The heap's events are written
 * to the state before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}), so a
 * checkpoint holds every event waiting at that moment; most events are released within a second or
 * two of their arrival, long before the next barrier, and never touch RocksDB (holding each one in
 * RocksDB cost a list append, a read and a delete, with the event serialized and read back: this
 * task's CPU per event in a backlog fell by about a quarter without them, issue 11). The bound
 * keeps a backfill whose topics drift far apart in event time from filling the heap: what does not
 * fit waits in RocksDB as before.
 *
 * <p>Cost: live, one comparison per event (no state access); in a backlog, one heap append and one
 * index entry per held event (or a list append in the state beyond the heap's room), and a state
 * read per visitor and watermark that releases it only for visitors with events in the state. What
 * is held is bounded by how far the partitions' read positions drift apart in event time, and
 * dropped when released. Metrics: {@code eventsHeldForOrder} (counter), {@code heldEvents} and
 * {@code heldEventsOnHeap} (gauges), {@code eventsLate}, {@code eventsReleasedOnIdle}.
 *
 * <p>Second input: a broadcast stream of {@code B} (the store's RFM cut points) that the operator
 * after it needs on every subtask. It passes through at once, as {@link Either#Right}, the visitor
 * events leave as {@link Either#Left}: so the profile step, which needs both, takes one input and
 * chains to this operator ({@link KeyedBroadcastOperator}) instead of receiving the events over the
 * network. Held events wait on the first input's watermark only (a slow or idle broadcast input
 * never holds visitor events back); downstream goes the minimum of both inputs' watermarks, as a
 * two-input operator after this one would have combined them.
 */
public class EventTimeOrder<B> extends AbstractStreamOperator<Either<VisitorEvent, B>>
        implements TwoInputStreamOperator<VisitorEvent, B, Either<VisitorEvent, B>>,
                Triggerable<Object, VoidNamespace> {
    static final String HELD_STATE = "held-events";

    private static final Comparator<HeldEvent> IN_ORDER =
            Comparator.comparingLong(HeldEvent::getTimestamp)
                    .thenComparingLong(HeldEvent::getArrival);

    /** {@code --ordering.release-step}'s default. */
    public static final Duration DEFAULT_RELEASE_STEP = Duration.ofSeconds(1);

    /**
     * {@code --ordering.heap-events}' default: held events kept on the heap per subtask (a held
     * event is about half a kilobyte there, so some 10 MB at most).
     */
    public static final int DEFAULT_HEAP_EVENTS = 20_000;

    private final long outOfOrdernessMillis;
    private final long backlogLagMillis;
    private final long releaseStepMillis;
    private final int heapEvents;

    /** Held events in keyed state: restored, written at a barrier, or beyond the heap's room. */
    private transient ListState<HeldEvent> held;

    /**
     * Held events not in the state, by visitor (arrived since the last barrier; never an empty
     * list). A visitor may have events here and in the state at once.
     */
    private transient HashMap<Object, ArrayList<HeldEvent>> onHeap;

    private transient int onHeapCount;

    /** The visitors whose state holds events (their list is never empty in the state). */
    private transient HashSet<Object> inState;

    /** Release time to the visitors with an event due then (a key may repeat across times). */
    private transient TreeMap<Long, List<Object>> releases;

    private transient List<HeldEvent> due;
    private transient Set<Object> releasedKeys;
    private transient long watermark;
    private transient long releasingAt;
    private transient long heldCount;
    private transient long arrivals;
    private transient Counter heldForOrder;
    private transient Counter late;
    private transient Counter releasedOnIdle;

    /**
     * @param outOfOrderness the sources' bounded out-of-orderness ({@code
     *     --watermark.out-of-orderness})
     * @param backlogLag how far behind the wall clock the watermark must be for the job to be
     *     working through a backlog ({@code --ordering.backlog-lag})
     */
    public EventTimeOrder(Duration outOfOrderness, Duration backlogLag) {
        this(outOfOrderness, backlogLag, DEFAULT_RELEASE_STEP);
    }

    /**
     * @param releaseStep release times are rounded up to a multiple of this ({@code
     *     --ordering.release-step}): a visitor's events due within one step leave together
     */
    public EventTimeOrder(Duration outOfOrderness, Duration backlogLag, Duration releaseStep) {
        this(outOfOrderness, backlogLag, releaseStep, DEFAULT_HEAP_EVENTS);
    }

    /**
     * @param heapEvents held events kept on the heap per subtask ({@code --ordering.heap-events});
     *     beyond it they wait in keyed state, 0 keeps them all there
     */
    public EventTimeOrder(
            Duration outOfOrderness, Duration backlogLag, Duration releaseStep, int heapEvents) {
        if (releaseStep.toMillis() < 1)
            throw new IllegalArgumentException("release step below 1 ms: " + releaseStep);
        if (heapEvents < 0)
            throw new IllegalArgumentException("a negative number of heap events: " + heapEvents);
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.backlogLagMillis = backlogLag.toMillis();
        this.releaseStepMillis = releaseStep.toMillis();
        this.heapEvents = heapEvents;
    }

    @Override
    public void open() throws Exception {
        super.open();
        held =
                getPartitionedState(
                        new ListStateDescriptor<>(HELD_STATE, TypeInformation.of(HeldEvent.class)));
        // No timers are registered any more; the service stays for those a snapshot of an
        // earlier version holds (they fire into onEventTime).
        getInternalTimerService("event-time-order", VoidNamespaceSerializer.INSTANCE, this);
        releases = new TreeMap<>();
        due = new ArrayList<>();
        releasedKeys = new HashSet<>();
        onHeap = new HashMap<>();
        inState = new HashSet<>();
        watermark = Long.MIN_VALUE;
        heldForOrder = getMetricGroup().counter("eventsHeldForOrder");
        late = getMetricGroup().counter("eventsLate");
        releasedOnIdle = getMetricGroup().counter("eventsReleasedOnIdle");
        getMetricGroup().gauge("heldEvents", () -> heldCount);
        getMetricGroup().gauge("heldEventsOnHeap", () -> onHeapCount);
        // After a restore: count what is waiting, index when it is due, and number new arrivals
        // after it.
        for (Object key : stateKeys()) {
            setCurrentKey(key);
            inState.add(key);
            for (HeldEvent h : stateOf()) {
                heldCount++;
                arrivals = Math.max(arrivals, h.getArrival() + 1);
                index(releaseAt(h.getTimestamp()), key);
            }
        }
    }

    @Override
    public void processElement1(StreamRecord<VisitorEvent> record) throws Exception {
        if (!record.hasTimestamp()) {
            pass(record);
            return;
        }
        long t = record.getTimestamp();
        if (record.getValue().getKind() == VisitorEvent.Kind.MERGED_AWAY) t = afterHeld(t);
        if (t <= watermark) {
            late.inc();
            pass(record);
        } else if (releaseAt(t) <= watermark) {
            pass(record);
        } else if (!Backlog.isBacklog(
                        watermark,
                        getProcessingTimeService().getCurrentProcessingTime(),
                        backlogLagMillis)
                && (heldCount == 0 || !holds(getCurrentKey()))) {
            pass(record);
        } else {
            hold(getCurrentKey(), new HeldEvent(t, arrivals++, record.getValue()));
            heldCount++;
            heldForOrder.inc();
        }
    }

    /** Keeps {@code h} for the current visitor {@code key}: on the heap while there is room. */
    private void hold(Object key, HeldEvent h) throws Exception {
        if (onHeapCount < heapEvents) {
            ArrayList<HeldEvent> events = onHeap.get(key);
            if (events == null) onHeap.put(key, events = new ArrayList<>(4));
            events.add(h);
            onHeapCount++;
        } else {
            held.add(h);
            inState.add(key);
        }
        index(releaseAt(h.getTimestamp()), key);
    }

    /** Whether the visitor {@code key} has events waiting. */
    private boolean holds(Object key) {
        return onHeap.containsKey(key) || inState.contains(key);
    }

    /**
     * The time a retirement ({@link VisitorEvent.Kind#MERGED_AWAY}, at the login's time {@code t})
     * is ordered at: after every event its anonymous visitor still has waiting. The identity step
     * sent it after them and replayed them into the customer's profile; an event read before the
     * login but stamped after it (another partition) must reach the anonymous profile before the
     * retirement removes it, or it would create that profile again and count the event twice.
     */
    private long afterHeld(long t) throws Exception {
        if (heldCount == 0) return t;
        long latest = t;
        Object key = getCurrentKey();
        if (inState.contains(key))
            for (HeldEvent h : stateOf()) latest = Math.max(latest, h.getTimestamp());
        List<HeldEvent> fromHeap = onHeap.get(key);
        if (fromHeap != null)
            for (HeldEvent h : fromHeap) latest = Math.max(latest, h.getTimestamp());
        return latest;
    }

    private void pass(StreamRecord<VisitorEvent> record) {
        output.collect(record.replace(Either.Left(record.getValue())));
    }

    /** The broadcast input passes straight through, to every subtask after this one. */
    @Override
    public void processElement2(StreamRecord<B> record) {
        output.collect(record.replace(Either.Right(record.getValue())));
    }

    /**
     * {@code r(t)}: the watermark at which every partition has read up to the end of {@code t}'s
     * release step (the step's end less {@code d - 1}; {@code t - d - 1} itself when {@code t} ends
     * a step).
     */
    private long releaseAt(long t) {
        long stepEnd = -Math.floorDiv(-t, releaseStepMillis) * releaseStepMillis;
        return stepEnd - outOfOrdernessMillis - 1;
    }

    /** Indexes the visitor {@code key} as having an event due at {@code time}. */
    private void index(long time, Object key) {
        List<Object> keys = releases.get(time);
        if (keys == null) releases.put(time, keys = new ArrayList<>());
        // A visitor's events often come in a row: one entry for them.
        if (keys.isEmpty() || !keys.get(keys.size() - 1).equals(key)) keys.add(key);
    }

    /**
     * The visitor events' watermark: releases what is due at it (every visitor indexed at a time it
     * passes, and timers of an earlier version's snapshot), sends the released events in order,
     * then the combined watermark if it moved: downstream sees every released event before the time
     * passes it. Releases follow this input's watermark alone.
     */
    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        releasingAt = mark.getTimestamp();
        releasedKeys.clear();
        if (getTimeServiceManager().isPresent()) {
            getTimeServiceManager().get().advanceWatermark(mark);
        }
        Map.Entry<Long, List<Object>> next;
        while ((next = releases.firstEntry()) != null && next.getKey() <= releasingAt) {
            releases.pollFirstEntry();
            for (Object key : next.getValue()) release(key);
        }
        emitDue();
        watermark = Math.max(watermark, mark.getTimestamp());
        forwardCombined(0, mark);
    }

    /** The broadcast input's watermark only holds back what goes downstream. */
    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        forwardCombined(1, mark);
    }

    private void forwardCombined(int input, Watermark mark) {
        if (combinedWatermark.updateWatermark(input, mark.getTimestamp()))
            output.emitWatermark(new Watermark(combinedWatermark.getCombinedWatermark()));
    }

    /**
     * Called by the base class with the combined watermark when an input's idleness moves it: it
     * goes downstream, the timers (the first input's watermark) stay where they are.
     */
    @Override
    public void processWatermark(Watermark mark) {
        output.emitWatermark(mark);
    }

    /** A timer of an earlier version's snapshot: releases what is due for its visitor. */
    @Override
    public void onEventTime(InternalTimer<Object, VoidNamespace> timer) throws Exception {
        release(timer.getKey());
    }

    /**
     * The visitor's events due at this watermark leave (all of them, the first time the watermark
     * looks at the visitor; later index entries it passes find nothing due and are skipped without
     * reading the state again), the rest wait.
     */
    private void release(Object key) throws Exception {
        if (!releasedKeys.add(key)) return;
        ArrayList<HeldEvent> keep = onHeap.remove(key);
        if (keep != null) {
            onHeapCount -= keep.size();
            keep.removeIf(this::releaseIfDue);
        }
        if (!inState.contains(key)) {
            if (keep != null && !keep.isEmpty()) {
                onHeap.put(key, keep);
                onHeapCount += keep.size();
            }
            return;
        }
        setCurrentKey(key);
        if (keep == null) keep = new ArrayList<>();
        for (HeldEvent h : stateOf()) if (!releaseIfDue(h)) keep.add(h);
        // the state now holds whatever the visitor still has waiting, the heap's events too
        if (keep.isEmpty()) {
            held.clear();
            inState.remove(key);
        } else {
            held.update(keep);
        }
    }

    /** Adds {@code h} to the events leaving at this watermark if it is due; whether it was. */
    private boolean releaseIfDue(HeldEvent h) {
        if (releaseAt(h.getTimestamp()) > releasingAt) return false;
        due.add(h);
        return true;
    }

    /**
     * Writes the events held on the heap to the keyed state before the barrier goes on, so the
     * checkpoint holds everything waiting now.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (onHeap.isEmpty()) return;
        Object current = getCurrentKey();
        for (Map.Entry<Object, ArrayList<HeldEvent>> visitor : onHeap.entrySet()) {
            setCurrentKey(visitor.getKey());
            held.addAll(visitor.getValue());
            inState.add(visitor.getKey());
        }
        onHeap.clear();
        onHeapCount = 0;
        if (current != null) setCurrentKey(current);
    }

    @Override
    public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {}

    /**
     * Every partition of the visitor events idle: nothing older is on its way, so everything held
     * leaves now, in order (before the idleness goes downstream, once both inputs are idle).
     */
    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int input) throws Exception {
        if (input == 0 && status.isIdle() && heldCount > 0) {
            for (Object key : inState) {
                setCurrentKey(key);
                for (HeldEvent h : stateOf()) due.add(h);
                held.clear();
            }
            inState.clear();
            for (List<HeldEvent> events : onHeap.values()) due.addAll(events);
            onHeap.clear();
            onHeapCount = 0;
            releases.clear();
            releasedOnIdle.inc(due.size());
            emitDue();
        }
        super.processWatermarkStatus(status, input);
    }

    private void emitDue() {
        if (due.isEmpty()) return;
        due.sort(IN_ORDER);
        for (HeldEvent h : due)
            output.collect(new StreamRecord<>(Either.Left(h.getEvent()), h.getTimestamp()));
        heldCount -= due.size();
        due.clear();
    }

    /** Events waiting on this subtask now. */
    long heldEvents() {
        return heldCount;
    }

    /** Visitors with events waiting, on the heap or in the state (cleared once nothing waits). */
    int visitorsHolding() {
        Set<Object> visitors = new HashSet<>(stateKeys());
        visitors.addAll(onHeap.keySet());
        return visitors.size();
    }

    /** Events waiting on the heap now (not in the state). */
    int heldOnHeap() {
        return onHeapCount;
    }

    /** Events that arrived at or behind the watermark and were applied at once. */
    long lateEvents() {
        return late.getCount();
    }

    /** The current visitor's events in the state. */
    private Iterable<HeldEvent> stateOf() throws Exception {
        Iterable<HeldEvent> events = held.get();
        return events == null ? List.of() : events;
    }

    private List<Object> stateKeys() {
        try (Stream<Object> keys =
                this.<Object>getKeyedStateBackend().getKeys(HELD_STATE, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }
}
