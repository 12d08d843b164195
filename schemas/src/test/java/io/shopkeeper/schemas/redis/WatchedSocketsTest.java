package io.shopkeeper.schemas.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@link ShopRedis}'s connections to one server read without a socket timeout, the timeout kept by
 * {@link WatchedSockets}' watchdog: a reply that comes is read, a read that waits longer than the
 * timeout fails as a connection failure and its socket is closed. The server here speaks just
 * enough RESP: it answers CLIENT SETNAME, then each GET after {@code replyAfter} (or never).
 */
class WatchedSocketsTest {

    /** A server that answers the connection's CLIENT SETNAME and then GETs with "v" or never. */
    private static final class SlowServer implements AutoCloseable {
        final ServerSocket server;
        final CountDownLatch release = new CountDownLatch(1);

        SlowServer(boolean answersGets) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept =
                    new Thread(
                            () -> {
                                try {
                                    while (true) {
                                        Socket s = server.accept();
                                        Thread t = new Thread(() -> serve(s, answersGets));
                                        t.setDaemon(true);
                                        t.start();
                                    }
                                } catch (IOException closed) {
                                    // server closed
                                }
                            });
            accept.setDaemon(true);
            accept.start();
        }

        private void serve(Socket s, boolean answersGets) {
            try (s) {
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("*")) continue;
                    int parts = Integer.parseInt(line.substring(1));
                    String command = null;
                    for (int i = 0; i < parts; i++) {
                        in.readLine(); // $length
                        String part = in.readLine();
                        if (i == 0) command = part;
                    }
                    if ("GET".equalsIgnoreCase(command)) {
                        if (!answersGets) release.await(); // never, until the test ends
                        out.write("$1\r\nv\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection closed
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            server.close();
        }
    }

    private static ShopRedis connect(int port, Duration timeout) {
        return ShopRedis.connect(
                RedisEndpoint.single("127.0.0.1", port),
                ShopRedis.ClientSettings.defaults("watched-test").withTimeouts(timeout));
    }

    @Test
    void aReplyIsReadWithoutASocketTimeout() throws Exception {
        try (SlowServer server = new SlowServer(true);
                ShopRedis redis = connect(server.port(), Duration.ofSeconds(2))) {
            assertThat(redis.commands().get("k")).isEqualTo("v");
            assertThat(redis.commands().get("k")).isEqualTo("v");
        }
    }

    @Test
    @Timeout(30) // without the watchdog the read would wait forever
    void aReadThatWaitsLongerThanTheTimeoutFailsAndItsSocketIsClosed() throws Exception {
        try (SlowServer server = new SlowServer(false);
                ShopRedis redis = connect(server.port(), Duration.ofMillis(200))) {
            int before = WatchedSockets.openSockets();
            long start = System.nanoTime();
            assertThatThrownBy(() -> redis.commands().get("k"))
                    .isInstanceOf(JedisConnectionException.class);
            // it failed through the watchdog (the socket has no timeout of its own), not before
            assertThat(System.nanoTime() - start)
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(WatchedSockets.openSockets()).isLessThan(before + 1);
        }
    }
}
