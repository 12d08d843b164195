package io.shopkeeper.jobs.types;

import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;

/**
 * Flink's keyed broadcast operator for a {@link KeyedBroadcastProcessFunction}, which also gives a
 * function that {@link WritesBack} its key context once opened and asks it to write its heap state
 * back before every checkpoint barrier and at the end of input ({@link WritesBack#open}, {@link
 * WritesBack#flush}). Its state is that operator's (the function's keyed state, the broadcast
 * states, the timers), so a savepoint taken while the function ran as {@code
 * keyed.connect(broadcast).process(function)} restores into it under the same uid.
 */
public class WriteBackBroadcastOperator<K, IN1, IN2, OUT>
        extends CoBroadcastWithKeyedOperator<K, IN1, IN2, OUT> {
    private static final long serialVersionUID = 1L;

    public WriteBackBroadcastOperator(
            KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function,
            List<MapStateDescriptor<?, ?>> broadcastStates) {
        super(function, broadcastStates);
    }

    /**
     * {@code keyed.connect(broadcast).process(function)} with this operator instead of Flink's
     * (whose DataStream API takes no other operator there): the same two inputs, key and
     * parallelism. Set the name and uid on the result as usual.
     */
    public static <K, IN1, IN2, OUT> SingleOutputStreamOperator<OUT> process(
            KeyedStream<IN1, K> keyed,
            BroadcastStream<IN2> broadcast,
            KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function,
            TypeInformation<OUT> outType) {
        StreamExecutionEnvironment env = keyed.getExecutionEnvironment();
        TwoInputTransformation<IN1, IN2, OUT> transformation =
                new TwoInputTransformation<>(
                        keyed.getTransformation(),
                        broadcast.getTransformation(),
                        "Co-Process-Broadcast-Keyed",
                        SimpleOperatorFactory.of(
                                new WriteBackBroadcastOperator<>(
                                        env.clean(function),
                                        broadcast.getBroadcastStateDescriptors())),
                        outType,
                        env.getParallelism());
        transformation.setStateKeySelectors(keyed.getKeySelector(), null);
        transformation.setStateKeyType(keyed.getKeyType());
        env.addOperator(transformation);
        return new SingleOutputStreamOperator<>(env, transformation) {};
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
