package io.shopkeeper.api.customers;

import static io.shopkeeper.api.ApiFixtures.NOW;
import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.KafkaTestBase;
import io.shopkeeper.api.TopicReader;
import io.shopkeeper.schemas.DecodeResult;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /v1/customers/{id}} against a real Kafka broker (the test reads the topic back) and
 * {@code GET /v1/customers/{id}/deletion} on a real Redis.
 */
class DeletionRouteTest extends KafkaTestBase {
    private List<ConsumerRecord<String, String>> publishedFor(String visitor) {
        return TopicReader.readAll(kafka.bootstrapServers(), EventType.CUSTOMER_FORGOTTEN.topic())
                .stream()
                .filter(r -> visitor.equals(r.key()))
                .toList();
    }

    @Test
    void deleteAnswers202AndPublishesTheForgetEventKeyedByTheId() {
        String customer = "c-" + run;
        put(RedisKeys.profile(customer), "{\"visitorId\":\"" + customer + "\"}");

        asAdmin(
                app(store, customers, publisher),
                (server, client) -> {
                    var response = client.delete("/v1/customers/" + customer);
                    assertThat(response.code()).isEqualTo(202);
                    JsonNode body = body(response);
                    assertThat(body.get("customer").asText()).isEqualTo(customer);
                    assertThat(body.get("status").asText()).isEqualTo("pending");
                    assertThat(body.get("statusUrl").asText())
                            .isEqualTo("/v1/customers/" + customer + "/deletion");

                    JsonNode status = body(client.get(body.get("statusUrl").asText()));
                    assertThat(status.get("status").asText()).isEqualTo("pending");
                });

        List<ConsumerRecord<String, String>> records = publishedFor(customer);
        assertThat(records).hasSize(1);
        DecodeResult decoded = EventCodec.decode(records.get(0).value());
        assertThat(decoded.error()).isNull();
        ShopEvent event = decoded.event();
        assertThat(event.getType()).isEqualTo(EventType.CUSTOMER_FORGOTTEN);
        assertThat(event.getCustomerId()).isEqualTo(customer);
        assertThat(event.visitorKey()).isEqualTo(customer);
        assertThat(event.getTimestamp()).isEqualTo(NOW);
        assertThat(UUID.fromString(event.getEventId())).isNotNull();
    }

    @Test
    void anonymousIdsAndUnknownIdsAreForgottenAlike() {
        String anonymous = "anon " + run;

        asAdmin(
                app(store, customers, publisher),
                (server, client) -> {
                    var response = client.delete("/v1/customers/anon%20" + run);
                    assertThat(response.code()).isEqualTo(202);
                    JsonNode body = body(response);
                    assertThat(body.get("customer").asText()).isEqualTo(anonymous);
                    assertThat(body.get("statusUrl").asText())
                            .isEqualTo("/v1/customers/anon%20" + run + "/deletion");
                    assertThat(client.get(body.get("statusUrl").asText()).code()).isEqualTo(200);
                });

        assertThat(publishedFor(anonymous))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(EventCodec.decode(r.value()).event().getCustomerId())
                                        .isEqualTo(anonymous));
    }

    @Test
    void eachRequestPublishesItsOwnEvent() {
        String customer = "c-" + run;

        asAdmin(
                app(store, customers, publisher),
                (server, client) -> {
                    assertThat(client.delete("/v1/customers/" + customer).code()).isEqualTo(202);
                    assertThat(client.delete("/v1/customers/" + customer).code()).isEqualTo(202);
                });

        assertThat(publishedFor(customer))
                .extracting(r -> EventCodec.decode(r.value()).event().getEventId())
                .hasSize(2)
                .doesNotHaveDuplicates();
    }

    @Test
    void withoutAnEventLogDeleteGets503AndNothingIsClaimed() {
        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.delete("/v1/customers/c1");
                    assertThat(response.code()).isEqualTo(503);
                    JsonNode body = body(response);
                    assertThat(body.get("error").asText()).isEqualTo("service_unavailable");
                    assertThat(body.get("message").asText())
                            .startsWith("event collection is disabled");
                });
    }

    @Test
    void blankOrOverlongIdGets400AndPublishesNothing() {
        String tooLong = "x".repeat(513);

        asAdmin(
                app(store, customers, publisher),
                (server, client) -> {
                    var blank = client.delete("/v1/customers/%20");
                    assertThat(blank.code()).isEqualTo(400);
                    assertThat(body(blank).get("message").asText())
                            .isEqualTo("id must not be blank");
                    assertThat(client.delete("/v1/customers/" + tooLong).code()).isEqualTo(400);
                    assertThat(client.get("/v1/customers/" + tooLong + "/deletion").code())
                            .isEqualTo(400);
                });

        assertThat(publishedFor(" ")).isEmpty();
        assertThat(publishedFor(tooLong)).isEmpty();
    }

    @Test
    void statusIsDoneWithCompletionTimeOnceTheJobConfirmed() {
        redis.set(RedisKeys.forgotten("c1"), String.valueOf(NOW.toEpochMilli()));

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/customers/c1/deletion");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(body(response).toString())
                            .isEqualTo(
                                    "{\"customer\":\"c1\",\"status\":\"done\",\"completedAt\":\"2026-11-22T10:15:30Z\"}");
                });
    }

    @Test
    void statusIsPendingWhileDataRemainsAndUnknownOtherwise() {
        put(RedisKeys.profile("with-profile"), "{}");
        put(RedisKeys.recommendations("with-recs"), "{\"items\":[]}");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    assertThat(body(client.get("/v1/customers/with-profile/deletion")).toString())
                            .isEqualTo("{\"customer\":\"with-profile\",\"status\":\"pending\"}");
                    assertThat(
                                    body(client.get("/v1/customers/with-recs/deletion"))
                                            .get("status")
                                            .asText())
                            .isEqualTo("pending");
                    var unknown = client.get("/v1/customers/never-seen/deletion");
                    assertThat(unknown.code()).isEqualTo(200);
                    assertThat(body(unknown).toString())
                            .isEqualTo("{\"customer\":\"never-seen\",\"status\":\"unknown\"}");
                });
    }
}
