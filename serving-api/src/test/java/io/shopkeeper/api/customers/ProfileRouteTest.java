package io.shopkeeper.api.customers;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.RedisKeys;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/customers/{id}/profile} on a real Redis: profile, live segments, aliases. */
class ProfileRouteTest extends RedisTestBase {

    @Test
    void storedProfileIsServedWithItsCurrentSegments() {
        put(
                RedisKeys.profile("c1"),
                "{\"visitorId\":\"c1\",\"lifecycle\":\"active\",\"orders\":3,\"categoryAffinity\":{\"shoes\":0.7}}");
        redis.sadd(RedisKeys.memberships("c1"), "vip", "big_basket");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/customers/c1/profile");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(response.header("Content-Type")).startsWith("application/json");
                    JsonNode body = body(response);
                    assertThat(body.get("visitorId").asText()).isEqualTo("c1");
                    assertThat(body.get("lifecycle").asText()).isEqualTo("active");
                    assertThat(body.get("orders").asInt()).isEqualTo(3);
                    assertThat(body.get("categoryAffinity").get("shoes").asDouble()).isEqualTo(0.7);
                    assertThat(body.get("segments").toString())
                            .isEqualTo("[\"big_basket\",\"vip\"]");
                });
    }

    @Test
    void segmentsComeFromTheMembershipSetNotFromTheStoredDocument() {
        put(RedisKeys.profile("c1"), "{\"visitorId\":\"c1\",\"segments\":[\"stale\"]}");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    JsonNode body = body(client.get("/v1/customers/c1/profile"));
                    assertThat(body.get("segments").isArray()).isTrue();
                    assertThat(body.get("segments")).isEmpty();
                });
    }

    @Test
    void anonymousIdStitchedAtLoginServesTheCustomersProfile() {
        put(RedisKeys.profile("c1"), "{\"visitorId\":\"c1\",\"orders\":3}");
        redis.sadd(RedisKeys.memberships("c1"), "vip");
        redis.sadd(RedisKeys.memberships("anon-42"), "new_visitor");
        redis.set(RedisKeys.alias("anon-42"), "c1");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/customers/anon-42/profile");
                    assertThat(response.code()).isEqualTo(200);
                    JsonNode body = body(response);
                    assertThat(body.get("visitorId").asText()).isEqualTo("c1");
                    assertThat(body.get("segments").toString()).isEqualTo("[\"vip\"]");
                });
    }

    @Test
    void ownProfileWinsOverAnAlias() {
        put(RedisKeys.profile("anon-42"), "{\"visitorId\":\"anon-42\"}");
        put(RedisKeys.profile("c1"), "{\"visitorId\":\"c1\"}");
        redis.set(RedisKeys.alias("anon-42"), "c1");

        asAdmin(
                app(store, customers),
                (server, client) ->
                        assertThat(
                                        body(client.get("/v1/customers/anon-42/profile"))
                                                .get("visitorId")
                                                .asText())
                                .isEqualTo("anon-42"));
    }

    @Test
    void aliasToACustomerWithoutProfileGets404() {
        redis.set(RedisKeys.alias("anon-42"), "c1");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/customers/anon-42/profile");
                    assertThat(response.code()).isEqualTo(404);
                    assertThat(body(response).get("message").asText())
                            .isEqualTo("no profile for customer 'anon-42'");
                });
    }

    @Test
    void unreadableProfileCountsAsAbsent() {
        put(RedisKeys.profile("c1"), "[\"not an object\"]");
        put(RedisKeys.profile("c2"), "{broken");

        asAdmin(
                app(store, customers),
                (server, client) -> {
                    assertThat(client.get("/v1/customers/c1/profile").code()).isEqualTo(404);
                    assertThat(client.get("/v1/customers/c2/profile").code()).isEqualTo(404);
                });
    }

    @Test
    void customerWithoutProfileGets404JsonError() {
        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/customers/nobody/profile");
                    assertThat(response.code()).isEqualTo(404);
                    JsonNode body = body(response);
                    assertThat(body.get("error").asText()).isEqualTo("not_found");
                    assertThat(body.get("message").asText())
                            .isEqualTo("no profile for customer 'nobody'");
                    assertThat(body.get("status").asInt()).isEqualTo(404);
                });
    }

    @Test
    void blankOrOverlongIdGets400() {
        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var blank = client.get("/v1/customers/%20/profile");
                    assertThat(blank.code()).isEqualTo(400);
                    assertThat(body(blank).get("message").asText())
                            .isEqualTo("id must not be blank");
                    assertThat(client.get("/v1/customers/" + "x".repeat(513) + "/profile").code())
                            .isEqualTo(400);
                });
    }
}
