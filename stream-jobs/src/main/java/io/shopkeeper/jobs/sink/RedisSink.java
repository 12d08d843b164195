package io.shopkeeper.jobs.sink;

import io.shopkeeper.schemas.ListVersion;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.redis.NodePipelines;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@code flushBatch} keys, every {@code flushInterval} of processing time, and on every checkpoint,
 * so a completed checkpoint implies its effects are in Redis (at-least-once; every write is a
 * whole-value SET, so replaying after a failure converges to the same state). Only the {@link
 * RedisKeys#EVENTS_APPLIED} progress counter may over-count after a replay: each flush adds the
 * visitor events its writes carry ({@link RedisWrite#getEventsApplied()}, counter-only {@link
 * RedisWrite.Operation#COUNT} writes included), so it runs ahead of the last completed checkpoint,
 * and a restart from that checkpoint counts the events after it again.
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
    private final Duration flushInterval;
    private final int flushBatch;
    private final Duration retryFor;

    /**
     * A failed flush is retried with exponential backoff (100 ms doubling, at most {@link
     * Writer#MAX_BACKOFF} apart) for up to {@code retryFor}, so a Redis restart or a short outage
     * only holds the job back (backpressure); a longer one fails the task, and the job restarts
     * from its last checkpoint, losing nothing either way.
     */
    public RedisSink(
            RedisEndpoint endpoint, Duration flushInterval, int flushBatch, Duration retryFor) {
        this.endpoint = endpoint;
        this.flushInterval = flushInterval;
        this.flushBatch = flushBatch;
        this.retryFor = retryFor;
    }

    @Override
    public SinkWriter<RedisWrite> createWriter(WriterInitContext context) {
        return new Writer(
                ShopRedis.connect(endpoint, ShopRedis.ClientSettings.defaults("shopkeeper-job")),
                context.getProcessingTimeService(),
                flushInterval.toMillis(),
                flushBatch,
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
        private final long flushIntervalMillis;
        private final int flushBatch;
        private final long retryForNanos;
        private final Counter keysWritten;
        private final Counter retries;
        private final Map<String, RedisWrite> buffer = new LinkedHashMap<>();
        private final List<RedisWrite> operations = new ArrayList<>();
        private long eventsApplied;
        private boolean timerPending;

        Writer(
                ShopRedis redis,
                ProcessingTimeService timers,
                long flushIntervalMillis,
                int flushBatch,
                Duration retryFor,
                Counter keysWritten,
                Counter retries) {
            this.redis = redis;
            this.timers = timers;
            this.flushIntervalMillis = flushIntervalMillis;
            this.flushBatch = flushBatch;
            this.retryForNanos = retryFor.toNanos();
            this.keysWritten = keysWritten;
            this.retries = retries;
        }

        @Override
        public void write(RedisWrite write, Context context) throws IOException {
            if (write.isValueWrite()) buffer.put(write.getKey(), write);
            else if (write.getOperation() != RedisWrite.Operation.COUNT) operations.add(write);
            eventsApplied += write.getEventsApplied();
            if (buffer.size() + operations.size() >= flushBatch) {
                flushBuffer();
            } else if (!timerPending) {
                timerPending = true;
                timers.registerTimer(
                        timers.getCurrentProcessingTime() + flushIntervalMillis,
                        time -> {
                            timerPending = false;
                            flushBuffer();
                        });
            }
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
