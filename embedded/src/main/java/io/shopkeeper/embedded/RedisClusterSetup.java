package io.shopkeeper.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Forms a Redis Cluster out of running {@code redis-server}s in cluster mode, as {@code redis-cli
 * --cluster create} would (there may be no redis-cli: the embedded-redis artifact ships only the
 * server), through plain cluster commands: the 16384 slots split evenly over the masters ({@code
 * CLUSTER ADDSLOTS}), every node introduced to the first ({@code CLUSTER MEET}), replica i
 * following master i ({@code CLUSTER REPLICATE}); then waits until every node says {@code
 * cluster_state:ok} and every replica is in sync.
 *
 * <p>Contract: nodes that already form a cluster (restarted with their {@code nodes.conf}) are left
 * as they are and only waited for, so a restarted cluster keeps its slots and data.
 */
public final class RedisClusterSetup {
    /** Slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    /**
     * How long a node may be unreachable before its replica takes over (and a lone master stops
     * serving): short, for a fast failover on one machine.
     */
    public static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    /**
     * The shipped redis-server (6.2) has no {@code cluster-port} setting: a node's cluster bus
     * listens on its port plus this, so a node's port must be at most {@link #MAX_NODE_PORT} and
     * both ports free.
     */
    public static final int BUS_PORT_OFFSET = 10000;

    /** The highest port a cluster node can take (its bus port is then 65535). */
    public static final int MAX_NODE_PORT = 65535 - BUS_PORT_OFFSET;

    private RedisClusterSetup() {}

    /**
     * The first of {@code count} consecutive ports that are free, each with its cluster bus port
     * free too, all at most {@link #MAX_NODE_PORT}. (An ephemeral port from the OS can be above it:
     * the node would never start.) Drawn below the usual ephemeral range, where the OS does not
     * hand out client ports; free when probed, not reserved.
     */
    public static int freeNodePorts(int count) {
        Random random = new Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 20000 + random.nextInt(12000 - count);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                free = bindable(port) && bindable(port + BUS_PORT_OFFSET);
            }
            if (free) return first;
        }
        throw new IllegalStateException(
                "no " + count + " consecutive free ports with free cluster bus ports");
    }

    /**
     * Refuses a node port whose cluster bus port ({@code port + 10000}) cannot exist, naming the
     * highest usable one.
     */
    public static void checkNodePort(int port) {
        if (port < 1 || port > MAX_NODE_PORT) {
            throw new IllegalArgumentException(
                    "Redis Cluster node port "
                            + port
                            + " cannot be used: its cluster bus listens on the port + "
                            + BUS_PORT_OFFSET
                            + ", so node ports must be between 1 and "
                            + MAX_NODE_PORT);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The settings of one cluster node besides its port (redis.conf names and values): cluster mode
     * with its {@code nodes.conf} in the node's own folder, the node timeout, and the same memory
     * policy as the single server (a full Redis fails writes, it never drops data).
     */
    public static Map<String, String> nodeSettings(boolean appendOnly) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cluster-enabled", "yes");
        settings.put("cluster-config-file", "nodes.conf");
        settings.put("cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()));
        settings.put("maxmemory-policy", "noeviction");
        settings.put("protected-mode", "no");
        if (appendOnly) {
            settings.put("appendonly", "yes");
            settings.put("appendfsync", "everysec");
        } else {
            settings.put("appendonly", "no");
            settings.put("save", "\"\"");
        }
        return settings;
    }

    /**
     * Forms the cluster of {@code masters}, with {@code replicas.get(i)} following {@code
     * masters.get(i)} (fewer replicas than masters is allowed), unless the nodes already form one;
     * returns once the cluster is ok, or throws after {@code timeout}.
     */
    public static void create(
            List<HostAndPort> masters, List<HostAndPort> replicas, Duration timeout)
            throws IOException {
        if (masters.isEmpty()) throw new IllegalArgumentException("a cluster needs a master");
        List<HostAndPort> all = new ArrayList<>(masters);
        all.addAll(replicas);
        for (HostAndPort node : all) checkNodePort(node.getPort());
        long deadline = System.nanoTime() + timeout.toNanos();
        await("every Redis node to answer", deadline, () -> all.stream().allMatch(n -> answers(n)));
        if (alreadyFormed(all)) {
            awaitOk(all, replicas.size(), deadline);
            return;
        }
        for (int i = 0; i < masters.size(); i++) {
            int from = i * SLOTS / masters.size();
            int to = (i + 1) * SLOTS / masters.size();
            try (Jedis node = connect(masters.get(i))) {
                node.clusterAddSlots(IntStream.range(from, to).toArray());
            }
        }
        try (Jedis first = connect(masters.get(0))) {
            for (HostAndPort other : all.subList(1, all.size())) {
                first.clusterMeet(other.getHost(), other.getPort());
            }
        }
        await(
                "every Redis node to know the others",
                deadline,
                () -> all.stream().allMatch(n -> knownNodes(n) == all.size()));
        for (int i = 0; i < replicas.size(); i++) {
            String masterId = myId(masters.get(i % masters.size()));
            HostAndPort replica = replicas.get(i);
            await(
                    "replica " + replica + " to see its master",
                    deadline,
                    () -> clusterNodes(replica).contains(masterId));
            try (Jedis node = connect(replica)) {
                node.clusterReplicate(masterId);
            }
        }
        awaitOk(all, replicas.size(), deadline);
    }

    /** True when every node serves every slot and says {@code cluster_state:ok}. */
    public static boolean ok(List<HostAndPort> nodes) {
        return nodes.stream().allMatch(n -> clusterInfo(n).contains("cluster_state:ok"));
    }

    /** The node's role now: {@code master} or {@code slave}; null when it does not answer. */
    public static String role(HostAndPort node) {
        try (Jedis jedis = connect(node)) {
            return jedis.role().get(0).toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void awaitOk(List<HostAndPort> all, int replicas, long deadline)
            throws IOException {
        await("the Redis Cluster to be ok", deadline, () -> ok(all));
        await(
                replicas + " Redis replicas in sync",
                deadline,
                () -> all.stream().filter(RedisClusterSetup::syncedReplica).count() >= replicas);
    }

    private static boolean alreadyFormed(List<HostAndPort> nodes) {
        return nodes.stream().anyMatch(n -> knownNodes(n) > 1 || assignedSlots(n) > 0);
    }

    private static boolean syncedReplica(HostAndPort node) {
        try (Jedis jedis = connect(node)) {
            String info = jedis.info("replication");
            return info.contains("role:slave") && info.contains("master_link_status:up");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int knownNodes(HostAndPort node) {
        return infoField(clusterInfo(node), "cluster_known_nodes");
    }

    private static int assignedSlots(HostAndPort node) {
        return infoField(clusterInfo(node), "cluster_slots_assigned");
    }

    private static int infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return Integer.parseInt(line.substring(field.length() + 1).trim());
            }
        }
        return 0;
    }

    private static String clusterInfo(HostAndPort node) {
        try (Jedis jedis = connect(node)) {
            return jedis.clusterInfo();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String clusterNodes(HostAndPort node) {
        try (Jedis jedis = connect(node)) {
            return jedis.clusterNodes();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** The node's id, from the {@code myself} line of CLUSTER NODES (no CLUSTER MYID in 6.2). */
    private static String myId(HostAndPort node) throws IOException {
        for (String line : clusterNodes(node).split("\r?\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[2].contains("myself")) return fields[0];
        }
        throw new IOException("Redis node " + node + " does not say its cluster id");
    }

    private static boolean answers(HostAndPort node) {
        try (Jedis jedis = connect(node)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Jedis connect(HostAndPort node) {
        return new Jedis(node.getHost(), node.getPort(), 2000);
    }

    private static void await(String what, long deadline, BooleanSupplier condition)
            throws IOException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }
}
