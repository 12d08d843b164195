package io.shopkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.launcher.QuickStartCommand;
import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The offers benchmarks' 20 live campaigns: the quick start's two examples ({@code bargain-coupon},
 * {@code cart-reminder}) and the 18 of {@code bench-campaigns.json}, of every trigger type, with
 * audiences, both channels, every offer kind, caps, holdouts and priorities. Defined through the
 * API as a marketer would ({@code POST /v1/campaigns} with the admin key), so they reach the job on
 * the {@code campaigns} topic; ended the same way ({@code POST /v1/campaigns/{id}/end}).
 */
final class BenchCampaigns {
    static final String RESOURCE = "/bench-campaigns.json";

    /** The campaign the decision benchmark's probes trigger (an example: a coupon). */
    static final String PROBED = "bargain-coupon";

    private BenchCampaigns() {}

    /** The 18 definitions beyond the quick start's examples, as JSON objects. */
    static List<JsonNode> extra() {
        try (InputStream in = BenchCampaigns.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
            List<JsonNode> out = new ArrayList<>();
            EventCodec.mapper().readTree(in).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every campaign id: the examples, then the extra ones. */
    static List<String> ids() {
        List<String> ids = new ArrayList<>(QuickStartCommand.EXAMPLE_CAMPAIGNS);
        for (JsonNode c : extra()) ids.add(c.path("id").asText());
        return ids;
    }

    /**
     * Defines all 20 through the API on {@code port}; fails unless every one is live (created now,
     * or already stored: 409). Returns their ids.
     */
    static List<String> define(int port, String adminKey) {
        int live = QuickStartCommand.defineExampleCampaigns(port, adminKey);
        if (live != QuickStartCommand.EXAMPLE_CAMPAIGNS.size())
            throw new IllegalStateException(
                    "only " + live + " example campaigns are live (see the log)");
        for (JsonNode c : extra()) {
            HttpResponse<String> r = send(port, adminKey, "/v1/campaigns", c.toString());
            if (r.statusCode() != 201 && r.statusCode() != 409)
                throw new IllegalStateException(
                        "campaign " + c.path("id").asText() + " refused: " + r.body());
        }
        return ids();
    }

    /** Ends every campaign of {@code ids} through the API (the job drops them from its book). */
    static void end(int port, String adminKey, List<String> ids) {
        for (String id : ids) {
            HttpResponse<String> r = send(port, adminKey, "/v1/campaigns/" + id + "/end", "");
            if (r.statusCode() != 200)
                throw new IllegalStateException("ending " + id + " failed: " + r.body());
        }
    }

    /** {@code GET /v1/campaigns/{id}} with the admin key. */
    static JsonNode get(int port, String adminKey, String id) {
        HttpResponse<String> r = request(port, adminKey, "GET", "/v1/campaigns/" + id, null);
        if (r.statusCode() != 200)
            throw new IllegalStateException("campaign " + id + ": " + r.body());
        try {
            return EventCodec.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(int port, String adminKey, String path, String body) {
        return request(port, adminKey, "POST", path, body);
    }

    private static HttpResponse<String> request(
            int port, String adminKey, String method, String path, String body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + adminKey);
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
