package io.shopkeeper.jobs.types;

import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * A keyed function that keeps some keyed state on the heap (e.g. a {@link WriteBackCache} in front
 * of RocksDB) and writes it to its keyed state when its operator asks: before every checkpoint
 * barrier and at the end of input, so a checkpoint or savepoint holds exactly what the function
 * holds. The operators that ask: {@link io.shopkeeper.jobs.ordering.KeyedBroadcastOperator}, {@link
 * WriteBackProcessOperator} and {@link WriteBackCoProcessOperator}. Run by one of Flink's own
 * operators instead, the function never gets a key context and must write through.
 */
public interface WritesBack {
    /** Once, after the function is opened: to write the state of keys other than the current. */
    void setKeyContext(KeyContext keys);

    /**
     * Writes everything held on the heap to the keyed state at processing time {@code now}; the
     * current key is kept.
     */
    void writeBack(long now) throws Exception;

    /** For an operator, once opened: gives {@code function} its key context if it writes back. */
    static void open(Object function, KeyContext keys) {
        if (function instanceof WritesBack writesBack) writesBack.setKeyContext(keys);
    }

    /**
     * For an operator, before a barrier and at the end of input: has {@code function} write back if
     * it does.
     */
    static void flush(Object function, ProcessingTimeService time) throws Exception {
        if (function instanceof WritesBack writesBack)
            writesBack.writeBack(time.getCurrentProcessingTime());
    }
}
