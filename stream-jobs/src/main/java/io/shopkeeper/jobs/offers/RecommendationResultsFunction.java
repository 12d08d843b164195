package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.RedisKeys;
import java.time.Duration;
import java.time.LocalDate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-day recommendation counters, keyed by counter ({@link RecommendationDelta#counter()}):
 * the sum lives in state and every change writes its whole value ({@code HSET
 * sk:recommendation-results:{day} field value}), never an increment, so a replay after a failure
 * writes the same values again (as {@link CampaignResultsFunction} does for campaigns). A counter's
 * state is dropped by an event-time timer {@code keepFor} after its day ends, when no event of that
 * day can arrive any more (the job refuses events older than its maximum event age); its Redis
 * value stays.
 */
public class RecommendationResultsFunction
        extends KeyedProcessFunction<String, RecommendationDelta, RedisWrite> {
    private final long keepFor;
    private transient ValueState<Double> sum;

    /** {@code keepFor}: at least the job's maximum event age. */
    public RecommendationResultsFunction(Duration keepFor) {
        this.keepFor =
                keepFor.compareTo(Duration.ofDays(365L * 1000)) > 0
                        ? Long.MAX_VALUE / 2
                        : keepFor.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        sum =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>("recommendation-counter", Types.DOUBLE));
    }

    @Override
    public void processElement(RecommendationDelta delta, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        Double before = sum.value();
        if (before == null) {
            long dayEnd = LocalDate.parse(delta.getDay()).plusDays(1).toEpochDay() * 86_400_000L;
            ctx.timerService()
                    .registerEventTimeTimer(Math.min(dayEnd + keepFor, Long.MAX_VALUE / 2));
        }
        double value = (before == null ? 0 : before) + delta.getAmount();
        sum.update(value);
        out.collect(
                RedisWrite.hashPutText(
                        RedisKeys.recommendationResults(delta.getDay()),
                        delta.getField(),
                        CampaignResultsFunction.format(value)));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RedisWrite> out) {
        sum.clear();
    }
}
