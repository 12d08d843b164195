package io.shopkeeper.embedded;

import io.shopkeeper.schemas.redis.RedisEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.embedded.RedisServer;

/**
 * A real Redis Cluster for tests: {@code masters} redis-server processes (the embedded-redis
 * binary) in cluster mode on free loopback ports, each with one replica, formed by {@link
 * RedisClusterSetup}; no persistence, each node's {@code nodes.conf} in a temporary folder. {@link
 * #kill(int)} stops one node as a crash would, to watch its replica take over.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    private final List<RedisServer> servers;
    private final List<HostAndPort> nodes;
    private final int masters;
    private final Path dir;

    private EmbeddedRedisCluster(
            List<RedisServer> servers, List<HostAndPort> nodes, int masters, Path dir) {
        this.servers = servers;
        this.nodes = nodes;
        this.masters = masters;
        this.dir = dir;
    }

    /** Starts {@code masters} masters and a replica of each, and forms the cluster. */
    public static EmbeddedRedisCluster start(int masters) throws IOException {
        Path dir = Files.createTempDirectory("sk-rc");
        List<RedisServer> servers = new ArrayList<>();
        List<HostAndPort> nodes = new ArrayList<>();
        try {
            int first = RedisClusterSetup.freeNodePorts(masters * 2);
            for (int i = 0; i < masters * 2; i++) {
                int port = first + i;
                Path nodeDir = Files.createDirectories(dir.resolve(Integer.toString(port)));
                var builder =
                        RedisServer.newRedisServer()
                                .port(port)
                                .bind("127.0.0.1")
                                .setting("dir " + nodeDir);
                RedisClusterSetup.nodeSettings(false)
                        .forEach((name, value) -> builder.setting(name + " " + value));
                RedisServer server = builder.build();
                server.start();
                servers.add(server);
                nodes.add(new HostAndPort("127.0.0.1", port));
            }
            RedisClusterSetup.create(
                    nodes.subList(0, masters),
                    nodes.subList(masters, nodes.size()),
                    Duration.ofMinutes(1));
            return new EmbeddedRedisCluster(servers, nodes, masters, dir);
        } catch (IOException | RuntimeException e) {
            for (RedisServer server : servers) stopQuietly(server);
            throw e;
        }
    }

    /** Every node, masters first (as started; a failover may have swapped roles since). */
    public List<HostAndPort> nodes() {
        return List.copyOf(nodes);
    }

    /** Master {@code i} as started. */
    public HostAndPort master(int i) {
        return nodes.get(i);
    }

    /** The replica started for master {@code i}. */
    public HostAndPort replicaOf(int i) {
        return nodes.get(masters + i);
    }

    /** The endpoint naming every node, as the job and the API are configured. */
    public RedisEndpoint endpoint() {
        return new RedisEndpoint(
                null,
                0,
                nodes.stream()
                        .map(n -> n.getHost() + ":" + n.getPort())
                        .collect(Collectors.toList()));
    }

    /** Stops node {@code index} of {@link #nodes()} (its process ends; nothing is handed over). */
    public void kill(int index) {
        stopQuietly(servers.get(index));
    }

    @Override
    public void close() throws IOException {
        for (RedisServer server : servers) stopQuietly(server);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void stopQuietly(RedisServer server) {
        try {
            if (server.isActive()) server.stop();
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
