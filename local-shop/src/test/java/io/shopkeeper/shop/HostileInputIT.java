package io.shopkeeper.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The fuzzing test of issue 8: thousands of random and hostile records straight into Kafka and
 * through the collector, mixed with good events that are each delivered more than once (resent over
 * Kafka, retried through the API, orders re-posted under new eventIds). The job must never restart,
 * every hostile Kafka record must reach dead-letters with a reason, every bad API call must get a
 * 4xx in the JSON error shape, and every good event must count exactly once. The job's progress
 * counter ({@link RedisKeys#EVENTS_APPLIED}) ends at exactly the visitor-topic records the job
 * read: every copy, hostile record and late leave beacon once, none twice.
 */
class HostileInputIT extends ShopTestBase {
    private static final int VIEWERS = 120;
    private static final int VIEWS_EACH = 5;
    private static final int BUYERS = 40;
    private static final int HOSTILE_RECORDS = 2_000;
    private static final int HOSTILE_REQUESTS = 150;

    private final Random random = new Random(8);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** Recent event times (the accepted range is judged on the wall clock). */
    private final Instant base = Instant.now().minus(Duration.ofMinutes(20));

    private String time(int second) {
        return base.plusSeconds(second).toString();
    }

    private String view(String visitor, String eventId, String item, int second) {
        return """
                {"type":"product_view","eventId":"%s","timestamp":"%s","anonymousId":"%s",
                 "sessionId":"s-%s","itemId":"%s","categoryId":"c1","price":10.0}"""
                .formatted(eventId, time(second), visitor, visitor, item);
    }

    /** The leave beacon of a session the visitor is no longer in: it changes nothing. */
    private String lateLeave(String visitor, String eventId, int second) {
        return """
                {"type":"page_leave","eventId":"%s","timestamp":"%s","anonymousId":"%s",
                 "sessionId":"s-gone-%s","pageType":"product"}"""
                .formatted(eventId, time(second), visitor, visitor);
    }

    private String order(String customer, String eventId, String orderId, int second) {
        return """
                {"type":"order_placed","eventId":"%s","timestamp":"%s","customerId":"%s",
                 "orderId":"%s","lines":[{"itemId":"b1","quantity":2,"unitPrice":25.0}],"total":50.0}"""
                .formatted(eventId, time(second), customer, orderId);
    }

    /** Records produced to the visitor topics, by the test or through the collector. */
    private static long visitorRecords;

    private static void sendRaw(String topic, String key, byte[] value) {
        if (Topics.VISITOR_INPUTS.contains(topic)) visitorRecords++;
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce", e);
        }
    }

    private static void sendRaw(String topic, String key, String value) {
        sendRaw(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Posts with the storefront key; honours 429's Retry-After like a well-behaved client. */
    private static HttpResponse<String> post(String contentType, String body) throws Exception {
        while (true) {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(apiUrl("/v1/events")))
                                    .header("Content-Type", contentType)
                                    .header(
                                            "Authorization",
                                            "Bearer " + shop.api().access().storefrontKey())
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 429) return response;
            Thread.sleep(
                    1000L * Long.parseLong(response.headers().firstValue("Retry-After").get()));
        }
    }

    private static String array(List<String> events) {
        StringJoiner joined = new StringJoiner(",", "[", "]");
        events.forEach(joined::add);
        return joined.toString();
    }

    /**
     * Kafka records the codec must refuse, one kind per case; some random, all hostile. (These
     * tests accept a century of history, see {@link #RECORDED_HISTORY}: "too old" is 1900.)
     */
    private String hostileRecord(int i) {
        String id = run + "-bad-" + i;
        return switch (i % 16) {
            case 0 ->
                    view("anon-h", id, "i1", 0)
                            .replace(time(0), Instant.now().plus(Duration.ofHours(2)).toString());
            case 1 -> view("anon-h", id, "i1", 0).replace(time(0), "+999999999-12-31T23:59:59Z");
            case 2 -> view("anon-h", id, "i1", 0).replace(time(0), "1900-01-01T00:00:00Z");
            case 3 -> view("anon-h", id, "i1", 0).replace(time(0), "yesterday");
            case 4 -> view("anon-h", id, "i1", 0) + view("anon-h", id + "b", "i2", 0);
            case 5 -> view("anon-h", id, "i1", 0) + " trailing garbage";
            case 6 -> view("anon-h", id, "i1", 0).replace("10.0", "-1");
            case 7 -> view("anon-h", id, "i1", 0).replace("product_view", "teleport");
            case 8 -> "[".repeat(5_000) + "]".repeat(5_000);
            case 9 ->
                    order("cust-h", id, "o-h", 0)
                            .replace(
                                    "\"lines\":[{\"itemId\":\"b1\",\"quantity\":2,\"unitPrice\":25.0}]",
                                    "\"lines\":[]");
            case 10 ->
                    order("cust-h", id, "o-h", 0).replace("\"quantity\":2", "\"quantity\":\"two\"");
            case 11 -> "{\"type\":\"product_view\",\"eventId\":\"" + id + "\"}";
            case 12 -> view("anon-h", id, "i1", 0).replace("anon-h", "x".repeat(600));
            case 13 -> "null";
            case 14 -> "{\"type\":" + random.nextDouble() + ",\"eventId\":[1,2]}";
            default -> {
                byte[] junk = new byte[random.nextInt(200)];
                random.nextBytes(junk);
                yield new String(junk, StandardCharsets.ISO_8859_1);
            }
        };
    }

    @Test
    void hostileInputNeverRestartsTheJobAndEveryGoodEventCountsExactlyOnce() throws Exception {
        // 1. Good events, first delivery, straight to Kafka.
        List<String> viewers = new ArrayList<>();
        List<List<String>> batches = new ArrayList<>();
        for (int v = 0; v < VIEWERS; v++) {
            String visitor = "anon-fz-" + run + "-" + v;
            viewers.add(visitor);
            List<String> batch = new ArrayList<>();
            for (int k = 0; k < VIEWS_EACH; k++) {
                batch.add(view(visitor, visitor + "-e" + k, "i" + (v % 7 + k), v + k));
            }
            batches.add(batch);
            for (String e : batch) sendRaw(Topics.CLICKSTREAM, visitor, e);
        }
        List<String> buyers = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int c = 0; c < BUYERS; c++) {
            String customer = "cust-fz-" + run + "-" + c;
            buyers.add(customer);
            String placed = order(customer, customer + "-o", "order-" + customer, c);
            orders.add(placed);
            sendRaw(Topics.ORDERS, customer, placed);
        }

        // 2. Hostile records straight to Kafka, interleaved with resends of good ones.
        for (int i = 0; i < HOSTILE_RECORDS; i++) {
            String key = i % 3 == 0 ? null : viewers.get(i % VIEWERS);
            sendRaw(i % 2 == 0 ? Topics.CLICKSTREAM : Topics.ORDERS, key, hostileRecord(i));
            if (i % 20 == 0) {
                int v = (i / 20) % VIEWERS;
                for (String e : batches.get(v)) sendRaw(Topics.CLICKSTREAM, viewers.get(v), e);
            }
        }
        for (int c = 0; c < BUYERS; c++) {
            sendRaw(Topics.ORDERS, buyers.get(c), orders.get(c));
        }

        // 3. Retries through the collector: every viewer's batch again, every order again under a
        // new eventId (same orderId); and hostile requests, each of which must be a JSON 4xx.
        for (int from = 0; from < VIEWERS; from += 20) {
            List<String> retry = new ArrayList<>();
            for (int v = from; v < Math.min(VIEWERS, from + 20); v++) retry.addAll(batches.get(v));
            assertThat(post("application/json", array(retry)).statusCode()).isEqualTo(202);
            visitorRecords += retry.size();
        }
        for (int c = 0; c < BUYERS; c++) {
            String reposted =
                    orders.get(c).replace(buyers.get(c) + "-o\"", buyers.get(c) + "-o-again\"");
            assertThat(post("application/json", reposted).statusCode()).isEqualTo(202);
            visitorRecords++;
        }
        int refused = 0;
        for (int i = 0; i < HOSTILE_REQUESTS; i++) {
            String body = hostileRecord(i + 100_000);
            HttpResponse<String> answer =
                    post(i % 10 == 9 ? "text/plain" : "application/json", body);
            assertThat(answer.statusCode())
                    .as("hostile request %d: %s -> %s", i, body, answer.body())
                    .isBetween(400, 499);
            JsonNode error = readTree(answer.body());
            assertThat(error.get("status").asInt()).isEqualTo(answer.statusCode());
            assertThat(error.get("message").asText()).isNotBlank();
            refused++;
        }
        assertThat(refused).isEqualTo(HOSTILE_REQUESTS);

        // Leave beacons of a session each viewer is not in: they change nothing, but are done.
        for (int v = 0; v < VIEWERS; v++) {
            String visitor = viewers.get(v);
            sendRaw(Topics.CLICKSTREAM, visitor, lateLeave(visitor, visitor + "-leave", v + 9));
        }

        // 4. A marker per visitor, after all their copies on the same partition: once it is
        // applied, every copy before it has been seen.
        for (int v = 0; v < VIEWERS; v++) {
            sendRaw(
                    Topics.CLICKSTREAM,
                    viewers.get(v),
                    view(viewers.get(v), viewers.get(v) + "-marker", "marker", 100 + v));
        }
        for (int c = 0; c < BUYERS; c++) {
            String customer = buyers.get(c);
            sendRaw(
                    Topics.CLICKSTREAM,
                    customer,
                    view(customer, customer + "-marker", "marker", 100 + c)
                            .replace("\"anonymousId\"", "\"customerId\""));
        }

        for (String visitor : viewers) {
            JsonNode profile = awaitProfileWithMarker(visitor);
            assertThat(profile.get("events").asLong()).as(visitor).isEqualTo(VIEWS_EACH + 1);
        }
        for (String customer : buyers) {
            JsonNode profile = awaitProfileWithMarker(customer);
            assertThat(profile.get("orders").asLong()).as(customer).isEqualTo(1);
            assertThat(profile.get("spend").asDouble()).as(customer).isEqualTo(50.0);
        }

        // 5. Every hostile Kafka record is in dead-letters with a reason, and the job never
        // restarted.
        Set<String> reasons = new HashSet<>();
        long deadLetters = countDeadLetters(reasons);
        assertThat(deadLetters).isEqualTo(HOSTILE_RECORDS);
        assertThat(reasons)
                .anyMatch(r -> r.contains("ahead of the receiver's clock"))
                .anyMatch(r -> r.contains("old (receiver's clock"))
                .anyMatch(r -> r.startsWith("malformed JSON"));
        // Never restarted: still running, and no record was read twice (a restart rewinds the
        // sources to the last checkpoint and would write its dead letters again).
        assertThat(shop.job().getJobStatus().get().name()).isEqualTo("RUNNING");

        // 6. The progress counter: every visitor-topic record the job read, once.
        long counted = awaitEventsDone(visitorRecords);
        assertThat(counted)
                .as("visitor events done, of %d read", visitorRecords)
                .isEqualTo(visitorRecords);
    }

    /** The progress counter once it has reached {@code expected} (more would be an over-count). */
    private static long awaitEventsDone(long expected) {
        return AwaitValue.until(
                expected + " visitor events done",
                TIMEOUT,
                () -> {
                    String value = redis.get(RedisKeys.EVENTS_APPLIED);
                    long counted = value == null ? 0 : Long.parseLong(value);
                    return counted >= expected ? counted : null;
                });
    }

    private JsonNode awaitProfileWithMarker(String visitor) {
        return AwaitValue.until(
                "profile of " + visitor + " with its marker",
                TIMEOUT,
                () -> {
                    String json = redis.get(RedisKeys.profile(visitor));
                    if (json == null) return null;
                    JsonNode profile = readTree(json);
                    return profile.get("recentViews").toString().contains("\"marker\"")
                            ? profile
                            : null;
                });
    }

    private static long countDeadLetters(Set<String> reasons) {
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                shop.kafka().bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "hostile-it-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            long[] count = {0};
            AwaitValue.until(
                    HOSTILE_RECORDS + " dead letters",
                    TIMEOUT,
                    () -> {
                        for (var record : consumer.poll(Duration.ofMillis(500))) {
                            count[0]++;
                            reasons.add(readTree(record.value()).get("reason").asText());
                        }
                        return count[0] >= HOSTILE_RECORDS ? Boolean.TRUE : null;
                    });
            // Nothing beyond them (a good event dead-lettered would show here).
            for (var record : consumer.poll(Duration.ofSeconds(2))) count[0]++;
            return count[0];
        }
    }
}
