package io.shopkeeper.api.web;

import static io.shopkeeper.api.ApiFixtures.STOREFRONT_KEY;
import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.text;
import static io.shopkeeper.api.ApiFixtures.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.RedisKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** The pages and their files are served without a key; the data behind them is not. */
class WebPagesTest extends RedisTestBase {

    @Test
    void consoleDemoTrackerAndLibrariesAreServedWithoutAKey() {
        withoutKey(
                app(store, customers),
                (server, client) -> {
                    var console = client.get("/console/");
                    assertThat(console.code()).isEqualTo(200);
                    assertThat(console.header("Content-Type")).startsWith("text/html");
                    assertThat(text(console)).contains("<title>Shopkeeper console</title>");
                    assertThat(text(client.get("/console/console.js"))).contains("askForKey");
                    assertThat(text(client.get("/demo/"))).contains("<title>Demo shop");
                    assertThat(text(client.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")))
                            .contains("uPlot");
                    assertThat(client.get("/console/nothing.js").code()).isEqualTo(404);
                });
    }

    @Test
    void pagesWithoutTheirSlashRedirectToThem() {
        withoutKey(
                app(store, customers),
                (server, client) -> {
                    OkHttpClient noRedirects =
                            client.getOkHttp().newBuilder().followRedirects(false).build();
                    try (var response =
                            noRedirects
                                    .newCall(
                                            new Request.Builder()
                                                    .url(client.getOrigin() + "/console")
                                                    .build())
                                    .execute()) {
                        assertThat(response.code()).isEqualTo(302);
                        assertThat(response.header("Location")).isEqualTo("/console/");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void theServedTrackerIsTheFileKeptInClientsJs() throws IOException {
        String kept = Files.readString(Path.of("../clients/js/src/shopkeeper.js"));
        withoutKey(
                app(store, customers),
                (server, client) ->
                        assertThat(text(client.get("/tracker/shopkeeper.js"))).isEqualTo(kept));
    }

    @Test
    void demoConfigHandsOutOnlyThePublicStorefrontKey() {
        withoutKey(
                app(store, customers),
                (server, client) -> {
                    var config = client.get("/demo/config.js");
                    assertThat(config.header("Content-Type")).startsWith("text/javascript");
                    assertThat(text(config))
                            .isEqualTo(
                                    "window.SHOPKEEPER_DEMO = {key: \""
                                            + STOREFRONT_KEY
                                            + "\"};\n");
                });
    }

    @Test
    void statsGiveTheJobsProgressToTheAdmin() {
        redis.set(RedisKeys.EVENTS_APPLIED, "1234");
        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var stats = body(client.get("/v1/stats"));
                    assertThat(stats.get("eventsApplied").asLong()).isEqualTo(1234);
                    assertThat(stats.get("at").asLong()).isPositive();
                });
    }
}
