package io.shopkeeper.schemas.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Pipelined commands on keys anywhere: {@link #forKey} is the pipeline of the node serving the key
 * (on one server, always the same one, so this is exactly one Redis pipeline). {@link #sync()}
 * sends every node's commands and reads the replies, the nodes in parallel, so a batch costs one
 * round trip whatever number of nodes it touches.
 *
 * <p>Contract: a node that cannot be reached makes {@link #sync()} throw (after asking a cluster
 * for its slot map again); an error reply (a slot that moved, out of memory, a wrong type) is
 * thrown by its {@code Response.get()}, or by {@link #syncAndCheck()} for writers that ignore
 * replies.
 */
public final class NodePipelines implements AutoCloseable {
    private final ShopRedis redis;
    private final Pipeline single;
    private final Map<HostAndPort, Pipeline> byNode;

    NodePipelines(ShopRedis redis) {
        this.redis = redis;
        this.single = redis.isCluster() ? null : ((JedisPooled) redis.commands()).pipelined();
        this.byNode = redis.isCluster() ? new LinkedHashMap<>() : Map.of();
    }

    /** The pipeline of the node serving {@code key}: queue commands on {@code key} there. */
    public PipelineBase forKey(String key) {
        if (single != null) return single;
        try {
            HostAndPort node = redis.nodeOf(key);
            Pipeline pipeline = byNode.get(node);
            if (pipeline == null) {
                pipeline = new Pipeline(redis.connection(node), true);
                byNode.put(node, pipeline);
            }
            return pipeline;
        } catch (JedisException e) {
            redis.topologyMayHaveChanged();
            throw e;
        }
    }

    /**
     * Queues, on every node written so far, {@code WAIT replicas timeout}: its reply comes once
     * that many replicas have the node's writes, or after the timeout. Only on a cluster (one
     * server has no replica here: a WAIT there would always take the whole timeout).
     *
     * <p>A master without a replica (one just promoted, its old master gone) answers only after the
     * whole {@code timeout}, so it must stay well under the socket timeout (at most half of it), or
     * the reply would race the timeout and the write count as failed though it was done.
     */
    public void awaitReplicas(int replicas, Duration timeout) {
        if (timeout.multipliedBy(2).compareTo(redis.socketTimeout()) > 0) {
            throw new IllegalArgumentException(
                    "a replica wait of "
                            + timeout.toMillis()
                            + " ms needs a socket timeout of at least twice that, not "
                            + redis.socketTimeout().toMillis()
                            + " ms");
        }
        for (Pipeline pipeline : byNode.values())
            pipeline.waitReplicas(replicas, timeout.toMillis());
    }

    /** Sends every queued command and reads every reply; replies are then in their Responses. */
    public void sync() {
        run(false);
    }

    /** As {@link #sync()}, then throws the first error reply, if any. */
    public void syncAndCheck() {
        run(true);
    }

    private void run(boolean check) {
        if (single != null) {
            if (check) throwFirstError(single.syncAndReturnAll());
            else single.sync();
            return;
        }
        try {
            List<Pipeline> pipelines = new ArrayList<>(byNode.values());
            if (pipelines.isEmpty()) return;
            // Every node but the first on the pool's threads, the first on this one: the round
            // trips overlap.
            List<Future<List<Object>>> others = new ArrayList<>(pipelines.size() - 1);
            for (Pipeline pipeline : pipelines.subList(1, pipelines.size())) {
                others.add(redis.nodeReads().submit(() -> replies(pipeline, check)));
            }
            JedisException failure = null;
            try {
                List<Object> first = replies(pipelines.get(0), check);
                if (check) throwFirstError(first);
            } catch (JedisException e) {
                failure = e;
            }
            for (Future<List<Object>> other : others) {
                try {
                    List<Object> replies = other.get();
                    if (check && failure == null) throwFirstError(replies);
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure =
                                e.getCause() instanceof JedisException jedis
                                        ? jedis
                                        : new JedisException(e.getCause());
                    }
                } catch (JedisException e) {
                    if (failure == null) failure = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JedisException("interrupted while reading from Redis", e);
                }
            }
            if (failure != null) throw failure;
        } catch (JedisException e) {
            redis.topologyMayHaveChanged();
            throw e;
        }
    }

    private static List<Object> replies(Pipeline pipeline, boolean check) {
        if (check) return pipeline.syncAndReturnAll();
        pipeline.sync();
        return List.of();
    }

    private static void throwFirstError(List<Object> replies) {
        for (Object reply : replies) {
            if (reply instanceof JedisDataException error) throw error;
        }
    }

    /** Returns the connections (replies not yet read are read first). */
    @Override
    public void close() {
        RuntimeException failure = null;
        List<Pipeline> all = single != null ? List.of(single) : List.copyOf(byNode.values());
        for (Pipeline pipeline : all) {
            try {
                pipeline.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        if (failure != null) throw failure;
    }
}
