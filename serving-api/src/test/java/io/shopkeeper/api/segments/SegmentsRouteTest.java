package io.shopkeeper.api.segments;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /v1/segments} and {@code GET /v1/segments/{name}/members} on a real Redis. */
class SegmentsRouteTest extends RedisTestBase {
    private static final String DEFINITIONS =
            """
            [{"name":"vip","description":"Spent 500 or more","condition":"revenue >= 500"},
             {"name":"cart_abandoner","description":"Left a cart","condition":"cart open for 30 min"},
             {"name":"window_shopper"}]""";

    @Test
    void segmentsAreListedInTheJobsOrderWithLiveSizes() {
        put(RedisKeys.segmentDefinitions(), DEFINITIONS);
        redis.sadd(RedisKeys.segmentMembers("vip"), "c1", "c2");
        redis.sadd(RedisKeys.segmentMembers("cart_abandoner"), "anon-1");
        redis.sadd(RedisKeys.segmentMembers("undeclared"), "c9");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/segments");
                    assertThat(response.code()).isEqualTo(200);
                    JsonNode segments = body(response).get("segments");
                    assertThat(segments).hasSize(3);
                    assertThat(segments.get(0).toString())
                            .isEqualTo(
                                    "{\"name\":\"vip\",\"description\":\"Spent 500 or more\",\"condition\":\"revenue >= 500\",\"size\":2}");
                    assertThat(segments.get(1).get("name").asText()).isEqualTo("cart_abandoner");
                    assertThat(segments.get(1).get("size").asLong()).isEqualTo(1);
                    assertThat(segments.get(2).toString())
                            .isEqualTo("{\"name\":\"window_shopper\",\"size\":0}");

                    redis.sadd(RedisKeys.segmentMembers("vip"), "c3");
                    assertThat(
                                    body(client.get("/v1/segments"))
                                            .get("segments")
                                            .get(0)
                                            .get("size")
                                            .asLong())
                            .isEqualTo(3);
                });
    }

    @Test
    void noDefinitionsYetIsAnEmptyList() {
        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/segments");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(body(response).toString()).isEqualTo("{\"segments\":[]}");
                });
    }

    @Test
    void smallSegmentComesInOnePage() {
        put(RedisKeys.segmentDefinitions(), DEFINITIONS);
        redis.sadd(RedisKeys.segmentMembers("vip"), "c2", "c1");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/segments/vip/members");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(body(response).toString())
                            .isEqualTo(
                                    "{\"segment\":\"vip\",\"members\":[\"c1\",\"c2\"],\"nextCursor\":\"0\"}");
                });
    }

    @Test
    void declaredSegmentWithoutMembersIsEmpty() {
        put(RedisKeys.segmentDefinitions(), DEFINITIONS);

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    JsonNode body = body(client.get("/v1/segments/window_shopper/members?count=5"));
                    assertThat(body.get("members")).isEmpty();
                    assertThat(body.get("nextCursor").asText()).isEqualTo("0");
                });
    }

    @Test
    void followingNextCursorVisitsEveryMember() {
        put(RedisKeys.segmentDefinitions(), DEFINITIONS);
        List<String> all = IntStream.range(0, 1200).mapToObj(i -> "c" + i).toList();
        redis.sadd(RedisKeys.segmentMembers("vip"), all.toArray(String[]::new));

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    List<String> seen = new ArrayList<>();
                    int pages = 0;
                    String cursor = "0";
                    do {
                        var response =
                                client.get("/v1/segments/vip/members?count=100&cursor=" + cursor);
                        assertThat(response.code()).isEqualTo(200);
                        JsonNode body = body(response);
                        body.get("members").forEach(m -> seen.add(m.asText()));
                        cursor = body.get("nextCursor").asText();
                        pages++;
                    } while (!cursor.equals("0"));
                    assertThat(pages).isGreaterThan(1);
                    assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
                });
    }

    @Test
    void undeclaredSegmentGets404JsonErrorEvenWithStoredMembers() {
        put(RedisKeys.segmentDefinitions(), DEFINITIONS);
        redis.sadd(RedisKeys.segmentMembers("undeclared"), "c9");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/segments/undeclared/members");
                    assertThat(response.code()).isEqualTo(404);
                    JsonNode body = body(response);
                    assertThat(body.get("error").asText()).isEqualTo("not_found");
                    assertThat(body.get("message").asText())
                            .isEqualTo("no segment 'undeclared'; see GET /v1/segments");
                    assertThat(body.get("status").asInt()).isEqualTo(404);
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "count=0            | count must be between 1 and 1000",
                "count=1001         | count must be between 1 and 1000",
                "count=abc          | count must be an integer; got 'abc'",
                "cursor=-1          | cursor must be a nextCursor value from a previous page, or 0",
                "cursor=abc         | cursor must be a nextCursor value from a previous page, or 0",
                "cursor=18446744073709551616 | cursor must be a nextCursor value from a previous page, or 0"
            })
    void badPagingParametersGet400NamingTheParameter(String query, String message) {
        put(RedisKeys.segmentDefinitions(), DEFINITIONS);

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/segments/vip/members?" + query);
                    assertThat(response.code()).isEqualTo(400);
                    JsonNode body = body(response);
                    assertThat(body.get("error").asText()).isEqualTo("bad_request");
                    assertThat(body.get("message").asText()).isEqualTo(message);
                });
    }

    @Test
    void boundaryCountsAreAccepted() {
        put(RedisKeys.segmentDefinitions(), DEFINITIONS);

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    assertThat(client.get("/v1/segments/vip/members?count=1").code())
                            .isEqualTo(200);
                    assertThat(
                                    client.get(
                                                    "/v1/segments/vip/members?count=1000&cursor=18446744073709551615")
                                            .code())
                            .isEqualTo(200);
                });
    }
}
