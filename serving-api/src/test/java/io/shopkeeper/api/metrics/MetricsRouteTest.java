package io.shopkeeper.api.metrics;

import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.api.RedisTestBase;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics}: Prometheus text with request counts and latency histograms per route and
 * status.
 */
class MetricsRouteTest extends RedisTestBase {

    @Test
    void requestsAreCountedPerRouteTemplateAndStatusWithHistogramBuckets() {
        asAdmin(
                io.shopkeeper.api.ApiFixtures.app(store),
                (server, client) -> {
                    client.get("/v1/trending").close();
                    client.get("/v1/items/shoe-1/similar").close();
                    client.get("/v1/items/shoe-2/similar").close();
                    client.get("/v1/trending?n=0").close();
                    client.get("/no/such/route").close();

                    var response = client.get("/metrics");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(response.header("Content-Type")).startsWith("text/plain");
                    String metrics = text(response);
                    assertThat(metrics)
                            .contains(
                                    "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/items/{id}/similar\",status=\"200\"} 2")
                            .contains(
                                    "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/trending\",status=\"200\"} 1")
                            .contains(
                                    "http_server_requests_seconds_count{method=\"GET\",route=\"/v1/trending\",status=\"400\"} 1")
                            .contains(
                                    "http_server_requests_seconds_count{method=\"GET\",route=\"NOT_FOUND\",status=\"404\"} 1")
                            .contains(
                                    "http_server_requests_seconds_bucket{method=\"GET\",route=\"/v1/trending\",status=\"200\",le=")
                            .doesNotContain("/no/such/route");
                });
    }
}
