package io.shopkeeper.jobs.sink;

import io.shopkeeper.jobs.ordering.Backlog;
import io.shopkeeper.schemas.ListVersion;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.redis.NodePipelines;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;

/**
 * Writes {@link RedisWrite}s to Redis in pipelined batches.
 *
 * <p>Contract: writes are buffered per key (last write wins) and flushed when the buffer reaches
 * {@code batch} keys, every {@code interval} of processing time, and on every checkpoint ({@link
 * Batching}; in a backlog its larger backlog figures), so a completed checkpoint implies its
 * effects are in Redis (at-least-once; every write is a whole-value SET, so replaying after a
 * failure converges to the same state). Only the {@link RedisKeys#EVENTS_APPLIED} progress counter
 * may over-count after a replay: each flush adds the visitor events its writes carry ({@link
 * RedisWrite#getEventsApplied()}, counter-only {@link RedisWrite.Operation#COUNT} writes included),
 * so it runs ahead of the last completed checkpoint, and a restart from that checkpoint counts the
 * events after it again.
 *
 * <p>A shared list (trending, similar items, bought together) is written with its {@link
 * ListVersion} at {@link RedisKeys#listVersion} in the same flush, and deleted with it: the API
 * reads the version instead of the list, and re-reads the list when the version moved.
 *
 * <p>On a Redis Cluster ({@link RedisEndpoint#isCluster()}) a flush is one pipeline per master (the
 * keys of one flush live in different hash slots), and ends with {@code WAIT} for the master's
 * replica (at most {@link Writer#REPLICA_WAIT}), so what a completed flush wrote survives the loss
 * of its master: its replica, which takes over, has it. A master without a replica (after a
 * failover, until the old master is back as its replica) is written without that guarantee.
 */
public class RedisSink implements Sink<RedisWrite> {
    private final RedisEndpoint endpoint;
    private final Batching batching;
    private final Duration retryFor;

    /**
     * When the writer flushes: after {@code interval} of processing time or at {@code batch} keys
     * live, after {@code backlogInterval} or at {@code backlogBatch} keys in a backlog (the
     * writer's watermark more than {@code backlogLag} behind the wall clock, {@link Backlog}).
     *
     * <p>Why a backlog flushes less often: there the job runs many times faster than event time, so
     * a visitor's next event arrives within a second or two of processing time and its profile
     * overwrites the one buffered before it. Every write flushed is a document encoded and a SET
     * Redis applies; one flush per second instead of per 50 ms keeps only the last of a visitor's
     * writes of that second. The cost is freshness in a backlog only (a write waits up to {@code
     * backlogInterval}), and heap: up to {@code backlogBatch} buffered writes per sink subtask.
     */
    public record Batching(
            Duration interval,
            int batch,
            Duration backlogInterval,
            int backlogBatch,
            Duration backlogLag)
            implements Serializable {
        public Batching {
            if (batch < 1 || backlogBatch < 1)
                throw new IllegalArgumentException("a flush batch must be at least 1 key");
            if (interval.isNegative() || backlogInterval.isNegative() || backlogLag.isNegative())
                throw new IllegalArgumentException("flush intervals cannot be negative");
        }

        /** The same interval and batch live and in a backlog. */
        public static Batching always(Duration interval, int batch) {
            return new Batching(interval, batch, interval, batch, Duration.ZERO);
        }
    }

    /**
     * A failed flush is retried with exponential backoff (100 ms doubling, at most {@link
     * Writer#MAX_BACKOFF} apart) for up to {@code retryFor}, so a Redis restart or a short outage
     * only holds the job back (backpressure); a longer one fails the task, and the job restarts
     * from its last checkpoint, losing nothing either way.
     */
    public RedisSink(RedisEndpoint endpoint, Batching batching, Duration retryFor) {
        this.endpoint = endpoint;
        this.batching = batching;
        this.retryFor = retryFor;
    }

    @Override
    public SinkWriter<RedisWrite> createWriter(WriterInitContext context) {
        return new Writer(
                ShopRedis.connect(endpoint, ShopRedis.ClientSettings.defaults("shopkeeper-job")),
                context.getProcessingTimeService(),
                batching,
                retryFor,
                context.metricGroup().getIOMetricGroup().getNumRecordsOutCounter(),
                context.metricGroup().counter("redisWriteRetries"));
    }

    static final class Writer implements SinkWriter<RedisWrite> {
        private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
        static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

        /** Longest a cluster flush waits for each master's replica to confirm the writes. */
        static final Duration REPLICA_WAIT = Duration.ofMillis(100);

        private static final XAddParams STREAM_CAP =
                XAddParams.xAddParams()
                        .maxLen(RedisKeys.CATALOG_CHANGES_KEPT)
                        .approximateTrimming();

        private final ShopRedis redis;
        private final ProcessingTimeService timers;
        private final long intervalMillis;
        private final int batch;
        private final long backlogIntervalMillis;
        private final int backlogBatch;
        private final long backlogLagMillis;
        private final long retryForNanos;
        private final Counter keysWritten;
        private final Counter retries;
        private final Map<String, RedisWrite> buffer = new LinkedHashMap<>();
        private final List<RedisWrite> operations = new ArrayList<>();
        private long eventsApplied;

        /** The writer's input watermark (before the first: behind, a backlog). */
        private long watermark = Long.MIN_VALUE;

        /** When the pending flush timer fires; MAX_VALUE: none pending. */
        private long flushDueAt = Long.MAX_VALUE;

        Writer(
                ShopRedis redis,
                ProcessingTimeService timers,
                Batching batching,
                Duration retryFor,
                Counter keysWritten,
                Counter retries) {
            this.redis = redis;
            this.timers = timers;
            this.intervalMillis = batching.interval().toMillis();
            this.batch = batching.batch();
            this.backlogIntervalMillis = batching.backlogInterval().toMillis();
            this.backlogBatch = batching.backlogBatch();
            this.backlogLagMillis = batching.backlogLag().toMillis();
            this.retryForNanos = retryFor.toNanos();
            this.keysWritten = keysWritten;
            this.retries = retries;
        }

        @Override
        public void write(RedisWrite write, Context context) throws IOException {
            if (write.isValueWrite()) buffer.put(write.getKey(), write);
            else if (write.getOperation() != RedisWrite.Operation.COUNT) operations.add(write);
            eventsApplied += write.getEventsApplied();
            int buffered = buffer.size() + operations.size();
            if (buffered >= batch && buffered >= backlogBatch) {
                flushBuffer();
                return;
            }
            long now = timers.getCurrentProcessingTime();
            boolean backlog = Backlog.isBacklog(watermark, now, backlogLagMillis);
            if (buffered >= (backlog ? backlogBatch : batch)) {
                flushBuffer();
                return;
            }
            // A write flushes within its mode's interval: a new timer only when the pending one is
            // due later than that (leaving a backlog); a superseded timer fires and does nothing.
            long due = now + (backlog ? backlogIntervalMillis : intervalMillis);
            if (due < flushDueAt) {
                flushDueAt = due;
                timers.registerTimer(
                        due,
                        time -> {
                            if (due != flushDueAt) return;
                            flushDueAt = Long.MAX_VALUE;
                            flushBuffer();
                        });
            }
        }

        @Override
        public void writeWatermark(Watermark mark) {
            watermark = mark.getTimestamp();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            flushBuffer();
        }

        private void flushBuffer() throws IOException {
            if (buffer.isEmpty() && operations.isEmpty() && eventsApplied == 0) return;
            long firstFailure = 0;
            for (int attempt = 1; ; attempt++) {
                try (NodePipelines pipelines = redis.pipelines()) {
                    for (Map.Entry<String, RedisWrite> e : buffer.entrySet()) {
                        String key = e.getKey();
                        String value = e.getValue().storedValue();
                        if (value == null) pipelines.forKey(key).del(key);
                        else pipelines.forKey(key).set(key, value);
                        String version = RedisKeys.listVersion(key);
                        if (version == null) continue;
                        if (value == null) pipelines.forKey(version).del(version);
                        else pipelines.forKey(version).set(version, ListVersion.of(value));
                    }
                    for (RedisWrite op : operations) {
                        String key = op.getKey();
                        PipelineBase pipeline = pipelines.forKey(key);
                        switch (op.getOperation()) {
                            case SET_ADD -> pipeline.sadd(key, op.getMember());
                            case SET_REMOVE -> pipeline.srem(key, op.getMember());
                            case HASH_PUT -> pipeline.hset(key, op.getMember(), op.storedValue());
                            case SORTED_ADD -> {
                                pipeline.zadd(key, op.getScore(), op.getMember());
                                pipeline.zremrangeByRank(key, 0, -op.getKeep() - 1L);
                            }
                            case EXPIRE_AT -> pipeline.pexpireAt(key, op.getExpireAt());
                            case DELETE -> pipeline.del(key);
                            case STREAM_ADD ->
                                    pipeline.xadd(key, STREAM_CAP, Map.of("item", op.getMember()));
                            case VALUE, COUNT ->
                                    throw new IllegalStateException(
                                            "value writes are buffered by key, counts summed");
                        }
                    }
                    if (eventsApplied > 0) {
                        pipelines
                                .forKey(RedisKeys.EVENTS_APPLIED)
                                .incrBy(RedisKeys.EVENTS_APPLIED, eventsApplied);
                    }
                    if (redis.isCluster()) pipelines.awaitReplicas(1, REPLICA_WAIT);
                    pipelines.syncAndCheck();
                    keysWritten.inc(buffer.size() + operations.size());
                    buffer.clear();
                    operations.clear();
                    eventsApplied = 0;
                    return;
                } catch (JedisException e) {
                    long now = System.nanoTime();
                    if (firstFailure == 0) firstFailure = now;
                    long backoff = Math.min(100L << Math.min(attempt, 10), MAX_BACKOFF.toMillis());
                    if (now - firstFailure + backoff * 1_000_000L > retryForNanos) {
                        throw new IOException(
                                "Redis write failed for "
                                        + (now - firstFailure) / 1_000_000
                                        + " ms ("
                                        + attempt
                                        + " attempts)",
                                e);
                    }
                    retries.inc();
                    LOG.warn(
                            "Redis write failed (attempt {}), retrying in {} ms: {}",
                            attempt,
                            backoff,
                            e.getMessage());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while retrying a Redis write", ie);
                    }
                }
            }
        }

        @Override
        public void close() {
            redis.close();
        }
    }
}
