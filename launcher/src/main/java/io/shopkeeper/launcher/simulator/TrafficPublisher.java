package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a simulator's traffic to Kafka in real time: first the whole catalog, then visitor events
 * at {@code eventsPerSecond} on a background thread, each stamped with the time it is sent at.
 * Topic is the event type's topic; key is the visitor (or the item, for catalog events), so one
 * visitor's events stay in order on one partition.
 *
 * <p>With a {@linkplain #backfill(Duration) backfill}, the stream starts that long in the past and
 * the backlog is sent as fast as the producer goes, so a fresh quick start has finished sessions,
 * carts and orders at once; then it continues in real time.
 *
 * <p>The topics must exist. {@link #close()} stops the thread, flushes and closes the producer.
 */
public final class TrafficPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficPublisher.class);

    /** Longest the thread parks between due events; bounds how late {@link #close()} notices. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final StorefrontSimulator simulator;
    private final double eventsPerSecond;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<EventType, AtomicLong> sentByType = new EnumMap<>(EventType.class);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> lastError = new AtomicReference<>();
    private volatile boolean running;
    private volatile long lagMillis;
    private Duration backfill = Duration.ZERO;
    private Thread thread;

    /**
     * A publisher to {@code bootstrapServers} at {@code eventsPerSecond}; nothing is sent before
     * {@link #start()}.
     */
    public TrafficPublisher(
            String bootstrapServers, StorefrontSimulator simulator, double eventsPerSecond) {
        if (!(eventsPerSecond > 0))
            throw new IllegalArgumentException("eventsPerSecond must be > 0");
        this.simulator = simulator;
        this.eventsPerSecond = eventsPerSecond;
        for (EventType type : EventType.values()) {
            sentByType.put(type, new AtomicLong());
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "shopkeeper-simulator");
        this.producer = new KafkaProducer<>(props);
    }

    /**
     * Starts the simulated traffic {@code history} before {@link #start()} and sends that backlog
     * first.
     */
    public synchronized TrafficPublisher backfill(Duration history) {
        if (thread != null) throw new IllegalStateException("already started");
        if (history.isNegative())
            throw new IllegalArgumentException("backfill must not be negative");
        this.backfill = history;
        return this;
    }

    /**
     * Publishes the catalog (and waits for it to be acknowledged), then starts streaming visitor
     * events.
     */
    public synchronized TrafficPublisher start() {
        if (thread != null) throw new IllegalStateException("already started");
        Instant from = Instant.now().minus(backfill);
        for (ShopEvent item : simulator.catalog().itemUpdates(from)) {
            send(item);
        }
        producer.flush();
        running = true;
        thread = new Thread(() -> run(from), "traffic-publisher");
        thread.setDaemon(true);
        thread.start();
        LOG.info(
                "Publishing storefront traffic at {} events/s ({} catalog items sent)",
                eventsPerSecond,
                simulator.catalog().size());
        return this;
    }

    private void run(Instant from) {
        EventStream stream = simulator.events(from, eventsPerSecond);
        long liveFrom = System.currentTimeMillis();
        try {
            // The backfilled history, as fast as the producer goes, with its simulated timestamps.
            while (running && stream.peek().eventTimeMillis() < liveFrom) {
                send(stream.next());
            }
            // Live: paced by count, so the rate is exact from the first second (a fresh stream
            // opens
            // sessions gradually and would start slow), each event stamped with the time it is
            // sent.
            long t0 = System.nanoTime();
            long sentLive = 0;
            long lastStamp = 0;
            while (running) {
                long due = (long) ((System.nanoTime() - t0) / 1e9 * eventsPerSecond);
                while (sentLive < due && running) {
                    ShopEvent event = stream.next();
                    lastStamp = Math.max(lastStamp, System.currentTimeMillis());
                    event.setTimestamp(Instant.ofEpochMilli(lastStamp));
                    send(event);
                    sentLive++;
                }
                lagMillis = (long) ((due - sentLive) * 1000 / eventsPerSecond);
                long nextDueNanos = t0 + (long) ((sentLive + 1) * 1e9 / eventsPerSecond);
                long waitNanos = nextDueNanos - System.nanoTime();
                if (waitNanos > 0) {
                    LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, waitNanos));
                }
            }
        } catch (RuntimeException e) {
            lastError.set(e);
            LOG.error("Traffic publisher stopped", e);
        }
    }

    private void send(ShopEvent event) {
        String key = event.partitionKey();
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(
                        event.topic(),
                        null,
                        event.eventTimeMillis(),
                        key,
                        EventCodec.encode(event));
        sentByType.get(event.getType()).incrementAndGet();
        producer.send(
                record,
                (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        lastError.set(error);
                    }
                });
    }

    /** Events handed to the producer so far, catalog included. */
    public long sent() {
        return sentByType.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Events handed to the producer so far, by type. */
    public Map<EventType, Long> sentByType() {
        Map<EventType, Long> copy = new EnumMap<>(EventType.class);
        sentByType.forEach((type, count) -> copy.put(type, count.get()));
        return copy;
    }

    /** Events the broker has acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Events the broker refused or that timed out. */
    public long failed() {
        return failed.get();
    }

    /** How far behind its rate the publisher was at its last pass (0 when it keeps up). */
    public Duration lag() {
        return Duration.ofMillis(lagMillis);
    }

    public boolean isRunning() {
        return running && thread != null && thread.isAlive();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(10));
    }
}
