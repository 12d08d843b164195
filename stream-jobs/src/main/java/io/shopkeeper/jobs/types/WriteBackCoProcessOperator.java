package io.shopkeeper.jobs.types;

import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Flink's keyed two-input operator for a {@link KeyedCoProcessFunction}, which also gives a
 * function that {@link WritesBack} its key context once opened and asks it to write its heap state
 * back before every checkpoint barrier and at the end of input ({@link WritesBack#open}, {@link
 * WritesBack#flush}). Its state is that operator's (the function's keyed state, the timers), so a
 * savepoint taken while the function ran as {@code connected.keyBy(...).process(function)} restores
 * into it under the same uid.
 */
public class WriteBackCoProcessOperator<K, IN1, IN2, OUT>
        extends KeyedCoProcessOperator<K, IN1, IN2, OUT> {
    private static final long serialVersionUID = 1L;

    public WriteBackCoProcessOperator(KeyedCoProcessFunction<K, IN1, IN2, OUT> function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
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
}
