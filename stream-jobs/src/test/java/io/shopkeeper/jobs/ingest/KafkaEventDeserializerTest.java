package io.shopkeeper.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.EventTimePolicy;
import io.shopkeeper.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records straight from Kafka outside the accepted event-time range become dead letters with the
 * reason (issue 8, findings 1, 2, 4): they never reach watermarks or operators.
 */
class KafkaEventDeserializerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final KafkaEventDeserializer deserializer =
            new KafkaEventDeserializer(
                    new EventTimePolicy(
                            Duration.ofMinutes(5),
                            Duration.ofDays(30),
                            Clock.fixed(NOW, ZoneOffset.UTC)));

    private DecodedRecord decode(String timestamp) {
        String json =
                """
                {"type":"product_view","eventId":"e1","timestamp":"%s","anonymousId":"a1",
                 "sessionId":"s1","itemId":"i1"}"""
                        .formatted(timestamp);
        List<DecodedRecord> out = new ArrayList<>();
        deserializer.deserialize(
                new ConsumerRecord<>(
                        Topics.CLICKSTREAM, 1, 42L, null, json.getBytes(StandardCharsets.UTF_8)),
                new Collector<>() {
                    @Override
                    public void collect(DecodedRecord record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void poisonTimestampsBecomeDeadLettersWithTheirReason() {
        for (String bad :
                List.of(
                        "2026-11-25T14:00:00Z",
                        "+999999999-12-31T23:59:59Z",
                        "1970-01-01T00:00:00Z")) {
            DecodedRecord record = decode(bad);
            assertThat(record.getEvent()).as(bad).isNull();
            assertThat(record.getDeadLetter().getReason()).startsWith("timestamp " + bad);
            assertThat(record.getDeadLetter().getOffset()).isEqualTo(42L);
        }
    }

    @Test
    void eventInRangeIsDecodedWithItsEventTime() {
        DecodedRecord record = decode("2026-11-25T11:59:00Z");
        assertThat(record.getEvent()).isNotNull();
        assertThat(record.timestamp())
                .isEqualTo(Instant.parse("2026-11-25T11:59:00Z").toEpochMilli());
    }
}
