package io.shopkeeper.jobs.sink;

import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * Publish at most once per interval after a change, per key: the first change after a publication
 * marks one pending in keyed state and registers a processing-time timer {@code interval} ahead
 * (both checkpointed), so a burst of changes costs one write. The operator publishes when the timer
 * fires and calls {@link #published()} first.
 */
public final class PublishAfterChange {
    private final long intervalMillis;
    private final ValueState<Boolean> pending;

    /** {@code pending}: the operator's own flag state (its name is part of its savepoints). */
    public PublishAfterChange(Duration interval, ValueState<Boolean> pending) {
        this.intervalMillis = interval.toMillis();
        this.pending = pending;
    }

    /** After a change of the current key: schedules its publication unless one is pending. */
    public void changed(TimerService timers) throws Exception {
        if (pending.value() != null) return;
        pending.update(true);
        timers.registerProcessingTimeTimer(timers.currentProcessingTime() + intervalMillis);
    }

    /** When the publication timer fired: the next change schedules the next publication. */
    public void published() {
        pending.clear();
    }
}
