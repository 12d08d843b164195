package io.shopkeeper.jobs.ingest;

import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid events on and sends rejected records to the {@link #DEAD_LETTERS} side output,
 * counted in the {@value #REJECTED_METRIC} metric; a rejected record of a visitor topic is also
 * done ({@link EventsDone}).
 */
public class SplitDeadLetters extends ProcessFunction<DecodedRecord, ShopEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    public static final String REJECTED_METRIC = "recordsRejected";

    private transient Counter rejected;

    @Override
    public void open(OpenContext openContext) {
        rejected = getRuntimeContext().getMetricGroup().counter(REJECTED_METRIC);
    }

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<ShopEvent> out) {
        if (record.getEvent() != null) {
            out.collect(record.getEvent());
        } else {
            rejected.inc();
            ctx.output(DEAD_LETTERS, record.getDeadLetter());
            if (Topics.VISITOR_INPUTS.contains(record.getDeadLetter().getSourceTopic()))
                ctx.output(EventsDone.TAG, EventsDone.one());
        }
    }
}
