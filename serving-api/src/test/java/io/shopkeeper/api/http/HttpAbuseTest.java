package io.shopkeeper.api.http;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.ApiFixtures;
import io.shopkeeper.api.KafkaTestBase;
import io.shopkeeper.api.TopicReader;
import io.shopkeeper.schemas.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer under abuse (issue 8, findings 7-12), on the real Jetty server with raw sockets:
 * slow and stalled bodies, chunked bodies over the limit, broken framing, oversized request lines
 * and headers, trailing data, wrong content types, wrong methods. Every answer is the one JSON
 * error shape, and the server keeps serving everyone else.
 */
class HttpAbuseTest extends KafkaTestBase {
    /** Short timeouts so stalled requests end within the test; small body limit. */
    private static final HttpLimits LIMITS =
            new HttpLimits(Duration.ofSeconds(1), 1024, 8, 64 * 1024);

    private static final String SLOW_CLIENT = "127.0.0.2";

    /** The storefront key, as a raw header line. */
    private static final String AUTH =
            "Authorization: Bearer " + ApiFixtures.STOREFRONT_KEY + "\r\n";

    private static void assertJsonError(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as("status; body %s", answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).isEqualTo(ErrorCodes.forStatus(status));
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.size()).isEqualTo(3);
    }

    private static String post(String contentType, String body) {
        return "POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                + AUTH
                + "Connection: close\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + body;
    }

    private String view(String eventId) {
        return """
                {"type":"product_view","eventId":"%s","timestamp":"2026-11-22T10:15:30Z",
                 "anonymousId":"anon-abuse","sessionId":"s-1","itemId":"i1"}"""
                .formatted(run + "-" + eventId);
    }

    private long published() {
        return TopicReader.readAll(kafka.bootstrapServers(), Topics.CLICKSTREAM).stream()
                .filter(r -> r.value().contains("\"" + run + "-"))
                .count();
    }

    // Finding 7: connections that announce a body and then trickle block nobody else.
    @Test
    void slowBodiesFromOneClientTimeOutWith408AndDoNotBlockOtherClients() throws Exception {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    int port = server.port();
                    List<Socket> slow = new ArrayList<>();
                    try {
                        for (int i = 0; i < 20; i++) {
                            Socket s = RawHttp.connect(port, SLOW_CLIENT, Duration.ofSeconds(15));
                            s.getOutputStream()
                                    .write(
                                            ("POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                                                            + AUTH
                                                            + ""
                                                            + "Content-Type: application/json\r\n"
                                                            + "Content-Length: 1000\r\n\r\n[{\"a\":1")
                                                    .getBytes(StandardCharsets.ISO_8859_1));
                            slow.add(s);
                        }
                        // Meanwhile another client is served at once.
                        RawHttp.Answer health =
                                RawHttp.exchange(
                                        port,
                                        "GET /health HTTP/1.1\r\nHost: t\r\n"
                                                + AUTH
                                                + "Connection: close\r\n\r\n");
                        assertThat(health.status()).isEqualTo(200);

                        int timedOut = 0;
                        int refused = 0;
                        for (Socket s : slow) {
                            RawHttp.Answer answer = RawHttp.read(s);
                            if (answer.none()) {
                                refused++;
                            } else {
                                assertJsonError(answer, 408);
                                timedOut++;
                            }
                        }
                        assertThat(timedOut).isEqualTo(LIMITS.maxConnectionsPerClient());
                        assertThat(refused).isEqualTo(20 - LIMITS.maxConnectionsPerClient());
                    } finally {
                        for (Socket s : slow) s.close();
                    }
                });
    }

    // The per-client cap counts open connections, not every connection a client ever made: the
    // count of a closed one used to be lost (a closed socket has no remote address), so a client's
    // connection after its first maxConnectionsPerClient was refused for ever.
    @Test
    void clientMayOpenMoreConnectionsInTurnThanTheCapAllowsAtOnce() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    for (int i = 0; i < LIMITS.maxConnectionsPerClient() * 3; i++) {
                        try (Socket s =
                                RawHttp.connect(
                                        server.port(), "127.0.0.3", Duration.ofSeconds(15))) {
                            s.getOutputStream()
                                    .write(
                                            ("GET /health HTTP/1.1\r\nHost: t\r\n"
                                                            + AUTH
                                                            + "Connection: close\r\n\r\n")
                                                    .getBytes(StandardCharsets.ISO_8859_1));
                            assertThat(RawHttp.read(s).status())
                                    .as("connection %d", i)
                                    .isEqualTo(200);
                        } catch (IOException e) {
                            throw new AssertionError("connection " + i, e);
                        }
                    }
                });
    }

    // Finding 8: the body limit holds for chunked bodies too.
    @Test
    void chunkedBodyOverTheLimitGets413AndNothingIsPublished() throws Exception {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    try (Socket s =
                            RawHttp.connect(server.port(), "127.0.0.1", Duration.ofSeconds(15))) {
                        OutputStream out = s.getOutputStream();
                        out.write(
                                ("POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                                                + AUTH
                                                + "Connection: close\r\n"
                                                + "Content-Type: application/json\r\n"
                                                + "Transfer-Encoding: chunked\r\n\r\n")
                                        .getBytes(StandardCharsets.ISO_8859_1));
                        // A valid event array that keeps growing: 1,000 chunks of ~1 KB each.
                        CompletableFuture<Void> sender =
                                CompletableFuture.runAsync(
                                        () -> {
                                            try {
                                                writeChunk(out, "[" + view("c0"));
                                                for (int i = 1; i < 1000; i++) {
                                                    writeChunk(out, "," + view("c" + i));
                                                }
                                                writeChunk(out, "]");
                                                out.write("0\r\n\r\n".getBytes());
                                            } catch (IOException closedByServer) {
                                                // expected: the server stops reading at the limit
                                            }
                                        });
                        RawHttp.Answer answer = RawHttp.read(s);
                        assertJsonError(answer, 413);
                        assertThat(answer.json().get("message").asText())
                                .isEqualTo("the request body is larger than 65536 bytes");
                        sender.get(15, TimeUnit.SECONDS);
                    }
                    assertThat(published()).isZero();
                });
    }

    private static void writeChunk(OutputStream out, String chunk) throws IOException {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes());
        out.write(bytes);
        out.write("\r\n".getBytes());
    }

    @Test
    void chunkedBodyWithinTheLimitIsAccepted() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    String event = view("small");
                    RawHttp.Answer answer =
                            RawHttp.exchange(
                                    server.port(),
                                    "POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                                            + AUTH
                                            + "Connection: close\r\n"
                                            + "Content-Type: application/json\r\n"
                                            + "Transfer-Encoding: chunked\r\n\r\n"
                                            + Integer.toHexString(event.length())
                                            + "\r\n"
                                            + event
                                            + "\r\n0\r\n\r\n");
                    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
                    assertThat(published()).isEqualTo(1);
                });
    }

    @Test
    void declaredContentLengthOverTheLimitGets413() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) ->
                        assertJsonError(
                                RawHttp.exchange(
                                        server.port(),
                                        "POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                                                + AUTH
                                                + "Connection: close\r\n"
                                                + "Content-Type: application/json\r\n"
                                                + "Content-Length: 100000000\r\n\r\n[]"),
                                413));
    }

    // Finding 9: framing errors and Jetty's own refusals answer in the JSON shape.
    @Test
    void badChunkSizeGets400Json() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) ->
                        assertJsonError(
                                RawHttp.exchange(
                                        server.port(),
                                        "POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                                                + AUTH
                                                + "Connection: close\r\n"
                                                + "Content-Type: application/json\r\n"
                                                + "Transfer-Encoding: chunked\r\n\r\n"
                                                + "ZZ\r\n{}\r\n0\r\n\r\n"),
                                400));
    }

    @Test
    void bodyShorterThanItsContentLengthGets408JsonWithinTheIdleTimeout() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) ->
                        assertJsonError(
                                RawHttp.exchange(
                                        server.port(),
                                        "POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                                                + AUTH
                                                + ""
                                                + "Content-Type: application/json\r\n"
                                                + "Content-Length: 100\r\n\r\n{\"type\""),
                                408));
    }

    @Test
    void jettyLevelRefusalsAnswerInTheJsonErrorShape() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    int port = server.port();
                    assertJsonError(
                            RawHttp.exchange(
                                    port,
                                    "GET /v1/trending?n="
                                            + "9".repeat(20_000)
                                            + " HTTP/1.1\r\n"
                                            + "Host: t\r\n"
                                            + AUTH
                                            + "Connection: close\r\n\r\n"),
                            414);
                    assertJsonError(
                            RawHttp.exchange(
                                    port,
                                    "GET /v1/trending HTTP/1.1\r\nHost: t\r\n"
                                            + AUTH
                                            + "Connection: close\r\n"
                                            + "X-Big: "
                                            + "x".repeat(20_000)
                                            + "\r\n\r\n"),
                            431);
                    assertJsonError(
                            RawHttp.exchange(
                                    port,
                                    "GET /v1/trending HTTP/7.3\r\nHost: t\r\n" + AUTH + "\r\n"),
                            505);
                    assertJsonError(RawHttp.exchange(port, "NONSENSE\r\n\r\n"), 400);
                });
    }

    // Finding 10: one JSON value per body, declared as JSON.
    @Test
    void trailingDataAfterTheJsonIsRefusedAndNothingIsPublished() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    RawHttp.Answer twoObjects =
                            RawHttp.exchange(
                                    server.port(),
                                    post("application/json", view("t1") + view("t2")));
                    assertJsonError(twoObjects, 400);
                    assertThat(twoObjects.json().get("message").asText())
                            .startsWith("malformed JSON body: Trailing token");
                    assertJsonError(
                            RawHttp.exchange(
                                    server.port(),
                                    post("application/json", view("t3") + " garbage")),
                            400);
                    assertThat(published()).isZero();
                });
    }

    @Test
    void bodyNotDeclaredAsJsonGets415() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    RawHttp.Answer text =
                            RawHttp.exchange(server.port(), post("text/plain", view("x1")));
                    assertJsonError(text, 415);
                    assertThat(text.json().get("message").asText())
                            .isEqualTo("Content-Type must be application/json; got 'text/plain'");
                    assertJsonError(
                            RawHttp.exchange(
                                    server.port(),
                                    "POST /v1/events HTTP/1.1\r\nHost: t\r\n"
                                            + AUTH
                                            + "Connection: close\r\n"
                                            + "Content-Length: 2\r\n\r\n{}"),
                            415);
                    assertThat(
                                    RawHttp.exchange(
                                                    server.port(),
                                                    post(
                                                            "application/json; charset=utf-8",
                                                            view("x2")))
                                            .status())
                            .isEqualTo(202);
                    assertThat(published()).isEqualTo(1);
                });
    }

    // Finding 12: a known path with the wrong method is 405 naming the allowed methods.
    @Test
    void wrongMethodOnAKnownPathGets405WithAllow() {
        withoutKey(
                app(store, publisher, LIMITS),
                (server, client) -> {
                    RawHttp.Answer answer =
                            RawHttp.exchange(
                                    server.port(),
                                    "DELETE /v1/trending HTTP/1.1\r\nHost: t\r\n"
                                            + AUTH
                                            + "Connection: close\r\n\r\n");
                    assertJsonError(answer, 405);
                    assertThat(answer.headers().get("allow")).isEqualTo("GET");
                    RawHttp.Answer events =
                            RawHttp.exchange(
                                    server.port(),
                                    "GET /v1/events HTTP/1.1\r\nHost: t\r\n"
                                            + AUTH
                                            + "Connection: close\r\n\r\n");
                    assertJsonError(events, 405);
                    assertThat(events.headers().get("allow")).isEqualTo("POST");
                    assertJsonError(
                            RawHttp.exchange(
                                    server.port(),
                                    "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n"
                                            + AUTH
                                            + "Connection: close\r\n\r\n"),
                            404);
                });
    }
}
