package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link FixedRateHttp} against a real HTTP/1.1 server: every answer counted once with its body's
 * length (fixed-length and chunked bodies), a non-200 status counted as a failure, latencies from
 * the scheduled start.
 */
class FixedRateHttpTest {

    @Test
    void countsEveryAnswerAndFailure() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext(
                "/",
                exchange -> {
                    String query = exchange.getRequestURI().getQuery();
                    int i = Integer.parseInt(query.substring(2));
                    byte[] body =
                            ("{\"i\":" + i + "}")
                                    .repeat(1 + i % 50)
                                    .getBytes(StandardCharsets.US_ASCII);
                    int status = i % 10 == 7 ? 404 : 200;
                    // every third answer chunked (length 0 tells the JDK server to chunk)
                    exchange.sendResponseHeaders(status, i % 3 == 0 ? 0 : body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        try {
            int port = server.getAddress().getPort();
            int total = 400;
            List<byte[]> requests = new ArrayList<>();
            long expectedBytes = 0;
            for (int i = 0; i < total; i++) {
                requests.add(
                        KeepAliveHttp.request(
                                URI.create("http://127.0.0.1:" + port + "/r?i=" + i), "key"));
                if (i % 10 != 7) expectedBytes += ("{\"i\":" + i + "}").repeat(1 + i % 50).length();
            }
            AtomicLong answered = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Long> waits = new ArrayList<>();
            FixedRateHttp.Sink sink =
                    new FixedRateHttp.Sink() {
                        @Override
                        public void answered(long scheduled, long sent, long done, int body) {
                            answered.incrementAndGet();
                            bytes.addAndGet(body);
                            synchronized (waits) {
                                waits.add(done - scheduled);
                            }
                            assertThat(sent).isGreaterThanOrEqualTo(scheduled);
                            assertThat(done).isGreaterThan(sent);
                        }

                        @Override
                        public void failed(Exception e) {
                            failures.add(e.getMessage());
                        }
                    };
            CountDownLatch measured = new CountDownLatch(1);
            measured.countDown();
            IntFunction<byte[]> byIndex = requests::get;
            new FixedRateHttp("127.0.0.1", port, 8, 5_000)
                    .run(
                            byIndex,
                            total,
                            System.nanoTime(),
                            500_000,
                            sink,
                            new AtomicLong(),
                            measured);
            assertThat(answered.get()).isEqualTo(total - total / 10);
            assertThat(failures).hasSize(total / 10).allMatch(m -> m.equals("HTTP 404"));
            assertThat(bytes.get()).isEqualTo(expectedBytes);
            assertThat(waits).allMatch(w -> w > 0);
        } finally {
            server.stop(0);
        }
    }
}
