package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.RedisKeys;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A campaign's result counters, keyed by campaign: the sums live in state and every change writes
 * the counter's whole value ({@code HSET sk:campaign-results:{campaign} field value}), never an
 * increment, so a replay after a failure (state and deltas both rolled back to the checkpoint)
 * writes the same values again. One small map per campaign, kept as long as the job runs.
 */
public class CampaignResultsFunction extends KeyedProcessFunction<String, ResultDelta, RedisWrite> {
    private transient MapState<String, Double> counters;

    @Override
    public void open(OpenContext openContext) {
        counters =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "campaign-counters", Types.STRING, Types.DOUBLE));
    }

    @Override
    public void processElement(ResultDelta delta, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        Double before = counters.get(delta.getField());
        double value = (before == null ? 0 : before) + delta.getAmount();
        counters.put(delta.getField(), value);
        out.collect(
                RedisWrite.hashPutText(
                        RedisKeys.campaignResults(delta.getCampaignId()),
                        delta.getField(),
                        format(value)));
    }

    /** Whole numbers as integers (counts), amounts rounded to cents. */
    static String format(double value) {
        double cents = Math.round(value * 100) / 100.0;
        return cents == Math.rint(cents) ? Long.toString((long) cents) : Double.toString(cents);
    }
}
