package io.shopkeeper.jobs.ingest;

import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes valid events on and sends rejected records to the {@link #DEAD_LETTERS} side output. */
public class SplitDeadLetters extends ProcessFunction<DecodedRecord, ShopEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<ShopEvent> out) {
        if (record.getEvent() != null) {
            out.collect(record.getEvent());
        } else {
            ctx.output(DEAD_LETTERS, record.getDeadLetter());
        }
    }
}
