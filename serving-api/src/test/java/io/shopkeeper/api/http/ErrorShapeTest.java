package io.shopkeeper.api.http;

import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asStorefront;
import static io.shopkeeper.api.ApiFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.store.CandidateLists;
import io.shopkeeper.api.store.CandidateQuery;
import io.shopkeeper.api.store.RecommendationStore;
import io.shopkeeper.schemas.RecommendationList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every 4xx and 5xx answer carries the one error shape {@code {"error","message","status"}}. */
class ErrorShapeTest extends RedisTestBase {

    private static void assertErrorShape(JsonNode body, String error, int status) {
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.size()).isEqualTo(3);
    }

    @Test
    void unknownRouteGets404JsonError() {
        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.get("/v1/nothing-here");
                    assertThat(response.code()).isEqualTo(404);
                    assertThat(response.header("Content-Type")).startsWith("application/json");
                    assertErrorShape(body(response), "not_found", 404);
                });
    }

    @Test
    void unsupportedMethodOnKnownPathGets405JsonErrorWithAllow() {
        asStorefront(
                app(store),
                (server, client) -> {
                    var response = client.delete("/v1/trending");
                    assertThat(response.code()).isEqualTo(405);
                    assertThat(response.header("Allow")).isEqualTo("GET");
                    assertErrorShape(body(response), "method_not_allowed", 405);
                });
    }

    @Test
    void unexpectedFailureGets500JsonErrorWithoutInternals() {
        RecommendationStore broken =
                new RecommendationStore() {
                    @Override
                    public CandidateLists candidates(CandidateQuery query) {
                        throw new IllegalStateException("secret internal detail");
                    }

                    @Override
                    public List<RecommendationList> boughtTogether(List<String> itemIds) {
                        return List.of();
                    }

                    @Override
                    public Optional<RecommendationList> similarItems(String itemId) {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<RecommendationList> trending(String categoryId) {
                        return Optional.empty();
                    }

                    @Override
                    public boolean ping() {
                        return true;
                    }

                    @Override
                    public void close() {}
                };
        asStorefront(
                app(broken),
                (server, client) -> {
                    var response = client.get("/v1/recommendations?customer=c1");
                    assertThat(response.code()).isEqualTo(500);
                    JsonNode body = body(response);
                    assertErrorShape(body, "internal_error", 500);
                    assertThat(body.get("message").asText()).doesNotContain("secret");
                });
    }
}
