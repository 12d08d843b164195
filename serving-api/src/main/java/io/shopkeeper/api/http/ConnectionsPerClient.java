package io.shopkeeper.api.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;

/**
 * Caps the connections one remote address holds open: a connection beyond {@code max} is closed as
 * soon as it opens, before a request thread reads from it. Counts are per IP address and are
 * removed when they reach zero, so the map holds only addresses with open connections.
 *
 * <p>Each connection's address is remembered from when it opened: a closed socket no longer knows
 * its remote address (Jetty returns null), so a count taken from it at close would never go down,
 * and after {@code max} connections in its lifetime a client would be refused for ever.
 */
final class ConnectionsPerClient implements Connection.Listener {
    private final int max;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, InetAddress> clients = new ConcurrentHashMap<>();

    ConnectionsPerClient(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection);
        if (client == null) return;
        clients.put(connection, client);
        int count = open.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
        if (count > max) {
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress client = clients.remove(connection);
        if (client == null) return;
        open.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** Open connections of {@code client} (for tests and diagnostics). */
    int openConnections(InetAddress client) {
        AtomicInteger count = open.get(client);
        return count == null ? 0 : count.get();
    }

    private static InetAddress client(Connection connection) {
        InetSocketAddress remote = connection.getEndPoint().getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }
}
