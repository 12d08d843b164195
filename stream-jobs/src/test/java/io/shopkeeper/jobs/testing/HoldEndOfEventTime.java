package io.shopkeeper.jobs.testing;

import java.io.Serializable;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes records and watermarks on unchanged, except the final watermark a bounded source emits at
 * the end of its input ({@link Watermark#MAX_WATERMARK}, "end of event time"): that one is held
 * until {@code done} holds (or {@code timeout} passes, so a test fails on its own assertions
 * instead of hanging). The end of event time fires every event-time timer at once, e.g. every
 * anonymous visitor's expiry; holding it lets the job finish processing the input first, as a job
 * reading an unbounded topic would. Meanwhile the input is marked idle, as a Kafka source marks a
 * partition that has nothing more to read, so what waits for event time in a backlog ({@code
 * EventTimeOrder}) is released.
 */
public final class HoldEndOfEventTime<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {
    /** A condition Flink can ship with the operator. */
    public interface Condition extends BooleanSupplier, Serializable {}

    private final Condition done;
    private final Duration timeout;

    public HoldEndOfEventTime(Condition done, Duration timeout) {
        this.done = done;
        this.timeout = timeout;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Watermark.MAX_WATERMARK.getTimestamp()) {
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
            try {
                AwaitValue.until(
                        "the job to finish the input before the end of event time",
                        timeout,
                        () -> done.getAsBoolean() ? Boolean.TRUE : null);
            } catch (AssertionError timedOut) {
                // let the test report what is missing
            }
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        }
        super.processWatermark(mark);
    }
}
