package io.shopkeeper.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.api.ApiServer;
import io.shopkeeper.api.ApiSettings;
import io.shopkeeper.api.Await;
import io.shopkeeper.api.TopicReader;
import io.shopkeeper.api.health.JobHealth;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The collector across a Kafka broker restart (the broker's log kept, same port): while the broker
 * is down no event is answered 202; once it is back the collector recovers by itself, and every
 * event it answered 202 is in the topic.
 */
class CollectorKafkaRestartTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> accepted = new ArrayList<>();

    @Test
    void noEventIsAcceptedWhileKafkaIsDownAndTheCollectorRecoversWhenItReturns() throws Exception {
        Path kafkaDir = Files.createTempDirectory("skr");
        int port = EmbeddedRedis.freePort();
        EmbeddedKafka kafka = EmbeddedKafka.startDurable(kafkaDir, port);
        try (EmbeddedRedis redis = EmbeddedRedis.startTemporary()) {
            kafka.createShopkeeperTopics(2);
            try (ApiServer server =
                    ApiServer.start(
                            new ApiSettings(
                                    0, redis.host(), redis.port(), kafka.bootstrapServers()),
                            new JobHealth(false, JobHealth.DEFAULT_GROUP, Duration.ofSeconds(5)))) {
                assertThat(post(server)).isEqualTo(202);

                kafka.close();
                for (int i = 0; i < 2; i++) {
                    assertThat(post(server))
                            .as("collector answer while Kafka is down")
                            .isEqualTo(503);
                }

                kafka = EmbeddedKafka.startDurable(kafkaDir, port);
                Await.until(
                        "the collector accepts again",
                        Duration.ofSeconds(60),
                        () -> post(server) == 202);
                assertThat(post(server)).isEqualTo(202);

                List<String> inTopic =
                        TopicReader.readAll(kafka.bootstrapServers(), Topics.CLICKSTREAM).stream()
                                .map(ConsumerRecord::value)
                                .toList();
                for (String eventId : accepted) {
                    assertThat(inTopic)
                            .as("accepted event " + eventId)
                            .anyMatch(v -> v.contains("\"" + eventId + "\""));
                }
            }
        } finally {
            kafka.close();
            deleteRecursively(kafkaDir);
        }
    }

    private int post(ApiServer server) {
        String eventId = "restart-" + ids.incrementAndGet();
        String body =
                """
                {"type":"page_view","eventId":"%s","timestamp":"%s","anonymousId":"anon-r","sessionId":"s-r","pageType":"home"}"""
                        .formatted(eventId, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try {
            int status =
                    http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + server.port()
                                                                    + "/v1/events"))
                                            .header("Content-Type", "application/json")
                                            .header(
                                                    "Authorization",
                                                    "Bearer " + server.access().storefrontKey())
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
            if (status == 202) accepted.add(eventId);
            return status;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
