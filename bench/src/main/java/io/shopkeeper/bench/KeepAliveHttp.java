package io.shopkeeper.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 keep-alive client for one connection, used by one load thread: writes
 * a GET, reads the status line, headers and a {@code Content-Length} (or chunked) body. It costs
 * about what a Jedis connection costs per request, so on a shared 2-core box the API and the raw
 * Redis reads are driven by equally light clients (the JDK {@code HttpClient} hands every request
 * to its selector thread and costs several times more CPU). Not a general HTTP client: no
 * redirects, TLS or pipelining.
 */
final class KeepAliveHttp implements AutoCloseable {
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] line = new byte[8192];

    KeepAliveHttp(String host, int port, int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    /** Sends {@code GET pathAndQuery}; returns the body length; throws on a non-200 status. */
    int get(byte[] requestBytes) throws IOException {
        if (socket == null) connect();
        try {
            out.write(requestBytes);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The bytes of a GET request for {@code uri} with an API key on a kept-alive connection. */
    static byte[] request(URI uri, String apiKey) {
        String target =
                uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return ("GET "
                        + target
                        + " HTTP/1.1\r\nHost: "
                        + uri.getHost()
                        + ":"
                        + uri.getPort()
                        + "\r\nAuthorization: Bearer "
                        + apiKey
                        + "\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (status.length() < 12 || !status.startsWith("HTTP/1.1 "))
            throw new IOException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        int contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        String header;
        while (!(header = readLine()).isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) continue;
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) contentLength = Integer.parseInt(value);
            else if (name.equalsIgnoreCase("Transfer-Encoding")
                    && value.equalsIgnoreCase("chunked")) chunked = true;
            else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close"))
                close = true;
        }
        int length;
        if (chunked) {
            length = 0;
            int size;
            while ((size = Integer.parseInt(readLine().split(";")[0].trim(), 16)) > 0) {
                skip(size);
                readLine();
                length += size;
            }
            while (!readLine().isEmpty()) {
                // trailers
            }
        } else if (contentLength >= 0) {
            skip(contentLength);
            length = contentLength;
        } else {
            throw new IOException("response without length");
        }
        if (close) close();
        if (code != 200) throw new IOException("HTTP " + code);
        return length;
    }

    private void skip(int n) throws IOException {
        int left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) throw new IOException("connection closed mid-body");
                skipped = 1;
            }
            left -= (int) skipped;
        }
    }

    private String readLine() throws IOException {
        int n = 0;
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) throw new IOException("connection closed");
            if (n < line.length) line[n++] = (byte) b;
        }
        if (n > 0 && line[n - 1] == '\r') n--;
        return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
