package io.shopkeeper.api.health;

import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopkeeper.api.ApiFixtures;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.api.store.RedisRecommendationStore;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.embedded.EmbeddedRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /health} with real Redis and Kafka, and with each of them unreachable. */
class HealthRouteTest extends RedisTestBase {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.startTemporary();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        kafka.close();
    }

    private static io.javalin.Javalin app(Probe... probes) {
        return ApiFixtures.app(
                store,
                EventPublisher.disabled("not needed"),
                new HealthCheck(List.of(probes)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @Test
    void redisAndKafkaUpGives200WithEveryCheck() {
        try (var kafkaProbe = new KafkaProbe(kafka.bootstrapServers(), Duration.ofSeconds(5))) {
            var cachedKafka = new CachedProbe(kafkaProbe, Duration.ofSeconds(1), ApiFixtures.CLOCK);
            withoutKey(
                    app(Probe.of("redis", store::ping), cachedKafka),
                    (server, client) -> {
                        var response = client.get("/health");
                        assertThat(response.code()).isEqualTo(200);
                        JsonNode body = body(response);
                        assertThat(body.get("healthy").asBoolean()).isTrue();
                        assertThat(body.get("checks").get("redis").get("up").asBoolean()).isTrue();
                        assertThat(body.get("checks").get("kafka").get("up").asBoolean()).isTrue();
                        assertThat(body.has("error")).isFalse();
                    });
        }
    }

    @Test
    void unreachableKafkaGives503NamingKafka() {
        try (var kafkaProbe =
                new KafkaProbe("127.0.0.1:" + EmbeddedRedis.freePort(), Duration.ofMillis(300))) {
            withoutKey(
                    app(Probe.of("redis", store::ping), kafkaProbe),
                    (server, client) -> {
                        var response = client.get("/health");
                        assertThat(response.code()).isEqualTo(503);
                        JsonNode body = body(response);
                        assertThat(body.get("healthy").asBoolean()).isFalse();
                        assertThat(body.get("checks").get("redis").get("up").asBoolean()).isTrue();
                        assertThat(body.get("checks").get("kafka").get("up").asBoolean()).isFalse();
                        assertThat(body.get("checks").get("kafka").get("error").asText())
                                .isNotBlank();
                        assertThat(body.get("error").asText()).isEqualTo("service_unavailable");
                        assertThat(body.get("message").asText()).isEqualTo("unavailable: kafka");
                        assertThat(body.get("status").asInt()).isEqualTo(503);
                    });
        }
    }

    @Test
    void unreachableRedisGives503NamingRedis() {
        var settings =
                new RedisRecommendationStore.Settings(
                        2,
                        0,
                        Duration.ofMillis(200),
                        Duration.ofMillis(200),
                        Duration.ofMillis(200));
        try (var down =
                RedisRecommendationStore.connect("127.0.0.1", EmbeddedRedis.freePort(), settings)) {
            withoutKey(
                    app(Probe.of("redis", down::ping)),
                    (server, client) -> {
                        var response = client.get("/health");
                        assertThat(response.code()).isEqualTo(503);
                        JsonNode body = body(response);
                        assertThat(body.get("checks").get("redis").get("up").asBoolean()).isFalse();
                        assertThat(body.get("message").asText()).isEqualTo("unavailable: redis");
                    });
        }
    }
}
