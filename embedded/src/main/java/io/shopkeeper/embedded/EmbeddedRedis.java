package io.shopkeeper.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.JedisPooled;
import redis.embedded.RedisServer;

/**
 * A real redis-server process (the binary shipped in the embedded-redis artifact) on a loopback
 * port, for the quick start, tests and benchmarks. Persistence is off unless a data folder is
 * given.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts redis-server on a free port with no persistence. */
    public static EmbeddedRedis startTemporary() throws IOException {
        return start(freePort(), null);
    }

    /**
     * Starts redis-server on {@code port}; with a {@code dataDir}, keeps an append-only file there
     * so a restarted quick start finds its recommendations again.
     */
    public static EmbeddedRedis start(int port, Path dataDir) throws IOException {
        var builder =
                RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("maxmemory-policy noeviction")
                        .setting("protected-mode no");
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            builder.setting("dir " + dataDir.toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("appendfsync everysec");
        } else {
            builder.setting("save \"\"").setting("appendonly no");
        }
        RedisServer server = builder.build();
        server.start();
        return new EmbeddedRedis(server, port);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A new pooled client for this server; the caller closes it. */
    public JedisPooled newClient() {
        return new JedisPooled(host(), port);
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
