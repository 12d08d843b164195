package io.shopkeeper.api.events;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asStorefront;
import static io.shopkeeper.api.ApiFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.ApiFixtures;
import io.shopkeeper.api.KafkaTestBase;
import io.shopkeeper.api.TopicReader;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/events} against a real Kafka broker: the test reads the topics back to check the
 * valid events arrived (keyed, encoded by the codec) and the rejected ones did not.
 */
class EventsRouteTest extends KafkaTestBase {
    private String productView(String eventId, String visitor, String item) {
        return """
                {"type":"product_view","eventId":"%s","timestamp":"2026-11-22T10:15:30Z",
                 "anonymousId":"%s","sessionId":"s-1","itemId":"%s","price":19.99}"""
                .formatted(run + "-" + eventId, visitor, item);
    }

    private String orderPlaced(String eventId, String customer) {
        return """
                {"type":"order_placed","eventId":"%s","timestamp":"2026-11-22T10:20:00+01:00","customerId":"%s",
                 "orderId":"o-1","lines":[{"itemId":"i1","quantity":2,"unitPrice":5.0}],"total":10.0}"""
                .formatted(run + "-" + eventId, customer);
    }

    private String itemUpdate(String eventId, String item) {
        return """
                {"type":"item_update","eventId":"%s","timestamp":"2026-11-22T10:15:30Z","itemId":"%s","inStock":false}"""
                .formatted(run + "-" + eventId, item);
    }

    private List<ConsumerRecord<String, String>> published(String topic) {
        return TopicReader.readAll(kafka.bootstrapServers(), topic).stream()
                .filter(r -> r.value().contains("\"" + run + "-"))
                .toList();
    }

    private static String array(String... events) {
        StringJoiner joined = new StringJoiner(",", "[", "]");
        for (String e : events) joined.add(e);
        return joined.toString();
    }

    @Test
    void singleValidEventIsPublishedToItsTopicKeyedByVisitor() {
        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", productView("e1", "anon-7", "shoe-1"));
                    assertThat(response.code()).isEqualTo(202);
                    JsonNode body = body(response);
                    assertThat(body.get("accepted").asInt()).isEqualTo(1);
                    assertThat(body.get("rejected").asInt()).isZero();
                    assertThat(body.get("errors")).isEmpty();
                    assertThat(body.has("error")).isFalse();
                });

        List<ConsumerRecord<String, String>> records = published(Topics.CLICKSTREAM);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo("anon-7");
        var event = EventCodec.decode(records.get(0).value()).event();
        assertThat(event.getType()).isEqualTo(EventType.PRODUCT_VIEW);
        assertThat(event.getItemId()).isEqualTo("shoe-1");
    }

    @Test
    void mixedBatchPublishesTheValidEventsAndReportsTheBadOnesByIndex() {
        String batch =
                array(
                        productView("e1", "anon-1", "shoe-1"),
                        "{\"type\":\"teleport\",\"eventId\":\""
                                + run
                                + "-bad1\",\"timestamp\":\"2026-11-22T10:15:30Z\"}",
                        orderPlaced("e2", "c-9"),
                        "{\"type\":\"product_view\",\"eventId\":\""
                                + run
                                + "-bad2\",\"timestamp\":\"2026-11-22T10:15:30Z\",\"anonymousId\":\"a\",\"sessionId\":\"s\"}",
                        "42",
                        itemUpdate("e3", "shoe-1"));

        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", batch);
                    assertThat(response.code()).isEqualTo(202);
                    JsonNode body = body(response);
                    assertThat(body.get("accepted").asInt()).isEqualTo(3);
                    assertThat(body.get("rejected").asInt()).isEqualTo(3);
                    JsonNode errors = body.get("errors");
                    assertThat(errors).hasSize(3);
                    assertThat(errors.get(0).get("index").asInt()).isEqualTo(1);
                    assertThat(errors.get(0).get("reason").asText())
                            .startsWith("unknown type 'teleport'");
                    assertThat(errors.get(1).get("index").asInt()).isEqualTo(3);
                    assertThat(errors.get(1).get("reason").asText())
                            .isEqualTo("itemId is required");
                    assertThat(errors.get(2).get("index").asInt()).isEqualTo(4);
                    assertThat(errors.get(2).get("reason").asText())
                            .isEqualTo("event must be a JSON object");
                });

        assertThat(published(Topics.CLICKSTREAM))
                .extracting(ConsumerRecord::key)
                .containsExactly("anon-1");
        assertThat(published(Topics.ORDERS)).extracting(ConsumerRecord::key).containsExactly("c-9");
        assertThat(published(Topics.CATALOG))
                .extracting(ConsumerRecord::key)
                .containsExactly("shoe-1");
        assertThat(published(Topics.CLICKSTREAM)).noneMatch(r -> r.value().contains("bad"));
    }

    @Test
    void batchWithOnlyBadEventsGets400WithTheSameReportAndPublishesNothing() {
        String batch = array("{\"type\":\"page_view\",\"eventId\":\"" + run + "-bad\"}", "[]");

        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", batch);
                    assertThat(response.code()).isEqualTo(400);
                    JsonNode body = body(response);
                    assertThat(body.get("accepted").asInt()).isZero();
                    assertThat(body.get("rejected").asInt()).isEqualTo(2);
                    assertThat(body.get("errors").get(0).get("reason").asText())
                            .isEqualTo("timestamp is required");
                    assertThat(body.get("error").asText()).isEqualTo("bad_request");
                    assertThat(body.get("message").asText())
                            .isEqualTo("no valid event in the request");
                    assertThat(body.get("status").asInt()).isEqualTo(400);
                });

        assertThat(published(Topics.CLICKSTREAM)).isEmpty();
    }

    @Test
    void emptyBatchGets400() {
        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", "[]");
                    assertThat(response.code()).isEqualTo(400);
                    assertThat(body(response).get("message").asText())
                            .isEqualTo("the request holds no events");
                });
    }

    @Test
    void malformedJsonGets400JsonError() {
        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", "{\"type\": ");
                    assertThat(response.code()).isEqualTo(400);
                    JsonNode body = body(response);
                    assertThat(body.get("error").asText()).isEqualTo("bad_request");
                    assertThat(body.get("message").asText()).startsWith("malformed JSON body");
                    assertThat(body.get("status").asInt()).isEqualTo(400);
                });
    }

    @Test
    void nonObjectBodyGets400() {
        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", "\"hello\"");
                    assertThat(response.code()).isEqualTo(400);
                    assertThat(body(response).get("message").asText())
                            .isEqualTo(
                                    "the body must be an event object or a JSON array of events");
                });
    }

    @Test
    void batchOverTheLimitGets413AndPublishesNothing() {
        String[] events = new String[EventsController.MAX_BATCH + 1];
        for (int i = 0; i < events.length; i++)
            events[i] = productView("big" + i, "anon-big", "i" + i);

        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", array(events));
                    assertThat(response.code()).isEqualTo(413);
                    JsonNode body = body(response);
                    assertThat(body.get("error").asText()).isEqualTo("payload_too_large");
                    assertThat(body.get("message").asText())
                            .isEqualTo("a batch holds at most 1000 events; got 1001");
                });

        assertThat(published(Topics.CLICKSTREAM)).isEmpty();
    }

    @Test
    void fullBatchIsPublishedCompletely() {
        String[] events = new String[EventsController.MAX_BATCH];
        for (int i = 0; i < events.length; i++)
            events[i] = productView("full" + i, "anon-" + (i % 10), "i" + i);

        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", array(events));
                    assertThat(response.code()).isEqualTo(202);
                    assertThat(body(response).get("accepted").asInt()).isEqualTo(1000);
                });

        assertThat(published(Topics.CLICKSTREAM)).hasSize(1000);
    }

    @Test
    void unreachableKafkaGets503JsonErrorInBoundedTime() {
        try (var deadKafka =
                new KafkaEventPublisher(
                        "127.0.0.1:" + EmbeddedRedis.freePort(), Duration.ofMillis(500))) {
            asStorefront(
                    app(store, deadKafka),
                    (server, client) -> {
                        var response =
                                client.post(
                                        "/v1/events",
                                        array(
                                                productView("d1", "anon-1", "i1"),
                                                productView("d2", "anon-2", "i2"),
                                                orderPlaced("d3", "c-1")));
                        assertThat(response.code()).isEqualTo(503);
                        assertThat(response.header("Retry-After")).isEqualTo("1");
                        JsonNode body = body(response);
                        assertThat(body.get("error").asText()).isEqualTo("service_unavailable");
                        assertThat(body.get("message").asText())
                                .startsWith("kafka did not acknowledge the events");
                        assertThat(body.get("status").asInt()).isEqualTo(503);
                    });
        }
    }

    // Issue 8, finding 11: a permanent failure is a 4xx with the reason, never a 503 to retry.
    @Test
    void eventTooLargeForTheLogIsRejectedWithItsReasonNot503() {
        StringJoiner lines = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 20_000; i++) {
            lines.add("{\"itemId\":\"item-" + i + "\",\"quantity\":1,\"unitPrice\":1.0}");
        }
        String hugeOrder =
                """
                {"type":"order_placed","eventId":"%s","timestamp":"2026-11-22T10:20:00Z","customerId":"c-big",
                 "orderId":"o-big","lines":%s,"total":20000.0}"""
                        .formatted(run + "-big", lines);
        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response =
                            client.post(
                                    "/v1/events",
                                    array(hugeOrder, productView("small", "anon-9", "i9")));
                    assertThat(response.code()).isEqualTo(202);
                    JsonNode body = body(response);
                    assertThat(body.get("accepted").asInt()).isEqualTo(1);
                    assertThat(body.get("errors").get(0).get("index").asInt()).isZero();
                    assertThat(body.get("errors").get(0).get("reason").asText())
                            .matches("event is \\d+ bytes encoded; at most 524288");
                    var alone = client.post("/v1/events", hugeOrder);
                    assertThat(alone.code()).isEqualTo(400);
                    assertThat(alone.header("Retry-After")).isNull();
                });
        assertThat(published(Topics.ORDERS)).isEmpty();
        assertThat(published(Topics.CLICKSTREAM)).hasSize(1);
    }

    @Test
    void visitorOverTheRateLimitGets429WithRetryAfterAndNothingOfTheRequestIsPublished() {
        // 1 event/s per visitor: a bucket of 10.
        var limited = ApiFixtures.ACCESS.withRateLimits(1000, 1);
        String[] burst = new String[10];
        for (int i = 0; i < burst.length; i++) burst[i] = productView("ok" + i, "anon-busy", "i1");

        asStorefront(
                app(store, ApiFixtures.unwiredCustomers(), publisher, limited),
                (server, client) -> {
                    assertThat(client.post("/v1/events", array(burst)).code()).isEqualTo(202);
                    var refused =
                            client.post(
                                    "/v1/events",
                                    array(
                                            productView("calm", "anon-calm", "i2"),
                                            productView("over", "anon-busy", "i3")));
                    assertThat(refused.code()).isEqualTo(429);
                    assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 10L);
                    JsonNode body = body(refused);
                    assertThat(body.get("error").asText()).isEqualTo("too_many_requests");
                    assertThat(body.get("message").asText())
                            .isEqualTo(
                                    "too many events for visitor 'anon-busy' (at most 1/s); retry"
                                            + " later");
                    // The refused request cost the calm visitor nothing: their whole bucket is
                    // left.
                    String[] calm = new String[10];
                    for (int i = 0; i < calm.length; i++)
                        calm[i] = productView("calm" + i, "anon-calm", "i4");
                    assertThat(client.post("/v1/events", array(calm)).code()).isEqualTo(202);
                });

        assertThat(published(Topics.CLICKSTREAM))
                .hasSize(20)
                .noneMatch(r -> r.value().contains(run + "-over"))
                .noneMatch(r -> r.value().contains(run + "-calm\""));
    }

    @Test
    void keyOverTheRateLimitGets429() {
        // 2 events/s per key: a bucket of 20.
        var limited = ApiFixtures.ACCESS.withRateLimits(2, 100);
        String[] events = new String[20];
        for (int i = 0; i < events.length; i++) events[i] = productView("k" + i, "anon-" + i, "i1");

        asStorefront(
                app(store, ApiFixtures.unwiredCustomers(), publisher, limited),
                (server, client) -> {
                    assertThat(client.post("/v1/events", array(events)).code()).isEqualTo(202);
                    var refused = client.post("/v1/events", productView("k-over", "anon-x", "i1"));
                    assertThat(refused.code()).isEqualTo(429);
                    assertThat(refused.header("Retry-After")).isEqualTo("1");
                    assertThat(body(refused).get("message").asText())
                            .isEqualTo(
                                    "too many events for this API key (at most 2/s); retry later");
                });

        assertThat(published(Topics.CLICKSTREAM)).hasSize(20);
    }

    @Test
    void moreEventsOfOneVisitorThanTheirWholeBurstGets413() {
        var limited = ApiFixtures.ACCESS.withRateLimits(1000, 1);
        String[] events = new String[11];
        for (int i = 0; i < events.length; i++) events[i] = productView("b" + i, "anon-b", "i1");

        asStorefront(
                app(store, ApiFixtures.unwiredCustomers(), publisher, limited),
                (server, client) -> {
                    var response = client.post("/v1/events", array(events));
                    assertThat(response.code()).isEqualTo(413);
                    assertThat(body(response).get("message").asText())
                            .isEqualTo(
                                    "a request may carry at most 10 events of one visitor; got 11"
                                            + " for 'anon-b'");
                });

        assertThat(published(Topics.CLICKSTREAM)).isEmpty();
    }

    // Issue 8, findings 1, 2 and 4: the collector refuses what the job would dead-letter.
    @Test
    void eventsOutsideTheAcceptedTimeRangeGet400WithTheReason() {
        String ahead =
                productView("ahead", "anon-t", "i1")
                        .replace("2026-11-22T10:15:30Z", "2026-11-22T12:15:30Z");
        String far =
                productView("far", "anon-t", "i1")
                        .replace("2026-11-22T10:15:30Z", "+999999999-12-31T23:59:59Z");
        String old =
                productView("old", "anon-t", "i1")
                        .replace("2026-11-22T10:15:30Z", "1970-01-01T00:00:00Z");
        asStorefront(
                app(store, publisher),
                (server, client) -> {
                    var response = client.post("/v1/events", array(ahead, far, old));
                    assertThat(response.code()).isEqualTo(400);
                    JsonNode errors = body(response).get("errors");
                    assertThat(errors).hasSize(3);
                    assertThat(errors.get(0).get("reason").asText())
                            .isEqualTo(
                                    "timestamp 2026-11-22T12:15:30Z is more than PT5M ahead of the"
                                            + " receiver's clock (2026-11-22T10:15:30Z)");
                    assertThat(errors.get(1).get("reason").asText()).contains("ahead");
                    assertThat(errors.get(2).get("reason").asText())
                            .startsWith("timestamp 1970-01-01T00:00:00Z is more than PT720H old");
                });
        assertThat(published(Topics.CLICKSTREAM)).isEmpty();
    }
}
