package io.shopkeeper.launcher.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.schemas.DecodeResult;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrafficPublisherIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.startTemporary().createShopkeeperTopics(2);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) kafka.close();
    }

    @Test
    void publishesTheCatalogThenLiveTrafficToEachTypesTopicKeyedByVisitor() {
        StorefrontSimulator simulator =
                new StorefrontSimulator(
                        SimulatorConfig.defaults().withItems(200).withCategories(10));
        Map<String, Long> consumed = new HashMap<>();
        Instant startedAt = Instant.now();
        Map<String, Long> expected = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(Topics.INPUTS);
            // Ten minutes of history at 50 events/s (finished sessions, so orders too), then live
            // traffic.
            try (TrafficPublisher publisher =
                    new TrafficPublisher(kafka.bootstrapServers(), simulator, 50)
                            .backfill(Duration.ofMinutes(10))
                            .start()) {
                consumeUntil(
                        consumer,
                        consumed,
                        () ->
                                consumed.getOrDefault(Topics.ORDERS, 0L) >= 5
                                        && consumed.getOrDefault(Topics.CATALOG, 0L) >= 200
                                        && lastEventTime != null
                                        && !lastEventTime.isBefore(startedAt));
                assertThat(publisher.isRunning()).isTrue();
                publisher.close();
                publisher
                        .sentByType()
                        .forEach(
                                (type, count) -> {
                                    if (count > 0) expected.merge(type.topic(), count, Long::sum);
                                });
                assertThat(publisher.failed()).isZero();
                assertThat(publisher.acknowledged()).isEqualTo(publisher.sent());
            }
            consumeUntil(consumer, consumed, () -> consumed.equals(expected));
        }
        assertThat(consumed).isEqualTo(expected);
        assertThat(consumed.get(Topics.CLICKSTREAM)).isGreaterThan(20_000);
        assertThat(lastEventTime)
                .as("live events are stamped with the time they are sent")
                .isBetween(startedAt, Instant.now());
    }

    private Instant lastEventTime;

    /** Polls (each poll blocks up to 200 ms) until the condition holds or the deadline passes. */
    private void consumeUntil(
            KafkaConsumer<String, byte[]> consumer,
            Map<String, Long> counts,
            BooleanSupplier done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                DecodeResult decoded = EventCodec.decode(record.value());
                assertThat(decoded.error()).isNull();
                ShopEvent event = decoded.event();
                assertThat(record.topic()).isEqualTo(event.getType().topic());
                assertThat(record.key())
                        .isEqualTo(
                                event.getType() == EventType.ITEM_UPDATE
                                        ? event.getItemId()
                                        : event.visitorKey());
                assertThat(record.timestamp()).isEqualTo(event.eventTimeMillis());
                lastEventTime = event.getTimestamp();
                counts.merge(record.topic(), 1L, Long::sum);
            }
        }
        assertThat(done.getAsBoolean())
                .as("condition before deadline; consumed %s", counts)
                .isTrue();
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "publisher-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
