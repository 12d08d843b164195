package io.shopkeeper.api.offers;

import static io.shopkeeper.api.ApiFixtures.NOW;
import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.shopkeeper.api.KafkaTestBase;
import io.shopkeeper.api.TopicReader;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.schemas.offers.CampaignCodec;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The campaign routes on a real Redis (the API's view) and a real Kafka broker (the {@code
 * campaigns} topic the job reads, checked by reading it back).
 */
class CampaignsRouteTest extends KafkaTestBase {
    private static final MediaType JSON = MediaType.get("application/json");

    private String id;

    private String bargain() {
        id = "bargain-" + run;
        return """
               {"id": "%s", "name": "Coupon when a bargain hunter leaves at the price",
                "trigger": {"type": "left_at_price"},
                "audience": "priceSensitive && lifecycle != 'lapsed'",
                "offer": {"kind": "coupon", "discountPercent": 10, "validFor": "P2D", "message": "10%% off today"},
                "channel": "onsite", "cap": {"perCustomer": 1, "per": "P7D"},
                "holdoutPercent": 10, "conversionWindow": "P7D", "priority": 50, "status": "live"}
               """
                .formatted(id);
    }

    static Response send(HttpClient client, String method, String path, String json) {
        return client.request(
                path,
                b ->
                        b.method(
                                method,
                                json == null
                                        ? (method.equals("POST")
                                                ? RequestBody.create(new byte[0], null)
                                                : null)
                                        : RequestBody.create(json, JSON)));
    }

    private List<JsonNode> published(String campaignId) {
        return TopicReader.readAll(kafka.bootstrapServers(), Topics.CAMPAIGNS).stream()
                .filter(r -> campaignId.equals(r.key()))
                .map(
                        r -> {
                            try {
                                return io.shopkeeper.schemas.EventCodec.mapper()
                                        .readTree(r.value());
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        })
                .toList();
    }

    @Test
    void createReadChangeAndPublishEveryVersion() {
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    Response created = send(client, "POST", "/v1/campaigns", bargain());
                    assertThat(created.code()).isEqualTo(201);
                    assertThat(created.header("Location")).isEqualTo("/v1/campaigns/" + id);
                    JsonNode c = body(created);
                    assertThat(c.get("version").asLong()).isEqualTo(1);
                    assertThat(c.get("updatedAt").asText()).isEqualTo(NOW.toString());
                    assertThat(c.at("/trigger/type").asText()).isEqualTo("left_at_price");

                    assertThat(body(client.get("/v1/campaigns/" + id)).get("version").asLong())
                            .isEqualTo(1);
                    assertThat(body(client.get("/v1/campaigns")).get("campaigns"))
                            .extracting(n -> n.get("id").asText())
                            .containsExactly(id);

                    // PUT without the id, and a client-sent version is ignored.
                    String changed =
                            bargain()
                                    .replace("\"id\": \"" + id + "\", ", "\"version\": 77, ")
                                    .replace("\"priority\": 50", "\"priority\": 60");
                    Response put = send(client, "PUT", "/v1/campaigns/" + id, changed);
                    assertThat(put.code()).isEqualTo(200);
                    JsonNode v2 = body(put);
                    assertThat(v2.get("version").asLong()).isEqualTo(2);
                    assertThat(v2.get("priority").asInt()).isEqualTo(60);

                    assertThat(
                                    body(send(
                                                    client,
                                                    "POST",
                                                    "/v1/campaigns/" + id + "/pause",
                                                    null))
                                            .get("status")
                                            .asText())
                            .isEqualTo("paused");
                    assertThat(
                                    body(send(
                                                    client,
                                                    "POST",
                                                    "/v1/campaigns/" + id + "/pause",
                                                    null))
                                            .get("version")
                                            .asLong())
                            .as("pausing again is harmless and makes no new version")
                            .isEqualTo(3);
                    assertThat(
                                    body(send(
                                                    client,
                                                    "POST",
                                                    "/v1/campaigns/" + id + "/resume",
                                                    null))
                                            .get("status")
                                            .asText())
                            .isEqualTo("live");
                    JsonNode ended =
                            body(send(client, "POST", "/v1/campaigns/" + id + "/end", null));
                    assertThat(ended.get("status").asText()).isEqualTo("ended");
                    assertThat(ended.get("version").asLong()).isEqualTo(5);
                });

        List<JsonNode> versions = published(id);
        assertThat(versions)
                .extracting(n -> n.get("version").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(versions)
                .extracting(n -> n.get("status").asText())
                .containsExactly("live", "live", "paused", "live", "ended");
        // What the job reads decodes with the shared codec, defaults included.
        assertThat(CampaignCodec.decode(versions.get(0)).campaign().cap().per()).isEqualTo("P7D");
    }

    @Test
    void conflictsAndUnknownCampaigns() {
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    assertThat(send(client, "POST", "/v1/campaigns", bargain()).code())
                            .isEqualTo(201);
                    Response again = send(client, "POST", "/v1/campaigns", bargain());
                    assertThat(again.code()).isEqualTo(409);
                    assertThat(body(again).get("error").asText()).isEqualTo("conflict");

                    assertThat(send(client, "PUT", "/v1/campaigns/other-" + run, bargain()).code())
                            .isEqualTo(404);
                    Response mismatch =
                            send(
                                    client,
                                    "PUT",
                                    "/v1/campaigns/" + id,
                                    bargain().replace(id, id + "-x"));
                    assertThat(mismatch.code()).isEqualTo(400);
                    assertThat(body(mismatch).get("message").asText()).contains("does not match");

                    assertThat(send(client, "POST", "/v1/campaigns/" + id + "/end", null).code())
                            .isEqualTo(200);
                    assertThat(
                                    body(send(
                                                    client,
                                                    "POST",
                                                    "/v1/campaigns/" + id + "/resume",
                                                    null))
                                            .get("message")
                                            .asText())
                            .contains("has ended");
                    assertThat(send(client, "PUT", "/v1/campaigns/" + id, bargain()).code())
                            .isEqualTo(409);
                    assertThat(send(client, "POST", "/v1/campaigns/" + id + "/end", null).code())
                            .isEqualTo(200);

                    for (String path :
                            new String[] {
                                "", "/pause", "/resume", "/end", "/preview", "/results"
                            }) {
                        String method = path.isEmpty() || path.equals("/results") ? "GET" : "POST";
                        Response r = send(client, method, "/v1/campaigns/nope-" + run + path, null);
                        assertThat(r.code()).as(method + " " + path).isEqualTo(404);
                        assertThat(body(r).get("message").asText())
                                .contains("no campaign 'nope-" + run + "'");
                    }
                });
    }

    @Test
    void aDraftCannotBePausedButCanBeResumedToLive() {
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    send(
                            client,
                            "POST",
                            "/v1/campaigns",
                            bargain().replace("\"live\"", "\"draft\""));
                    assertThat(send(client, "POST", "/v1/campaigns/" + id + "/pause", null).code())
                            .isEqualTo(409);
                    assertThat(
                                    body(send(
                                                    client,
                                                    "POST",
                                                    "/v1/campaigns/" + id + "/resume",
                                                    null))
                                            .get("status")
                                            .asText())
                            .isEqualTo("live");
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "unknown fact|\"audience\": \"priceSensitive && loyalty > 3\"|audience uses unknown fact 'loyalty'",
                "bad syntax|\"audience\": \"priceSensitive &&\"|audience is not a valid condition",
                "unknown trigger|\"trigger\": {\"type\": \"left\"}|trigger.type 'left' is not one of",
                "coupon without discount|\"offer\": {\"kind\": \"coupon\"}|a coupon needs exactly one of",
                "bad channel|\"channel\": \"sms\"|channel 'sms' is not one of [onsite, outbound]",
                "holdout too big|\"holdoutPercent\": 75|holdoutPercent must be between 0 and 50",
                "bad duration|\"conversionWindow\": \"a week\"|conversionWindow must be an ISO-8601 duration",
                "typo|\"holdoutPercnt\": 5|unknown field 'holdoutPercnt'",
                "missing name|\"name\": null|name is required",
            })
    void everyBadDefinitionGets400WithTheReasonAndNothingIsStoredOrPublished(
            String what, String change, String reason) {
        String base = bargain();
        String key = change.substring(0, change.indexOf(':') + 1);
        String json;
        if (base.contains(key)) {
            // Replace the value of that field (up to the next top-level comma or the end).
            int start = base.indexOf(key);
            int depth = 0;
            int end = start + key.length();
            for (; end < base.length(); end++) {
                char ch = base.charAt(end);
                if (ch == '{') depth++;
                if (ch == '}') {
                    if (depth == 0) break;
                    depth--;
                }
                if (ch == ',' && depth == 0) break;
            }
            json = base.substring(0, start) + change + base.substring(end);
        } else {
            json = base.replace("\"priority\": 50", "\"priority\": 50, " + change);
        }
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    Response r = send(client, "POST", "/v1/campaigns", json);
                    assertThat(r.code()).isEqualTo(400);
                    JsonNode error = body(r);
                    assertThat(error.get("error").asText()).isEqualTo("bad_request");
                    assertThat(error.get("status").asInt()).isEqualTo(400);
                    assertThat(error.get("message").asText()).startsWith(reason);
                });
        assertThat(redis.hget(RedisKeys.CAMPAIGNS, id)).isNull();
        assertThat(published(id)).isEmpty();
    }

    @Test
    void bodiesThatAreNotDefinitions() {
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    assertThat(send(client, "POST", "/v1/campaigns", "[1,2]").code())
                            .isEqualTo(400);
                    assertThat(send(client, "POST", "/v1/campaigns", "{\"id\":").code())
                            .isEqualTo(400);
                    assertThat(send(client, "POST", "/v1/campaigns", null).code()).isIn(400, 415);
                });
    }

    @Test
    void segmentJoinedMustNameASegmentTheJobEvaluates() {
        put(
                RedisKeys.segmentDefinitions(),
                "[{\"name\":\"vip\",\"condition\":\"monetaryScore >= 5\"}]");
        String welcome =
                "{\"id\":\"vip-welcome-%s\",\"name\":\"Welcome to VIP\",\"trigger\":{\"type\":\"segment_joined\",\"segment\":\"%s\"},"
                        + "\"offer\":{\"kind\":\"message\",\"message\":\"Welcome\"}}";
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    assertThat(
                                    send(
                                                    client,
                                                    "POST",
                                                    "/v1/campaigns",
                                                    welcome.formatted(run, "vip"))
                                            .code())
                            .isEqualTo(201);
                    Response r =
                            send(
                                    client,
                                    "POST",
                                    "/v1/campaigns",
                                    welcome.formatted(run + "-2", "vipp"));
                    assertThat(r.code()).isEqualTo(400);
                    assertThat(body(r).get("message").asText())
                            .isEqualTo(
                                    "trigger.segment 'vipp' is not a segment the job evaluates; see GET /v1/segments");
                });
    }

    @Test
    void previewCountsEligibleLiveProfiles() {
        put(
                RedisKeys.profile("hunter-1"),
                "{\"visitorId\":\"hunter-1\",\"customerId\":\"hunter-1\",\"lifecycle\":\"active\",\"priceSensitive\":{\"score\":0.8,\"flagged\":true}}");
        put(
                RedisKeys.profile("hunter-2"),
                "{\"visitorId\":\"hunter-2\",\"priceSensitive\":{\"score\":0.7,\"flagged\":true}}");
        put(
                RedisKeys.profile("lapsed-hunter"),
                "{\"visitorId\":\"lapsed-hunter\",\"lifecycle\":\"lapsed\",\"priceSensitive\":{\"score\":0.9,\"flagged\":true}}");
        put(
                RedisKeys.profile("regular"),
                "{\"visitorId\":\"regular\",\"lifecycle\":\"active\",\"orders\":5}");
        put(RedisKeys.profile("broken"), "not json");
        put(RedisKeys.recommendations("hunter-1"), "{\"items\":[]}");
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    send(
                            client,
                            "POST",
                            "/v1/campaigns",
                            bargain().replace("\"live\"", "\"draft\""));
                    Response r = send(client, "POST", "/v1/campaigns/" + id + "/preview", null);
                    assertThat(r.code()).isEqualTo(200);
                    JsonNode p = body(r);
                    assertThat(p.get("scanned").asLong()).isEqualTo(4);
                    assertThat(p.get("eligible").asLong()).isEqualTo(2);
                    assertThat(p.at("/notEligible/audience").asLong()).isEqualTo(2);
                    assertThat(p.get("complete").asBoolean()).isTrue();
                    assertThat(p.get("examples"))
                            .extracting(JsonNode::asText)
                            .containsExactlyInAnyOrder("hunter-1", "hunter-2");
                });
    }

    @Test
    void resultsShowBothGroupsAndTheUpliftWithItsInterval() {
        asAdmin(
                app(store, customers, publisher, offers),
                (server, client) -> {
                    send(client, "POST", "/v1/campaigns", bargain());
                    JsonNode empty = body(client.get("/v1/campaigns/" + id + "/results"));
                    assertThat(empty.get("eligible").asLong()).isZero();
                    assertThat(empty.has("uplift")).isFalse();

                    redis.hset(
                            RedisKeys.campaignResults(id),
                            java.util.Map.of(
                                    "sent",
                                    "70",
                                    "held_out",
                                    "80",
                                    "treated.conversions",
                                    "56",
                                    "holdout.conversions",
                                    "48",
                                    "treated.revenue",
                                    "2800.5",
                                    "holdout.revenue",
                                    "2000",
                                    "treated.discount",
                                    "280"));
                    JsonNode r = body(client.get("/v1/campaigns/" + id + "/results"));
                    assertThat(r.at("/treated/visitors").asLong()).isEqualTo(70);
                    assertThat(r.at("/treated/conversionRate").asDouble()).isEqualTo(0.8);
                    assertThat(r.at("/holdout/conversionRate").asDouble()).isEqualTo(0.6);
                    assertThat(r.get("uplift").asDouble())
                            .isEqualTo(0.2, org.assertj.core.api.Assertions.within(1e-9));
                    assertThat(r.at("/upliftCi95/lower").asDouble())
                            .isEqualTo(0.0524, org.assertj.core.api.Assertions.within(0.0001));
                    assertThat(r.at("/upliftCi95/upper").asDouble())
                            .isEqualTo(0.3339, org.assertj.core.api.Assertions.within(0.0001));
                    assertThat(r.get("incrementalRevenue").asDouble()).isEqualTo(1050.5);
                    assertThat(r.get("discountGiven").asDouble()).isEqualTo(280.0);
                });
    }

    @Test
    void withoutAnEventLogAChangeGets503AndIsUndone() {
        asAdmin(
                app(store, customers, EventPublisher.disabled("no kafka here"), offers),
                (server, client) -> {
                    Response r = send(client, "POST", "/v1/campaigns", bargain());
                    assertThat(r.code()).isEqualTo(503);
                    assertThat(client.get("/v1/campaigns/" + id).code()).isEqualTo(404);
                });
        assertThat(redis.hget(RedisKeys.CAMPAIGNS, id)).isNull();
    }
}
