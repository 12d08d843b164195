package io.shopkeeper.api;

import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.health.JobHealth;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.JobHeartbeat;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedding API used by the launcher and the benchmark: start on real Redis and Kafka, serve,
 * close.
 */
class ApiServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(ApiServer server, String key, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ApiServer server, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + server.access().storefrontKey())
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serverOnAFreePortServesRecommendationsCollectsEventsAndReportsHealth() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.startTemporary();
                EmbeddedKafka kafka = EmbeddedKafka.startTemporary().createShopkeeperTopics(2);
                var seed = redis.newClient()) {
            seed.set(
                    RedisKeys.trending(),
                    EventCodec.encodeToString(list(null, scored("t1", 3), scored("t2", 2))));

            try (ApiServer server =
                    ApiServer.start(
                            new ApiSettings(
                                    0, redis.host(), redis.port(), kafka.bootstrapServers()))) {
                assertThat(server.port()).isPositive();

                String storefront = server.access().storefrontKey();
                String admin = server.access().adminKey();
                HttpResponse<String> recs =
                        get(server, storefront, "/v1/recommendations?customer=new-visitor");
                assertThat(recs.statusCode()).isEqualTo(200);
                JsonNode body = EventCodec.mapper().readTree(recs.body());
                assertThat(body.get("strategy").asText()).isEqualTo("trending");
                assertThat(body.get("items")).hasSize(2);

                // Healthy once the job says it runs: the job writes its heartbeat every second
                // or so, as here; the first Kafka probe may miss its 500 ms on a busy machine.
                HttpResponse<String> health;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (true) {
                    long now = System.currentTimeMillis();
                    seed.set(
                            RedisKeys.JOB_HEARTBEAT,
                            EventCodec.encodeToString(
                                    new JobHeartbeat(
                                            "shopkeeper-personalization",
                                            JobHeartbeat.RUNNING,
                                            now,
                                            now - 60_000,
                                            7L,
                                            now - 2_000)));
                    health = get(server, "none", "/health");
                    if (health.statusCode() == 200 || System.nanoTime() > deadline) break;
                    Thread.sleep(200); // until the job's next heartbeat
                }
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
                JsonNode checks = EventCodec.mapper().readTree(health.body()).get("checks");
                assertThat(checks.has("kafka")).isTrue();
                assertThat(checks.get("job").get("details").get("state").asText())
                        .isEqualTo("RUNNING");
                assertThat(checks.get("job").get("details").get("lastCheckpointId").asLong())
                        .isEqualTo(7);

                HttpResponse<String> events =
                        post(
                                server,
                                "/v1/events",
                                """
                        {"type":"page_view","eventId":"api-server-e1","timestamp":"%s",
                         "anonymousId":"a1","sessionId":"s1","pageType":"home"}"""
                                        .formatted(java.time.Instant.now()));
                assertThat(events.statusCode()).isEqualTo(202);
                assertThat(TopicReader.readAll(kafka.bootstrapServers(), Topics.CLICKSTREAM))
                        .anyMatch(r -> r.value().contains("api-server-e1"));

                assertThat(get(server, admin, "/metrics").body()).contains("jvm_memory_used_bytes");
                assertThat(get(server, storefront, "/metrics").statusCode()).isEqualTo(403);
            }
        }
    }

    @Test
    void serverWithoutKafkaServesAndRefusesEventsWith503() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.startTemporary();
                ApiServer server =
                        ApiServer.start(
                                new ApiSettings(0, redis.host(), redis.port(), ""),
                                new JobHealth(false, "g", Duration.ofSeconds(5)))) {
            String admin = server.access().adminKey();
            // Without a job, and without requiring one: healthy, the job reported as unknown.
            HttpResponse<String> health = get(server, "none", "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(
                            EventCodec.mapper()
                                    .readTree(health.body())
                                    .at("/checks/job/details/state")
                                    .asText())
                    .isEqualTo("UNKNOWN");
            // The customer routes are wired to the same Redis.
            assertThat(get(server, admin, "/v1/segments").body()).isEqualTo("{\"segments\":[]}");
            assertThat(get(server, admin, "/v1/customers/c1/deletion").body())
                    .contains("\"status\":\"unknown\"");

            HttpResponse<String> events =
                    post(
                            server,
                            "/v1/events",
                            """
                    {"type":"page_view","eventId":"e1","timestamp":"2026-11-22T10:15:30Z",
                     "anonymousId":"a1","sessionId":"s1","pageType":"home"}""");
            assertThat(events.statusCode()).isEqualTo(503);
            assertThat(EventCodec.mapper().readTree(events.body()).get("message").asText())
                    .isEqualTo(
                            "event collection is disabled: SHOPKEEPER_KAFKA_BOOTSTRAP is not set");
        }
    }

    @Test
    void settingsComeFromShopkeeperEnvironmentVariablesWithDefaults() {
        ApiSettings defaults = ApiSettings.fromEnv(Map.of());
        assertThat(defaults)
                .isEqualTo(
                        new ApiSettings(7070, "127.0.0.1", 6379, "localhost:9092")
                                .withAccess(defaults.access()));
        ApiSettings configured =
                ApiSettings.fromEnv(
                        Map.of(
                                "SHOPKEEPER_API_PORT",
                                "8080",
                                "SHOPKEEPER_REDIS_HOST",
                                "redis",
                                "SHOPKEEPER_REDIS_PORT",
                                "6380",
                                "SHOPKEEPER_KAFKA_BOOTSTRAP",
                                "kafka:9092"));
        assertThat(configured)
                .isEqualTo(
                        new ApiSettings(8080, "redis", 6380, "kafka:9092")
                                .withAccess(configured.access()));
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("SHOPKEEPER_REDIS_PORT", "six")))
                .hasMessage("SHOPKEEPER_REDIS_PORT must be an integer; got 'six'");
        assertThat(
                        ApiSettings.fromEnv(Map.of("SHOPKEEPER_RULES_FILE", "/etc/sk/rules.json"))
                                .rulesFile())
                .isEqualTo("/etc/sk/rules.json");
    }

    @Test
    void serverFollowsTheCatalogAndAppliesTheRulesFile(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path rules =
                java.nio.file.Files.writeString(
                        dir.resolve("rules.json"), "{\"hiddenItems\":[\"t2\"]}");
        try (EmbeddedRedis redis = EmbeddedRedis.startTemporary();
                var client = redis.newClient()) {
            client.set(
                    io.shopkeeper.schemas.RedisKeys.trending(),
                    "{\"items\":[{\"itemId\":\"t1\",\"score\":3},"
                            + "{\"itemId\":\"t2\",\"score\":2},{\"itemId\":\"t3\",\"score\":1}]}");
            client.hset(
                    io.shopkeeper.schemas.RedisKeys.CATALOG,
                    "t3",
                    "{\"itemId\":\"t3\",\"inStock\":false}");
            try (ApiServer server =
                    ApiServer.start(
                            new ApiSettings(0, redis.host(), redis.port(), "")
                                    .withRules(rules.toString()))) {
                assertThat(
                                get(
                                                server,
                                                server.access().storefrontKey(),
                                                "/v1/recommendations?customer=c1")
                                        .body())
                        .contains("\"t1\"")
                        .doesNotContain("\"t2\"")
                        .doesNotContain("\"t3\"");
            }
        }
    }

    @Test
    void invalidRulesFileStopsTheStartNamingTheField(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path rules =
                java.nio.file.Files.writeString(
                        dir.resolve("rules.json"), "{\"maxPerCategory\":0}");
        assertThatThrownBy(
                        () ->
                                ApiServer.start(
                                        new ApiSettings(0, "127.0.0.1", 6379, "")
                                                .withRules(rules.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "rules file "
                                + rules
                                + ": maxPerCategory must be an integer between 1 and 100; got 0");
    }
}
