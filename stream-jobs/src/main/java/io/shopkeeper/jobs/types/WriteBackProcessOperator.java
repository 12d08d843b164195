package io.shopkeeper.jobs.types;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Flink's keyed one-input operator for a {@link KeyedProcessFunction}, which also gives a function
 * that {@link WritesBack} its key context once opened and asks it to write its heap state back
 * before every checkpoint barrier and at the end of input ({@link WritesBack#open}, {@link
 * WritesBack#flush}). Its state is that operator's (the function's keyed state, the timers), so a
 * savepoint taken while the function ran as {@code keyed.process(function)} restores into it under
 * the same uid.
 */
public class WriteBackProcessOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
    private static final long serialVersionUID = 1L;

    public WriteBackProcessOperator(KeyedProcessFunction<K, IN, OUT> function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        WritesBack.open(userFunction, this);
    }

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
