package io.shopkeeper.api.customers;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.RedisKeys;
import org.junit.jupiter.api.Test;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/customers/{id}/profile} on a real Redis. */
class ProfileRouteTest extends RedisTestBase {

    @Test
    void storedProfileIsPassedThroughUnchangedAsJson() {
        String profile = "{\"visitor\":\"c1\",\"segments\":[\"price_sensitive\"],\"lifecycle\":\"active\",\"orders\":3}";
        put(RedisKeys.profile("c1"), profile);

        JavalinTest.test(app(store), (server, client) -> {
            var response = client.get("/v1/customers/c1/profile");
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(text(response)).isEqualTo(profile);
        });
    }

    @Test
    void customerWithoutProfileGets404JsonError() {
        JavalinTest.test(app(store), (server, client) -> {
            var response = client.get("/v1/customers/nobody/profile");
            assertThat(response.code()).isEqualTo(404);
            JsonNode body = body(response);
            assertThat(body.get("error").asText()).isEqualTo("not_found");
            assertThat(body.get("message").asText()).isEqualTo("no profile for customer 'nobody'");
            assertThat(body.get("status").asInt()).isEqualTo(404);
        });
    }
}
