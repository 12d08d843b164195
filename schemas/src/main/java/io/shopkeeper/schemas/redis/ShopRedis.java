package io.shopkeeper.schemas.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The one way the job and the API reach Redis, the same code for one server and a Redis Cluster
 * ({@link RedisEndpoint}). Single-key commands go through {@link #commands()} (a pooled client, or
 * a cluster client that routes each key to its slot's master and follows redirections). What
 * touches several keys goes through this class, because on a cluster the keys live in different
 * hash slots (a multi-key command would fail with CROSSSLOT):
 *
 * <ul>
 *   <li>{@link #get(String...)} (and {@link #getBytes}, undecoded): one {@code MGET} on one server;
 *       on a cluster, a pipeline of {@code GET}s per master, the masters read in parallel (one
 *       round trip each, at once).
 *   <li>{@link #pipelines()}: pipelined commands on any keys; one pipeline on one server, one per
 *       master on a cluster.
 *   <li>{@link #scan}: a whole-keyspace {@code SCAN} (on a cluster, master after master, the cursor
 *       saying which).
 * </ul>
 *
 * <p>Contract on a cluster: a failed read or write (a master gone, a slot moved) refreshes the slot
 * map (at most every {@link #TOPOLOGY_REFRESH_GAP}) and throws; the caller retries or answers
 * unavailable, and the next attempt goes to the replica that took over once the cluster promoted
 * it.
 */
public final class ShopRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShopRedis.class);
    private static final CommandObjects COMMANDS = new CommandObjects();

    /** Least time between two refreshes of a cluster's slot map after failures. */
    static final Duration TOPOLOGY_REFRESH_GAP = Duration.ofMillis(200);

    /** Attempts of a single-key command on a cluster (following MOVED/ASK, reconnecting). */
    static final int CLUSTER_ATTEMPTS = 5;

    /** Hash slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    /** Pool and timeouts of the connections (per node on a cluster). */
    public record ClientSettings(
            int maxConnections,
            int minIdleConnections,
            Duration connectTimeout,
            Duration socketTimeout,
            Duration maxWaitForConnection,
            String clientName) {
        /** A few connections, 2 s timeouts: the job's writers and tools. */
        public static ClientSettings defaults(String clientName) {
            return new ClientSettings(
                    8,
                    0,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(2),
                    clientName);
        }

        public ClientSettings withTimeouts(Duration timeout) {
            return new ClientSettings(
                    maxConnections, minIdleConnections, timeout, timeout, timeout, clientName);
        }
    }

    private final UnifiedJedis commands;
    private final ClusterConnectionProvider cluster;
    private final ExecutorService nodeReads;
    private final AtomicLong nextRefreshNanos = new AtomicLong(System.nanoTime());
    private final RedisEndpoint endpoint;
    private final Duration socketTimeout;

    private ShopRedis(
            UnifiedJedis commands,
            ClusterConnectionProvider cluster,
            RedisEndpoint endpoint,
            Duration socketTimeout) {
        this.commands = commands;
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.socketTimeout = socketTimeout;
        this.nodeReads = cluster == null ? null : Executors.newCachedThreadPool(daemonThreads());
    }

    /**
     * Connects to {@code endpoint}; a cluster's slot map is read now (at least one of its nodes
     * must answer), one server's connections are opened when first used.
     */
    public static ShopRedis connect(RedisEndpoint endpoint, ClientSettings settings) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(settings.maxConnections());
        pool.setMaxIdle(settings.maxConnections());
        pool.setMinIdle(settings.minIdleConnections());
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(settings.maxWaitForConnection());
        pool.setJmxEnabled(false);
        DefaultJedisClientConfig client =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                        .socketTimeoutMillis((int) settings.socketTimeout().toMillis())
                        .clientName(settings.clientName())
                        .build();
        if (!endpoint.isCluster()) {
            // Reads block in the kernel, their timeout kept by WatchedSockets' watchdog: one read
            // system call per reply instead of read, poll, read.
            return new ShopRedis(
                    new JedisPooled(
                            pool,
                            new WatchedSockets(
                                    new HostAndPort(endpoint.host(), endpoint.port()),
                                    settings.connectTimeout(),
                                    settings.socketTimeout()),
                            client),
                    null,
                    endpoint,
                    settings.socketTimeout());
        }
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String node : endpoint.clusterNodes()) {
            String[] hostPort = RedisEndpoint.parseNode(node);
            nodes.add(new HostAndPort(hostPort[0], Integer.parseInt(hostPort[1])));
        }
        ClusterConnectionProvider provider = new ClusterConnectionProvider(nodes, client, pool);
        return new ShopRedis(
                new JedisCluster(
                        provider,
                        CLUSTER_ATTEMPTS,
                        settings.socketTimeout().multipliedBy(CLUSTER_ATTEMPTS)),
                provider,
                endpoint,
                settings.socketTimeout());
    }

    /** Single-key commands (and scripts on one key), on one server or routed on a cluster. */
    public UnifiedJedis commands() {
        return commands;
    }

    /** How long a reply may take before the connection counts as failed. */
    Duration socketTimeout() {
        return socketTimeout;
    }

    public boolean isCluster() {
        return cluster != null;
    }

    /**
     * The values of {@code keys}, in order (null where absent): one {@code MGET} on one server, one
     * pipeline per master on a cluster.
     */
    public List<String> get(String... keys) {
        if (cluster == null) return commands.mget(keys);
        try (NodePipelines pipelines = pipelines()) {
            List<redis.clients.jedis.Response<String>> replies = new ArrayList<>(keys.length);
            for (String key : keys) replies.add(pipelines.forKey(key).get(key));
            pipelines.sync();
            List<String> values = new ArrayList<>(keys.length);
            for (var reply : replies) values.add(reply.get());
            return values;
        } catch (JedisException e) {
            topologyMayHaveChanged();
            throw e;
        }
    }

    /**
     * As {@link #get(String...)}, the values as Redis holds them (UTF-8 bytes), not decoded to
     * text: for readers that parse JSON from bytes or compare stored forms.
     */
    public List<byte[]> getBytes(String... keys) {
        byte[][] raw = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) raw[i] = SafeEncoder.encode(keys[i]);
        if (cluster == null) return commands.mget(raw);
        try (NodePipelines pipelines = pipelines()) {
            List<redis.clients.jedis.Response<byte[]>> replies = new ArrayList<>(keys.length);
            for (int i = 0; i < keys.length; i++)
                replies.add(pipelines.forKey(keys[i]).get(raw[i]));
            pipelines.sync();
            List<byte[]> values = new ArrayList<>(keys.length);
            for (var reply : replies) values.add(reply.get());
            return values;
        } catch (JedisException e) {
            topologyMayHaveChanged();
            throw e;
        }
    }

    /** Pipelines for commands on any keys; close them (try-with-resources). */
    public NodePipelines pipelines() {
        return new NodePipelines(this);
    }

    /**
     * One page of {@code SCAN} over the whole keyspace. Start with cursor {@code "0"}; the
     * iteration is complete when the returned cursor is {@code "0"} again. On a cluster the cursor
     * is {@code master:cursor} (masters in host:port order).
     */
    public ScanResult<String> scan(String cursor, ScanParams params) {
        if (cluster == null) return commands.scan(cursor, params);
        int master = 0;
        String nodeCursor = ScanParams.SCAN_POINTER_START;
        if (!ScanParams.SCAN_POINTER_START.equals(cursor)) {
            int colon = cursor.indexOf(':');
            try {
                master = Integer.parseInt(cursor.substring(0, Math.max(0, colon)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a cluster scan cursor: " + cursor);
            }
            nodeCursor = cursor.substring(colon + 1);
        }
        List<HostAndPort> masters = masters();
        if (master >= masters.size())
            return new ScanResult<>(ScanParams.SCAN_POINTER_START, List.of());
        try (Connection connection = cluster.getConnection(masters.get(master))) {
            ScanResult<String> page = connection.executeCommand(COMMANDS.scan(nodeCursor, params));
            String next;
            if (!page.isCompleteIteration()) next = master + ":" + page.getCursor();
            else if (master + 1 < masters.size()) next = (master + 1) + ":0";
            else next = ScanParams.SCAN_POINTER_START;
            return new ScanResult<>(next, page.getResult());
        } catch (JedisException e) {
            topologyMayHaveChanged();
            throw e;
        }
    }

    /** The nodes serving slots now, in host:port order (the one server on one server). */
    public List<HostAndPort> masters() {
        if (cluster == null) return List.of(new HostAndPort(endpoint.host(), endpoint.port()));
        Set<HostAndPort> masters = new TreeSet<>(Comparator.comparing(HostAndPort::toString));
        for (int slot = 0; slot < SLOTS; slot++) {
            HostAndPort node = cluster.getNode(slot);
            if (node != null) masters.add(node);
        }
        return new ArrayList<>(masters);
    }

    /**
     * True when Redis answers: one server to {@code PING}; a cluster when a node says {@code
     * cluster_state:ok} (every slot served).
     */
    public boolean ping() {
        try {
            if (cluster == null) return "PONG".equalsIgnoreCase(commands.ping());
            try (Jedis node = new Jedis(cluster.getConnection())) {
                return node.clusterInfo().contains("cluster_state:ok");
            }
        } catch (RuntimeException e) {
            topologyMayHaveChanged();
            return false;
        }
    }

    /**
     * After a failure on a cluster: reads the slot map again (not more often than every {@link
     * #TOPOLOGY_REFRESH_GAP}), so the next attempt reaches the master that serves the slot now.
     */
    public void topologyMayHaveChanged() {
        if (cluster == null) return;
        long now = System.nanoTime();
        long due = nextRefreshNanos.get();
        if (now - due < 0
                || !nextRefreshNanos.compareAndSet(due, now + TOPOLOGY_REFRESH_GAP.toNanos())) {
            return;
        }
        try {
            cluster.renewSlotCache();
        } catch (RuntimeException e) {
            LOG.debug("refreshing the Redis Cluster's slot map failed: {}", e.getMessage());
        }
    }

    /** The node serving {@code key}'s slot now. */
    HostAndPort nodeOf(String key) {
        HostAndPort node = cluster.getNode(JedisClusterCRC16.getSlot(key));
        if (node == null) {
            throw new JedisClusterOperationException(
                    "no Redis Cluster node serves the slot of " + key);
        }
        return node;
    }

    Connection connection(HostAndPort node) {
        return cluster.getConnection(node);
    }

    ExecutorService nodeReads() {
        return nodeReads;
    }

    @Override
    public void close() {
        if (nodeReads != null) nodeReads.shutdownNow();
        commands.close();
    }

    @Override
    public String toString() {
        return (cluster == null ? "Redis " : "Redis Cluster ") + endpoint.describe();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "shopkeeper-redis-node-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
