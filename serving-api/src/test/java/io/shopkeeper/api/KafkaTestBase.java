package io.shopkeeper.api;

import io.shopkeeper.api.events.KafkaEventPublisher;
import io.shopkeeper.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Route tests that publish: a real Kafka broker (Shopkeeper topics created) and a publisher on it
 * per class, on top of the real Redis of {@link RedisTestBase}. {@link #run} is unique per test, so
 * tests sharing the broker can tell their own events apart.
 */
public abstract class KafkaTestBase extends RedisTestBase {
    protected static EmbeddedKafka kafka;
    protected static KafkaEventPublisher publisher;

    protected String run;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.startTemporary().createShopkeeperTopics(2);
        publisher = new KafkaEventPublisher(kafka.bootstrapServers(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopKafka() throws Exception {
        publisher.close();
        kafka.close();
    }

    @BeforeEach
    void newRun() {
        run = UUID.randomUUID().toString().substring(0, 8);
    }
}
