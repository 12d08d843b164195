package io.shopkeeper.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.schemas.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 by hand over a socket, for requests no well-behaved client sends: wrong framing, bodies
 * that stop short, oversized lines. Requests should say {@code Connection: close}: the answer is
 * read until the server closes.
 */
final class RawHttp {
    /** An answer: status, headers (lower-case names) and body; status 0 when none came. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return EventCodec.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        boolean none() {
            return status == 0;
        }
    }

    private RawHttp() {}

    /** Opens a connection to the server from {@code localAddress} (any 127.x.y.z is loopback). */
    static Socket connect(int port, String localAddress, Duration readTimeout) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer exchange(int port, byte[] request) {
        try (Socket socket = connect(port, "127.0.0.1", Duration.ofSeconds(20))) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one answer until the server closes the connection (or the read timeout, which fails).
     */
    static Answer read(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) received.write(buffer, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError(
                    "no end of answer in time; got: " + received.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A reset after the answer: keep what arrived.
            if (received.size() == 0) return new Answer(0, Map.of(), "");
        }
        return parse(received.toString(StandardCharsets.UTF_8));
    }

    static Answer parse(String raw) {
        if (raw.isEmpty()) return new Answer(0, Map.of(), "");
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String body = end < 0 ? "" : raw.substring(end + 4);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = dechunk(body);
        return new Answer(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) break;
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
