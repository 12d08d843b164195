package io.shopkeeper.jobs.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sink V2 for jobs on a MiniCluster in this JVM: every record, in arrival order, is turned into a
 * value by {@code copy} (take what the test needs right away: the job reuses objects) and appended
 * to a static queue named {@code bucket}. With parallelism 1 the queue holds the records in the
 * order the sink received them.
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final Map<String, Queue<Object>> BUCKETS = new ConcurrentHashMap<>();

    private final String bucket;
    private final SerializableFunction<T, ?> copy;

    /** A function Flink can ship with the sink; returns null to drop a record. */
    public interface SerializableFunction<A, B> extends Function<A, B>, java.io.Serializable {}

    public CollectingSink(String bucket, SerializableFunction<T, ?> copy) {
        this.bucket = bucket;
        this.copy = copy;
        BUCKETS.computeIfAbsent(bucket, b -> new ConcurrentLinkedQueue<>());
    }

    /** Empties the bucket (call before running a job that writes into it). */
    public static void clear(String bucket) {
        BUCKETS.computeIfAbsent(bucket, b -> new ConcurrentLinkedQueue<>()).clear();
    }

    /** What the sinks named {@code bucket} collected so far, in arrival order. */
    @SuppressWarnings("unchecked")
    public static <V> List<V> collected(String bucket) {
        return new ArrayList<>(
                (Queue<V>) (Queue<?>) BUCKETS.getOrDefault(bucket, new ConcurrentLinkedQueue<>()));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Queue<Object> queue = BUCKETS.computeIfAbsent(bucket, b -> new ConcurrentLinkedQueue<>());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                Object value = copy.apply(element);
                if (value != null) queue.add(value);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
