package io.shopkeeper.jobs.census;

import io.shopkeeper.jobs.sink.PublishAfterChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.VisitorCensus;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The store's visitor census (one key for the whole store): identified customers and anonymous
 * visitors whose profiles are kept, counted as profiles are created and removed. The counts are
 * keyed state, so a restore resumes them exactly; they are published whole ({@link VisitorCensus},
 * an idempotent SET) at most once per {@code publishInterval} of processing time after a change.
 *
 * <p>Trade-off: profiles dropped by the state TTL (customers silent for {@code --profile.ttl}) are
 * removed without an update, so they stay counted; anonymous visitors expire through a timer and do
 * leave the count.
 */
public class VisitorCensusFunction extends KeyedProcessFunction<String, CensusChange, RedisWrite> {
    public static final String STORE = "store";

    private final Duration publishInterval;
    private transient ValueState<Long> customers;
    private transient ValueState<Long> anonymous;
    private transient PublishAfterChange publication;

    public VisitorCensusFunction(Duration publishInterval) {
        this.publishInterval = publishInterval;
    }

    @Override
    public void open(OpenContext openContext) {
        customers =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("census-customers", Types.LONG));
        anonymous =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("census-anonymous", Types.LONG));
        publication =
                new PublishAfterChange(
                        publishInterval,
                        getRuntimeContext()
                                .getState(
                                        new ValueStateDescriptor<>(
                                                "census-publish-pending", Types.BOOLEAN)));
    }

    @Override
    public void processElement(CensusChange change, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        ValueState<Long> count = change.isIdentified() ? customers : anonymous;
        count.update(Math.max(0, valueOf(count) + change.getDelta()));
        publication.changed(ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RedisWrite> out)
            throws Exception {
        publication.published();
        long known = valueOf(customers);
        long unknown = valueOf(anonymous);
        out.collect(
                RedisWrite.text(
                        RedisKeys.VISITOR_CENSUS,
                        EventCodec.encodeToString(
                                new VisitorCensus(known + unknown, known, unknown, timestamp))));
    }

    private static long valueOf(ValueState<Long> count) throws Exception {
        Long value = count.value();
        return value == null ? 0 : value;
    }
}
