package io.shopkeeper.jobs.ordering;

import io.shopkeeper.jobs.types.WritesBack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Either;
import org.apache.flink.util.OutputTag;

/**
 * Runs a {@link KeyedBroadcastProcessFunction} as a one-input keyed operator over {@code
 * Either<event, broadcast element>}, so it chains to an operator that passes the broadcast input
 * through ({@link EventTimeOrder}) instead of being a two-input task of its own that every event
 * crosses the network to reach. The function sees what Flink's own keyed broadcast operator gives
 * it: {@code processElement} with read-only broadcast state and the key's timers for a {@link
 * Either#Left}, {@code processBroadcastElement} with writable broadcast state and {@code
 * applyToKeyedState} (every key of the subtask) for a {@link Either#Right}, {@code onTimer}.
 *
 * <p>Its state is that operator's, under the same names: the function's keyed state, the broadcast
 * states of {@code broadcastStates} (operator state), the timers ({@value #TIMERS}). So a savepoint
 * taken while the function ran as {@code keyed.connect(broadcast).process(function)} restores into
 * it under the same uid.
 *
 * <p>The broadcast input must reach every subtask (the operator in front receives it broadcast and
 * passes it on to its own subtask); a broadcast element has no key ({@link
 * #setKeyContextElement1}).
 *
 * <p>A function that keeps keyed state on the heap between checkpoints ({@link WritesBack}) gets
 * the operator's key context and writes that state back before every checkpoint barrier and at the
 * end of input, so a checkpoint or savepoint holds exactly what the function holds.
 */
public class KeyedBroadcastOperator<KS, IN1, IN2, OUT>
        extends AbstractUdfStreamOperator<OUT, KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT>>
        implements OneInputStreamOperator<Either<IN1, IN2>, OUT>, Triggerable<KS, VoidNamespace> {
    /** The timer service's name, as in Flink's keyed operators. */
    static final String TIMERS = "user-timers";

    private final List<MapStateDescriptor<?, ?>> broadcastStateDescriptors;

    private transient TimestampedCollector<OUT> collector;
    private transient Map<MapStateDescriptor<?, ?>, BroadcastState<?, ?>> broadcastStates;
    private transient TimerService timerService;
    private transient ReadWrite readWrite;
    private transient ReadOnly readOnly;
    private transient OnTimer onTimer;

    public KeyedBroadcastOperator(
            KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT> function,
            List<MapStateDescriptor<?, ?>> broadcastStateDescriptors) {
        super(function);
        this.broadcastStateDescriptors = List.copyOf(broadcastStateDescriptors);
    }

    /**
     * The key of an input element: the event's by {@code eventKey}; {@code broadcastKey} for a
     * broadcast element, which is never made the current key ({@link #setKeyContextElement1}).
     */
    public static <A, B, K> KeySelector<Either<A, B>, K> keyOf(
            KeySelector<A, K> eventKey, K broadcastKey) {
        return element -> element.isLeft() ? eventKey.getKey(element.left()) : broadcastKey;
    }

    @Override
    public void open() throws Exception {
        super.open();
        timerService =
                new SimpleTimerService(
                        getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this));
        collector = new TimestampedCollector<>(output);
        broadcastStates = new HashMap<>(broadcastStateDescriptors.size());
        for (MapStateDescriptor<?, ?> descriptor : broadcastStateDescriptors)
            broadcastStates.put(
                    descriptor, getOperatorStateBackend().getBroadcastState(descriptor));
        readWrite = new ReadWrite(userFunction);
        readOnly = new ReadOnly(userFunction);
        onTimer = new OnTimer(userFunction);
        WritesBack.open(userFunction, this);
    }

    /** Heap state goes to the keyed state before the barrier: the checkpoint holds it. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        WritesBack.flush(userFunction, getProcessingTimeService());
    }

    @Override
    public void finish() throws Exception {
        WritesBack.flush(userFunction, getProcessingTimeService());
        super.finish();
    }

    /**
     * A broadcast element belongs to no key: it reaches every subtask, and a key of its own would
     * fall outside most subtasks' key groups. It leaves the current key as it was; its function
     * reaches keyed state only through {@code applyToKeyedState}, which sets each key itself.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public void setKeyContextElement1(StreamRecord record) throws Exception {
        if (((Either<?, ?>) record.getValue()).isLeft()) super.setKeyContextElement1(record);
    }

    @Override
    public void processElement(StreamRecord<Either<IN1, IN2>> element) throws Exception {
        collector.setTimestamp(element);
        Either<IN1, IN2> value = element.getValue();
        if (value.isLeft()) {
            readOnly.element = element;
            userFunction.processElement(value.left(), readOnly, collector);
            readOnly.element = null;
        } else {
            readWrite.element = element;
            userFunction.processBroadcastElement(value.right(), readWrite, collector);
            readWrite.element = null;
        }
    }

    @Override
    public void onEventTime(InternalTimer<KS, VoidNamespace> timer) throws Exception {
        fire(timer, TimeDomain.EVENT_TIME);
    }

    @Override
    public void onProcessingTime(InternalTimer<KS, VoidNamespace> timer) throws Exception {
        fire(timer, TimeDomain.PROCESSING_TIME);
    }

    private void fire(InternalTimer<KS, VoidNamespace> timer, TimeDomain domain) throws Exception {
        collector.setAbsoluteTimestamp(timer.getTimestamp());
        onTimer.timer = timer;
        onTimer.domain = domain;
        userFunction.onTimer(timer.getTimestamp(), onTimer, collector);
        onTimer.timer = null;
    }

    @SuppressWarnings("unchecked")
    private <K, V> BroadcastState<K, V> broadcastState(MapStateDescriptor<K, V> descriptor) {
        BroadcastState<K, V> state = (BroadcastState<K, V>) broadcastStates.get(descriptor);
        if (state == null)
            throw new IllegalArgumentException(
                    "broadcast state " + descriptor.getName() + " was not declared");
        return state;
    }

    private <X> void sideOutput(OutputTag<X> tag, X value, Long timestamp) {
        if (tag == null) throw new IllegalArgumentException("OutputTag must not be null.");
        output.collect(
                tag,
                timestamp == null
                        ? new StreamRecord<>(value)
                        : new StreamRecord<>(value, timestamp));
    }

    private static Long timestampOf(StreamRecord<?> element) {
        return element != null && element.hasTimestamp() ? element.getTimestamp() : null;
    }

    /** For a broadcast element. */
    private final class ReadWrite extends KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT>.Context {
        private StreamRecord<?> element;

        ReadWrite(KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT> function) {
            function.super();
        }

        @Override
        public Long timestamp() {
            return timestampOf(element);
        }

        @Override
        public <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return broadcastState(descriptor);
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value, timestamp());
        }

        @Override
        public long currentProcessingTime() {
            return timerService.currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return timerService.currentWatermark();
        }

        @Override
        public <VS, S extends State> void applyToKeyedState(
                StateDescriptor<S, VS> descriptor, KeyedStateFunction<KS, S> function)
                throws Exception {
            KeyedBroadcastOperator.this
                    .<KS>getKeyedStateBackend()
                    .applyToAllKeys(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            descriptor,
                            function);
        }
    }

    /** For an event of a key. */
    private final class ReadOnly
            extends KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT>.ReadOnlyContext {
        private StreamRecord<?> element;

        ReadOnly(KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT> function) {
            function.super();
        }

        @Override
        public Long timestamp() {
            return timestampOf(element);
        }

        @Override
        public TimerService timerService() {
            return timerService;
        }

        @Override
        public long currentProcessingTime() {
            return timerService.currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return timerService.currentWatermark();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value, timestamp());
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(
                MapStateDescriptor<K, V> descriptor) {
            return broadcastState(descriptor);
        }

        @Override
        @SuppressWarnings("unchecked")
        public KS getCurrentKey() {
            return (KS) KeyedBroadcastOperator.this.getCurrentKey();
        }
    }

    /** For a timer of a key. */
    private final class OnTimer
            extends KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT>.OnTimerContext {
        private InternalTimer<KS, VoidNamespace> timer;
        private TimeDomain domain;

        OnTimer(KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT> function) {
            function.super();
        }

        @Override
        public Long timestamp() {
            return timer.getTimestamp();
        }

        @Override
        public TimeDomain timeDomain() {
            return domain;
        }

        @Override
        public TimerService timerService() {
            return timerService;
        }

        @Override
        public long currentProcessingTime() {
            return timerService.currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return timerService.currentWatermark();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            sideOutput(tag, value, timer.getTimestamp());
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(
                MapStateDescriptor<K, V> descriptor) {
            return broadcastState(descriptor);
        }

        @Override
        public KS getCurrentKey() {
            return timer.getKey();
        }
    }
}
