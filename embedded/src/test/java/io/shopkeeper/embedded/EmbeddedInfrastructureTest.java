package io.shopkeeper.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

class EmbeddedInfrastructureTest {

    @Test
    void kafkaBrokerRoundTripsARecordOnAShopkeeperTopic() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary().createShopkeeperTopics(2)) {
            try (var producer =
                    new KafkaProducer<String, String>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                            kafka.bootstrapServers(),
                                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                            StringSerializer.class,
                                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                            StringSerializer.class))) {
                producer.send(new ProducerRecord<>(Topics.CLICKSTREAM, "v1", "hello")).get();
            }
            try (var consumer =
                    new KafkaConsumer<String, String>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    kafka.bootstrapServers(),
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    "t",
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest",
                                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                    StringDeserializer.class,
                                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                    StringDeserializer.class))) {
                consumer.subscribe(List.of(Topics.CLICKSTREAM));
                List<String> values = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)))
                        values.add(r.value());
                }
                assertThat(values).containsExactly("hello");
            }
        }
    }

    @Test
    void redisServerStoresAndReturnsAValue() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.startTemporary();
                JedisPooled client = redis.newClient()) {
            client.set("sk:test", "value");
            assertThat(client.get("sk:test")).isEqualTo("value");
        }
    }
}
