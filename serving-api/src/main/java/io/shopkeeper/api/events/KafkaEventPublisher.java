package io.shopkeeper.api.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@link EventPublisher} on a shared, thread-safe {@link KafkaProducer}: {@code acks=all} and
 * idempotence for durability, a 1 ms linger so concurrent requests share batches. Every wait is
 * bounded by {@code timeout}: metadata ({@code max.block.ms}), delivery ({@code
 * delivery.timeout.ms}) and the wait for acknowledgements, so an unreachable broker yields an
 * error, not a hung request.
 */
public final class KafkaEventPublisher implements EventPublisher {
    private final Producer<String, byte[]> producer;
    private final Duration timeout;

    public KafkaEventPublisher(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        long ms = Math.max(timeout.toMillis(), 100);
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms.
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.CLIENT_ID_CONFIG,
                                "shopkeeper-api",
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.LINGER_MS_CONFIG,
                                1,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                ms,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                (int) (ms - 1),
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                (int) ms),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    @Override
    public void publishAll(List<OutgoingEvent> events) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
        for (OutgoingEvent event : events) {
            Future<RecordMetadata> send;
            try {
                send =
                        producer.send(
                                new ProducerRecord<>(event.topic(), event.key(), event.value()));
            } catch (RuntimeException e) {
                throw new PublishFailedException(
                        "kafka rejected the events: " + e.getMessage(), e, isTransient(e));
            }
            // A send that failed at once (e.g. no metadata within max.block.ms) dooms the request:
            // stop here rather than wait max.block.ms again for each remaining event.
            if (send.isDone()) {
                await(send, deadline);
            }
            sends.add(send);
        }
        for (Future<RecordMetadata> send : sends) {
            await(send, deadline);
        }
    }

    private void await(Future<RecordMetadata> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new PublishFailedException(
                    "kafka did not acknowledge the events: " + cause.getMessage(),
                    cause,
                    isTransient(cause));
        } catch (TimeoutException e) {
            throw new PublishFailedException(
                    "kafka did not acknowledge the events within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for kafka", e);
        }
    }

    /**
     * Kafka's own classification: retriable errors (timeouts included) may pass; anything else (a
     * record too large, an authorization or serialization failure) fails again on retry.
     */
    static boolean isTransient(Throwable cause) {
        return cause instanceof RetriableException || cause instanceof InterruptException;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
