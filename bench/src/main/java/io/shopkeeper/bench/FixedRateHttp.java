package io.shopkeeper.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The fixed-rate run's HTTP client: two threads for the whole rate instead of one blocking thread
 * per connection. A sender ({@code fixed-rate-sender}) sleeps until each request's scheduled start
 * and writes it on an idle kept-alive connection (non-blocking: the request fits the socket buffer
 * of a connection with nothing in flight); a receiver ({@code fixed-rate-receiver}) waits in one
 * {@code epoll} for every connection's answer and parses it in place, without making strings.
 *
 * <p>Why: the blocking client (one thread per connection, {@link KeepAliveHttp}) cost 64-69 us of
 * CPU per request at 5,000/s on the API's own 2 cores, about 30% of what the API's request threads
 * took: a timed socket read is a read that finds nothing, a {@code poll} and a second read, and 32
 * threads each woke twice per request. Here a request costs the client one timed wake and a {@code
 * write}, and its answer one {@code read} and a share of an {@code epoll_wait} that often returns
 * several answers at once under load.
 *
 * <p>Latency still counts from the scheduled start: a request that finds every connection busy
 * waits for one (charged to it), as it would in a load balancer's pool; the blocking client instead
 * queued each request behind the previous one of its own thread. Not a general HTTP client:
 * HTTP/1.1 answers with {@code Content-Length} or chunked bodies, no TLS, no redirects.
 */
final class FixedRateHttp {
    /** One kept-alive connection, in flight or idle. */
    private static final class Conn {
        SocketChannel channel;
        SelectionKey key;
        final ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        final byte[] scan = new byte[1 << 16];
        volatile long scheduled;
        volatile long sent;
        volatile boolean inFlight;
    }

    private final InetSocketAddress address;
    private final int connections;
    private final int timeoutMillis;

    FixedRateHttp(String host, int port, int connections, int timeoutMillis) {
        this.address = new InetSocketAddress(host, port);
        this.connections = connections;
        this.timeoutMillis = timeoutMillis;
    }

    /** What one answer or failure reports back. */
    interface Sink {
        void answered(long scheduled, long sent, long done, int bodyBytes);

        void failed(Exception e);
    }

    /**
     * Sends {@code total} requests, request {@code i} at {@code start + i * intervalNanos}, {@code
     * requests.apply(i)} its bytes; returns when every one was answered or failed. The two threads
     * stay alive until {@code measured} counts down (their CPU time is read from /proc at the end),
     * and each adds its CPU time to {@code cpu} before waiting.
     */
    void run(
            IntFunction<byte[]> requests,
            long total,
            long start,
            long intervalNanos,
            Sink sink,
            AtomicLong cpu,
            CountDownLatch measured)
            throws IOException, InterruptedException {
        Selector selector = Selector.open();
        ArrayBlockingQueue<Conn> idle = new ArrayBlockingQueue<>(connections);
        Conn[] all = new Conn[connections];
        for (int c = 0; c < connections; c++) {
            all[c] = new Conn();
            open(all[c], selector);
            idle.add(all[c]);
        }
        CountDownLatch done = new CountDownLatch(2);
        AtomicLong finished = new AtomicLong();
        Thread sender =
                new Thread(
                        () -> {
                            try {
                                for (long i = 0; i < total; i++) {
                                    long scheduled = start + i * intervalNanos;
                                    long wait;
                                    while ((wait = scheduled - System.nanoTime()) > 0)
                                        LockSupport.parkNanos(wait);
                                    Conn conn = idle.take();
                                    try {
                                        send(conn, requests.apply((int) i), scheduled);
                                    } catch (IOException e) {
                                        sink.failed(e);
                                        finished.incrementAndGet();
                                        reopen(conn, selector, idle, sink);
                                    }
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                finish(cpu, done, measured);
                            }
                        },
                        "fixed-rate-sender");
        Thread receiver =
                new Thread(
                        () -> {
                            try {
                                receive(selector, all, idle, total, finished, sink);
                            } finally {
                                finish(cpu, done, measured);
                            }
                        },
                        "fixed-rate-receiver");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        sender.start();
        receiver.start();
        try {
            done.await();
        } finally {
            for (Conn conn : all) closeQuietly(conn.channel);
        }
        // the threads still wait on measured; the caller's end snapshot sees them
        selector.close();
    }

    private static void finish(AtomicLong cpu, CountDownLatch done, CountDownLatch measured) {
        cpu.addAndGet(
                java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        done.countDown();
        try {
            measured.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(Conn conn, byte[] request, long scheduled) throws IOException {
        conn.scheduled = scheduled;
        conn.sent = System.nanoTime();
        conn.inFlight = true;
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
            if (conn.channel.write(out) == 0) Thread.onSpinWait();
        }
    }

    private void receive(
            Selector selector,
            Conn[] all,
            ArrayBlockingQueue<Conn> idle,
            long total,
            AtomicLong finished,
            Sink sink) {
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (finished.get() < total) {
                selector.select(100);
                var ready = selector.selectedKeys();
                for (var it = ready.iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    Conn conn = (Conn) key.attachment();
                    if (!key.isValid() || conn.key != key) continue;
                    int body;
                    try {
                        body = readAnswer(conn);
                    } catch (IOException e) {
                        if (conn.inFlight) {
                            sink.failed(e);
                            finished.incrementAndGet();
                            reopen(conn, selector, idle, sink);
                        } else {
                            // closed while idle: reopened when the sender takes it
                            closeQuietly(conn.channel);
                        }
                        continue;
                    }
                    if (body == INCOMPLETE) continue;
                    long now = System.nanoTime();
                    conn.inFlight = false;
                    if (body < 0) sink.failed(new IOException("HTTP " + (-body)));
                    else sink.answered(conn.scheduled, conn.sent, now, body);
                    finished.incrementAndGet();
                    idle.add(conn);
                }
                long now = System.nanoTime();
                for (Conn conn : all) {
                    if (conn.inFlight && now - conn.sent > timeoutNanos) {
                        sink.failed(new IOException("no answer within " + timeoutMillis + " ms"));
                        finished.incrementAndGet();
                        reopen(conn, selector, idle, sink);
                    }
                }
            }
        } catch (IOException e) {
            sink.failed(e);
        }
    }

    private static final int INCOMPLETE = Integer.MIN_VALUE;

    /**
     * Reads what arrived; returns {@link #INCOMPLETE} until the whole answer is in, then the body's
     * length (or minus the status when it is not 200) and clears the buffer.
     */
    private static int readAnswer(Conn conn) throws IOException {
        ByteBuffer in = conn.in;
        int n = conn.channel.read(in);
        if (n < 0) throw new IOException("connection closed");
        int end = in.position();
        byte[] b = conn.scan;
        in.get(0, b, 0, end);
        int headersEnd = indexOf(b, 0, end, HEADERS_END);
        if (headersEnd < 0) return INCOMPLETE;
        if (end < 12) throw new IOException("bad status line");
        int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        int bodyStart = headersEnd + 4;
        int contentLength = headerInt(b, bodyStart, CONTENT_LENGTH);
        int body;
        if (contentLength >= 0) {
            if (end - bodyStart < contentLength) return INCOMPLETE;
            if (end - bodyStart > contentLength) throw new IOException("unexpected bytes");
            body = contentLength;
        } else if (indexOf(b, 0, bodyStart, CHUNKED) >= 0) {
            body = chunkedLength(b, bodyStart, end);
            if (body == INCOMPLETE) return INCOMPLETE;
        } else {
            throw new IOException("answer without length");
        }
        if (indexOf(b, 0, bodyStart, CONNECTION_CLOSE) >= 0)
            throw new IOException("server closed the connection");
        in.clear();
        return status == 200 ? body : -status;
    }

    /**
     * The decoded length of a chunked body in {@code b[from, end)}, or {@link #INCOMPLETE} until
     * its last chunk (and the empty line after it: no trailers) is in.
     */
    private static int chunkedLength(byte[] b, int from, int end) throws IOException {
        int length = 0;
        int i = from;
        while (true) {
            int size = 0;
            int digits = 0;
            for (; i < end && b[i] != '\r' && b[i] != ';'; i++, digits++) {
                int d = Character.digit(b[i], 16);
                if (d < 0) throw new IOException("bad chunk size");
                size = size * 16 + d;
            }
            while (i < end && b[i] != '\n') i++;
            if (i >= end) return INCOMPLETE;
            if (digits == 0) throw new IOException("bad chunk size");
            i++; // past the size line
            if (size == 0) return i + 2 <= end ? length : INCOMPLETE;
            i += size + 2; // the data and its CRLF
            if (i > end) return INCOMPLETE;
            length += size;
        }
    }

    private static final byte[] HEADERS_END = ascii("\r\n\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("\r\ncontent-length:");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CONNECTION_CLOSE = ascii("\r\nconnection: close");

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The first index of {@code what} in {@code b[from, to)}, ASCII letters case-insensitive. */
    private static int indexOf(byte[] b, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int k = 0; k < what.length; k++)
                if ((b[i + k] | 0x20) != (what[k] | 0x20)) continue outer;
            return i;
        }
        return -1;
    }

    /** The decimal value of the header {@code name} (given with its leading CRLF), or -1. */
    private static int headerInt(byte[] b, int to, byte[] name) {
        int at = indexOf(b, 0, to, name);
        if (at < 0) return -1;
        int i = at + name.length;
        while (b[i] == ' ') i++;
        int value = 0;
        while (b[i] >= '0' && b[i] <= '9') value = value * 10 + (b[i++] - '0');
        return value;
    }

    private void open(Conn conn, Selector selector) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.connect(address);
        channel.configureBlocking(false);
        conn.in.clear();
        conn.channel = channel;
        conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
    }

    /** A failed connection replaced by a new one, back in the idle pool (or failed again). */
    private void reopen(Conn conn, Selector selector, ArrayBlockingQueue<Conn> idle, Sink sink) {
        conn.inFlight = false;
        closeQuietly(conn.channel);
        try {
            open(conn, selector);
            selector.wakeup();
            idle.add(conn);
        } catch (IOException e) {
            sink.failed(e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The load for a list of asks: request {@code i} is {@code asks[i mod size]}. */
    static IntFunction<byte[]> cycling(List<ApiBenchmark.Ask> asks) {
        int mask = asks.size() - 1;
        return i -> asks.get(i & mask).rawRequest();
    }
}
