package io.shopkeeper.jobs.ordering;

import static io.shopkeeper.jobs.testing.ShopEvents.T0;
import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.loggedIn;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageView;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EventTimeOrder} on RocksDB, as in the job, with the wall clock driven by the harness's
 * processing time: a backlog (event time far behind the clock) is applied in event-time order
 * across topics, live traffic passes straight through.
 */
class EventTimeOrderHarnessTest {
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration BACKLOG_LAG = Duration.ofSeconds(15);

    /** A wall clock a month after the history: every watermark below means a backlog. */
    private static final long MONTH_LATER = T0.plus(Duration.ofDays(30)).toEpochMilli();

    /** Visitor events keyed, and a broadcast input (the job's cut points; text here). */
    private KeyedTwoInputStreamOperatorTestHarness<
                    String, VisitorEvent, String, Either<VisitorEvent, String>>
            harness;

    private EventTimeOrder<String> operator;

    /** The operator's release step (the job's default unless a test sets another). */
    private Duration releaseStep = EventTimeOrder.DEFAULT_RELEASE_STEP;

    /**
     * Held events the operator keeps on the heap: the job's default here, so every test's events
     * wait there until a snapshot; {@link EventTimeOrderSpillingHarnessTest} runs every test with
     * one, so the rest wait in RocksDB.
     */
    int heapEvents() {
        return EventTimeOrder.DEFAULT_HEAP_EVENTS;
    }

    /** With the broadcast input idle, as if it said nothing: the visitor events alone count. */
    private void open(OperatorSubtaskState restore, long wallClock) throws Exception {
        openWithBroadcast(restore, wallClock);
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
    }

    private void openWithBroadcast(OperatorSubtaskState restore, long wallClock) throws Exception {
        operator = new EventTimeOrder<>(OUT_OF_ORDERNESS, BACKLOG_LAG, releaseStep, heapEvents());
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        operator, VisitorEvent::getVisitorKey, null, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.setup(
                Types.EITHER(TypeInformation.of(VisitorEvent.class), Types.STRING)
                        .createSerializer(new SerializerConfigImpl()));
        harness.setProcessingTime(wallClock);
        if (restore != null) harness.initializeState(restore);
        harness.open();
    }

    /** The visitor events' watermark. */
    private void watermark(long timestamp) throws Exception {
        harness.processWatermark1(new Watermark(timestamp));
    }

    /** Every held event has left: none counted, none on the heap, no visitor's state left. */
    private void assertNothingWaits() {
        assertThat(operator.heldEvents()).isZero();
        assertThat(operator.heldOnHeap()).isZero();
        assertThat(operator.visitorsHolding()).isZero();
    }

    /** What the task does at a checkpoint: the barrier's preparation, then the snapshot. */
    private OperatorSubtaskState checkpoint(long id) throws Exception {
        harness.prepareSnapshotPreBarrier(id);
        return harness.snapshot(id, id);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    private void send(ShopEvent e) throws Exception {
        String visitor = e.getCustomerId() != null ? e.getCustomerId() : e.getAnonymousId();
        harness.processElement1(VisitorEvent.live(visitor, e), e.eventTimeMillis());
    }

    private static Instant min(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** The event ids that left the operator, in order. */
    private List<String> out() {
        return harness.extractOutputValues().stream()
                .filter(Either::isLeft)
                .map(v -> v.left().getEvent().getEventId())
                .toList();
    }

    private static long watermarkFor(Instant everyPartitionReadUpTo) {
        return everyPartitionReadUpTo.toEpochMilli() - OUT_OF_ORDERNESS.toMillis() - 1;
    }

    @Test
    void inABacklogAnOrderReadFirstWaitsForThePageViewsThatLedToIt() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        // The orders partition is read ahead of the clickstream partition.
        ShopEvent order = ordered("cust-1", "s1", "o-1", min(12), line("i1", "c1", 1, 20.0));
        send(order);
        assertThat(out()).isEmpty();
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(1));
        ShopEvent cart = carted("cust-1", "s1", "i1", "c1", min(5));
        ShopEvent checkout = pageView("cust-1", "s1", "checkout", min(11));
        send(view);
        send(cart);
        send(checkout);
        assertThat(out()).as("nothing leaves before every partition reached it").isEmpty();
        assertThat(operator.heldEvents()).isEqualTo(4);

        // The clickstream partition has read up to minute 6: the view and the cart may go.
        watermark(watermarkFor(min(6)));
        assertThat(out()).containsExactly(view.getEventId(), cart.getEventId());
        // Every partition has read past the order.
        watermark(watermarkFor(min(13)));
        assertThat(out())
                .containsExactly(
                        view.getEventId(),
                        cart.getEventId(),
                        checkout.getEventId(),
                        order.getEventId());
        assertThat(harness.extractOutputStreamRecords().get(3).getTimestamp())
                .isEqualTo(order.eventTimeMillis());
        assertThat(operator.heldEvents()).isZero();
        assertThat(operator.visitorsHolding()).as("released events leave no state").isZero();
    }

    @Test
    void releasedEventsLeaveBeforeTheWatermarkThatReleasedThem() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        ShopEvent view = viewed("anon-1", "s1", "i1", "c1", min(3));
        send(view);
        watermark(watermarkFor(min(4)));
        List<Object> elements = List.copyOf(harness.getOutput());
        assertThat(elements).hasSize(3); // the first watermark, the view, the releasing watermark
        assertThat(elements.get(1)).isInstanceOf(StreamRecord.class);
        assertThat(((Either<?, ?>) ((StreamRecord<?>) elements.get(1)).getValue()).left())
                .extracting(v -> ((VisitorEvent) v).getEvent())
                .extracting(ShopEvent::getEventId)
                .isEqualTo(view.getEventId());
        assertThat(elements.get(2)).isEqualTo(new Watermark(watermarkFor(min(4))));
    }

    @Test
    void anEventEveryPartitionHasReadPastLeavesAtOnce() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(10)));
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(10));
        send(view);
        assertThat(out()).containsExactly(view.getEventId());
        assertThat(operator.lateEvents()).isZero();
        assertThat(operator.heldEvents()).isZero();
    }

    @Test
    void liveEventsPassStraightThroughEvenFromAClockRunningAhead() throws Exception {
        long now = min(0).toEpochMilli();
        open(null, now);
        // Live: event time 6 s behind the wall clock (out-of-orderness and idle partitions).
        watermark(now - 6_000);
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(0));
        ShopEvent fromTheFuture = viewed("cust-2", "s2", "i2", "c1", min(3));
        send(view);
        send(fromTheFuture);
        assertThat(out()).containsExactly(view.getEventId(), fromTheFuture.getEventId());
        assertThat(operator.visitorsHolding()).isZero();
    }

    @Test
    void aVisitorsLiveEventQueuesBehindWhatTheBacklogStillHolds() throws Exception {
        long now = min(0).toEpochMilli();
        open(null, now);
        // Catching up: event time 20 s behind the clock.
        watermark(now - 20_000);
        ShopEvent heldOrder = ordered("cust-1", "s1", "o-1", min(1), line("i1", "c1", 1, 9.0));
        send(heldOrder);
        assertThat(out()).isEmpty();
        // Caught up (10 s behind), but the order still waits for the other partitions.
        watermark(now - 10_000);
        ShopEvent sameVisitor = viewed("cust-1", "s1", "i2", "c1", min(2));
        ShopEvent otherVisitor = viewed("cust-2", "s2", "i3", "c1", min(2));
        send(sameVisitor);
        send(otherVisitor);
        assertThat(out()).containsExactly(otherVisitor.getEventId());
        watermark(watermarkFor(min(2)));
        assertThat(out())
                .containsExactly(
                        otherVisitor.getEventId(),
                        heldOrder.getEventId(),
                        sameVisitor.getEventId());
    }

    @Test
    void aNewerEventQueuesBehindAnOlderOneWaitingForItsReleaseStep() throws Exception {
        releaseStep = Duration.ofMinutes(1);
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        // It leaves once every partition has read to the end of its minute, 11:00.
        ShopEvent order =
                ordered("cust-1", "s1", "o-1", min(10).plusSeconds(10), line("i1", "c1", 1, 9.0));
        send(order);
        // Every partition has read up to 10:40: past the order, not past its step.
        watermark(watermarkFor(min(10).plusSeconds(40)));
        assertThat(out()).isEmpty();
        // Read past too, newer than the order: it waits behind it, in the same step.
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(10).plusSeconds(38));
        send(view);
        assertThat(out()).isEmpty();
        assertThat(operator.heldEvents()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).as("no Flink timers").isZero();

        // Every partition has read to 11:00: both leave, in time order, before the watermark.
        watermark(watermarkFor(min(11)));
        assertThat(out()).containsExactly(order.getEventId(), view.getEventId());
        assertNothingWaits();
        // An event whose step every partition has read to leaves at once.
        ShopEvent next = viewed("cust-1", "s1", "i2", "c1", min(10).plusSeconds(58));
        send(next);
        assertThat(out()).endsWith(next.getEventId()).hasSize(3);
        assertThat(operator.lateEvents()).isZero();
    }

    @Test
    void eventsOfOneStepAcrossTopicsLeaveInTimeOrderAndTheRestWaits() throws Exception {
        releaseStep = Duration.ofMinutes(1);
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        // The orders topic read ahead: its events arrive before the page views they follow.
        ShopEvent order = ordered("cust-1", "s1", "o-1", min(3), line("i1", "c1", 1, 9.0));
        ShopEvent nextOrder = ordered("cust-1", "s1", "o-2", min(7), line("i2", "c1", 1, 9.0));
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(2).plusSeconds(20));
        ShopEvent cart = carted("cust-1", "s1", "i1", "c1", min(2).plusSeconds(50));
        ShopEvent sameTime = pageView("cust-1", "s1", "checkout", min(3));
        for (ShopEvent e : List.of(order, nextOrder, view, cart, sameTime)) send(e);
        assertThat(operator.heldEvents()).isEqualTo(5);

        // Every partition has read to 3:00: the minute up to it leaves together, in (time,
        // arrival) order.
        watermark(watermarkFor(min(3)));
        assertThat(out())
                .containsExactly(
                        view.getEventId(),
                        cart.getEventId(),
                        order.getEventId(),
                        sameTime.getEventId());
        assertThat(operator.heldEvents()).isEqualTo(1);
        watermark(watermarkFor(min(8)));
        assertThat(out()).endsWith(nextOrder.getEventId()).hasSize(5);
        assertThat(operator.visitorsHolding()).isZero();
    }

    @Test
    void aLateEventIsAppliedAtOnceAndCounted() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(30)));
        ShopEvent early = viewed("cust-1", "s1", "i1", "c1", min(40));
        send(early);
        // A partition that was idle speaks again, with an event event time has passed.
        ShopEvent late = viewed("cust-1", "s1", "i2", "c1", min(1));
        send(late);
        assertThat(out()).containsExactly(late.getEventId());
        assertThat(operator.lateEvents()).isEqualTo(1);
        watermark(watermarkFor(min(41)));
        assertThat(out()).containsExactly(late.getEventId(), early.getEventId());
    }

    /** The identity step's retirement of {@code anonymousId}'s profile, at the login's time. */
    private void sendRetirement(String anonymousId, ShopEvent login) throws Exception {
        harness.processElement1(
                VisitorEvent.mergedAway(anonymousId, login.getCustomerId(), login),
                login.eventTimeMillis());
    }

    @Test
    void aRetirementLeavesAfterTheAnonymousEventsStillWaitingThoughTheyAreNewer() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        // The clickstream partition delivered the next view before the login partition delivered
        // the login: the identity step sent the view to the anonymous profile, then retired it.
        ShopEvent view = viewed("anon-1", "s1", "i3", "c1", min(3));
        ShopEvent login = loggedIn("anon-1", "cust-1", "s1", min(2));
        send(view);
        sendRetirement("anon-1", login);
        assertThat(out()).isEmpty();

        watermark(watermarkFor(min(2)));
        assertThat(out()).as("the retirement waits for the view").isEmpty();
        watermark(watermarkFor(min(3)));
        assertThat(out()).containsExactly(view.getEventId(), login.getEventId());
        assertThat(operator.heldEvents()).isZero();
        assertThat(operator.lateEvents()).isZero();
    }

    @Test
    void aRetirementTheWatermarkPassedStillQueuesBehindItsVisitorsWaitingEvents() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        ShopEvent view = viewed("anon-1", "s1", "i3", "c1", min(10));
        send(view);
        watermark(watermarkFor(min(5)));
        ShopEvent login = loggedIn("anon-1", "cust-1", "s1", min(1));
        sendRetirement("anon-1", login);
        ShopEvent other = loggedIn("anon-2", "cust-2", "s2", min(1));
        sendRetirement("anon-2", other);
        assertThat(out())
                .as("late, but behind the view; another visitor's retirement goes at once")
                .containsExactly(other.getEventId());
        watermark(watermarkFor(min(10)));
        assertThat(out())
                .containsExactly(other.getEventId(), view.getEventId(), login.getEventId());
    }

    @Test
    void whenEveryInputFallsIdleEverythingHeldLeavesInOrder() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        ShopEvent b2 = viewed("cust-b", "s2", "i2", "c1", min(20));
        ShopEvent a1 = viewed("cust-a", "s1", "i1", "c1", min(10));
        ShopEvent b1 = viewed("cust-b", "s2", "i3", "c1", min(10));
        ShopEvent a2 = ordered("cust-a", "s1", "o-1", min(30), line("i1", "c1", 1, 9.0));
        for (ShopEvent e : List.of(b2, a1, b1, a2)) send(e);
        assertThat(out()).isEmpty();

        harness.processWatermarkStatus1(WatermarkStatus.IDLE);
        // Equal times keep their arrival order, across visitors too.
        assertThat(out())
                .containsExactly(
                        a1.getEventId(), b1.getEventId(), b2.getEventId(), a2.getEventId());
        assertNothingWaits();
    }

    /**
     * In a backlog: a customer's order read before the view that led to it, and another visitor's
     * view, all three held.
     */
    private List<ShopEvent> holdAnOrderItsViewAndAnotherVisitorsView() throws Exception {
        open(null, MONTH_LATER);
        watermark(watermarkFor(min(0)));
        List<ShopEvent> events =
                List.of(
                        ordered("cust-1", "s1", "o-1", min(9), line("i1", "c1", 1, 9.0)),
                        viewed("cust-1", "s1", "i1", "c1", min(8)),
                        viewed("anon-2", "s2", "i2", "c1", min(9)));
        for (ShopEvent e : events) send(e);
        assertThat(out()).isEmpty();
        return events;
    }

    @Test
    void heldEventsSurviveSnapshotAndRestore() throws Exception {
        List<ShopEvent> held = holdAnOrderItsViewAndAnotherVisitorsView();
        ShopEvent order = held.get(0);
        ShopEvent view = held.get(1);
        ShopEvent other = held.get(2);
        OperatorSubtaskState snapshot = checkpoint(1L);
        harness.close();

        open(snapshot, MONTH_LATER);
        assertThat(operator.heldEvents()).isEqualTo(3);
        ShopEvent afterRestore = viewed("anon-3", "s3", "i3", "c1", min(9));
        send(afterRestore);
        watermark(watermarkFor(min(10)));
        assertThat(out())
                .containsExactly(
                        view.getEventId(),
                        order.getEventId(),
                        other.getEventId(),
                        afterRestore.getEventId());
        assertNothingWaits();
    }

    @Test
    void eventsStillHeldAtABarrierAreWrittenToTheStateAndLeaveOnceInOrder() throws Exception {
        List<ShopEvent> held = holdAnOrderItsViewAndAnotherVisitorsView();
        ShopEvent order = held.get(0);
        ShopEvent view = held.get(1);
        ShopEvent other = held.get(2);
        assertThat(operator.heldOnHeap()).isEqualTo(Math.min(3, heapEvents()));
        checkpoint(1L);
        assertThat(operator.heldOnHeap()).as("written to the state at the barrier").isZero();
        assertThat(operator.heldEvents()).isEqualTo(3);
        // after the barrier: the visitor's next event waits on the heap beside those in the state
        ShopEvent cart = carted("cust-1", "s1", "i1", "c1", min(7));
        send(cart);
        assertThat(operator.heldOnHeap()).isEqualTo(Math.min(1, heapEvents()));
        watermark(watermarkFor(min(8)));
        assertThat(out()).containsExactly(cart.getEventId(), view.getEventId());
        assertThat(operator.heldEvents()).isEqualTo(2);
        watermark(watermarkFor(min(10)));
        assertThat(out())
                .containsExactly(
                        cart.getEventId(),
                        view.getEventId(),
                        order.getEventId(),
                        other.getEventId());
        assertNothingWaits();
    }

    @Test
    void theBroadcastInputPassesStraightThroughWhileEventsWait() throws Exception {
        openWithBroadcast(null, MONTH_LATER);
        harness.processWatermark2(new Watermark(watermarkFor(min(0))));
        watermark(watermarkFor(min(0)));
        ShopEvent order = ordered("cust-1", "s1", "o-1", min(12), line("i1", "c1", 1, 20.0));
        send(order);
        harness.processElement2("cut points", min(1).toEpochMilli());

        assertThat(out()).as("the order waits").isEmpty();
        assertThat(harness.extractOutputValues())
                .containsExactly(Either.Right("cut points"))
                .allMatch(Either::isRight);
        assertThat(harness.extractOutputStreamRecords().get(0).getTimestamp())
                .isEqualTo(min(1).toEpochMilli());
    }

    @Test
    void eventsWaitOnTheirOwnWatermarkAndTheSlowerInputHoldsBackOnlyWhatGoesDownstream()
            throws Exception {
        openWithBroadcast(null, MONTH_LATER);
        harness.processWatermark2(new Watermark(watermarkFor(min(0))));
        watermark(watermarkFor(min(0)));
        ShopEvent order = ordered("cust-1", "s1", "o-1", min(12), line("i1", "c1", 1, 20.0));
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(1));
        send(order);
        send(view);

        // The visitor events have all been read past the order; the cut points have not moved.
        watermark(watermarkFor(min(13)));
        assertThat(out()).containsExactly(view.getEventId(), order.getEventId());
        assertThat(watermarksOut()).containsExactly(watermarkFor(min(0)));

        harness.processWatermark2(new Watermark(watermarkFor(min(5))));
        assertThat(watermarksOut()).containsExactly(watermarkFor(min(0)), watermarkFor(min(5)));
        harness.processWatermark2(new Watermark(watermarkFor(min(20))));
        assertThat(watermarksOut())
                .as("the minimum of both inputs")
                .containsExactly(watermarkFor(min(0)), watermarkFor(min(5)), watermarkFor(min(13)));

        // An idle broadcast input holds nothing back.
        watermark(watermarkFor(min(30)));
        assertThat(watermarksOut()).endsWith(watermarkFor(min(20)));
        harness.processWatermarkStatus2(WatermarkStatus.IDLE);
        assertThat(watermarksOut()).endsWith(watermarkFor(min(30)));
    }

    private List<Long> watermarksOut() {
        return harness.getOutput().stream()
                .filter(Watermark.class::isInstance)
                .map(w -> ((Watermark) w).getTimestamp())
                .toList();
    }

    /**
     * The held events as versions before {@link HeldEventSerializer} declared them: written by
     * Flink's POJO serializer.
     */
    static final TypeInformation<HeldEvent> POJO_HELD =
            Types.POJO(
                    HeldEvent.class,
                    Map.of(
                            "timestamp", Types.LONG,
                            "arrival", Types.LONG,
                            "event",
                                    Types.POJO(
                                            VisitorEvent.class,
                                            Map.of(
                                                    "visitorKey",
                                                    Types.STRING,
                                                    "kind",
                                                    Types.ENUM(VisitorEvent.Kind.class),
                                                    "event",
                                                    Types.POJO(ShopEvent.class),
                                                    "mergedInto",
                                                    Types.STRING))));

    /**
     * The operator's state as earlier versions wrote it: the list of held events (in the given
     * type), and one event-time timer per held event at its time less the out-of-orderness.
     */
    static final class EarlierVersion extends AbstractStreamOperator<VisitorEvent>
            implements OneInputStreamOperator<VisitorEvent, VisitorEvent>,
                    Triggerable<Object, VoidNamespace> {
        private final TypeInformation<HeldEvent> heldType;
        private transient ListState<HeldEvent> held;
        private transient InternalTimerService<VoidNamespace> timers;
        private transient long arrivals;

        EarlierVersion(TypeInformation<HeldEvent> heldType) {
            this.heldType = heldType;
        }

        @Override
        public void open() throws Exception {
            super.open();
            held =
                    getPartitionedState(
                            new ListStateDescriptor<>(EventTimeOrder.HELD_STATE, heldType));
            timers =
                    getInternalTimerService(
                            "event-time-order", VoidNamespaceSerializer.INSTANCE, this);
        }

        @Override
        public void processElement(StreamRecord<VisitorEvent> record) throws Exception {
            long t = record.getTimestamp();
            held.add(new HeldEvent(t, arrivals++, record.getValue()));
            timers.registerEventTimeTimer(
                    VoidNamespace.INSTANCE, t - OUT_OF_ORDERNESS.toMillis() - 1);
        }

        @Override
        public void onEventTime(InternalTimer<Object, VoidNamespace> timer) {}

        @Override
        public void onProcessingTime(InternalTimer<Object, VoidNamespace> timer) {}
    }

    @Test
    void eventsHeldWithTimersByAnEarlierVersionLeaveOnceEachInOrder() throws Exception {
        ShopEvent order = ordered("cust-1", "s1", "o-1", min(9), line("i1", "c1", 1, 9.0));
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(8));
        ShopEvent other = viewed("anon-2", "s2", "i2", "c1", min(8).plusSeconds(40));
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, VisitorEvent, VisitorEvent> old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new EarlierVersion(TypeInformation.of(HeldEvent.class)),
                        VisitorEvent::getVisitorKey,
                        Types.STRING)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            old.processWatermark(watermarkFor(min(0)));
            for (ShopEvent e : List.of(order, view, other)) {
                String visitor = e.getCustomerId() != null ? e.getCustomerId() : e.getAnonymousId();
                old.processElement(VisitorEvent.live(visitor, e), e.eventTimeMillis());
            }
            assertThat(old.numEventTimeTimers()).isEqualTo(3);
            snapshot = old.snapshot(1L, 1L);
        }

        releaseStep = Duration.ofMinutes(1);
        open(snapshot, MONTH_LATER);
        assertThat(operator.heldEvents()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).as("the earlier version's timers").isEqualTo(3);
        ShopEvent afterRestore = viewed("cust-1", "s1", "i3", "c1", min(8).plusSeconds(30));
        send(afterRestore);
        assertThat(out()).isEmpty();

        // The view leaves; the event after the restore waits for the end of its step.
        watermark(watermarkFor(min(8).plusSeconds(30)));
        assertThat(out()).containsExactly(view.getEventId());
        // The other visitor's timer fires before the end of its step: nothing leaves early.
        watermark(watermarkFor(min(8).plusSeconds(45)));
        assertThat(out()).containsExactly(view.getEventId());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        watermark(watermarkFor(min(9)));
        assertThat(out())
                .containsExactly(
                        view.getEventId(),
                        afterRestore.getEventId(),
                        other.getEventId(),
                        order.getEventId());
        assertThat(harness.numEventTimeTimers()).isZero();
        assertNothingWaits();
    }

    @Test
    void eventsHeldBeforeTheirOwnSerializerAreMigratedAndLeaveInOrder() throws Exception {
        assertThat(POJO_HELD.createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(PojoSerializer.class);
        ShopEvent order = ordered("cust-1", "s1", "o-1", min(9), line("i1", "c1", 1, 9.0));
        ShopEvent view = viewed("cust-1", "s1", "i1", "c1", min(8));
        ShopEvent other = viewed("anon-2", "s2", "i2", "c1", min(9));
        OperatorSubtaskState savepoint;
        try (KeyedOneInputStreamOperatorTestHarness<String, VisitorEvent, VisitorEvent> old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new EarlierVersion(POJO_HELD), VisitorEvent::getVisitorKey, Types.STRING)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            old.processWatermark(watermarkFor(min(0)));
            for (ShopEvent e : List.of(order, view, other)) {
                String visitor = e.getCustomerId() != null ? e.getCustomerId() : e.getAnonymousId();
                old.processElement(VisitorEvent.live(visitor, e), e.eventTimeMillis());
            }
            assertThat(old.extractOutputValues()).isEmpty();
            savepoint = old.snapshot(1L, 1L);
        }

        open(savepoint, MONTH_LATER);
        assertThat(operator.heldEvents()).isEqualTo(3);
        ShopEvent afterRestore = viewed("cust-1", "s1", "i3", "c1", min(9));
        send(afterRestore);
        watermark(watermarkFor(min(10)));
        assertThat(out())
                .containsExactly(
                        view.getEventId(),
                        order.getEventId(),
                        other.getEventId(),
                        afterRestore.getEventId());
        assertThat(harness.extractOutputValues().get(1).left().getEvent())
                .usingRecursiveComparison()
                .isEqualTo(order);
        assertNothingWaits();
    }
}
