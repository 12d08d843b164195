package io.shopkeeper.api.web;

import static io.shopkeeper.api.ApiFixtures.STOREFRONT_KEY;
import static io.shopkeeper.api.ApiFixtures.VISITOR_SECRET;
import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.asAdmin;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.text;
import static io.shopkeeper.api.ApiFixtures.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.access.VisitorTokens;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.RevenueConcentration;
import io.shopkeeper.schemas.VisitorCensus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                    String html = text(console);
                    assertThat(html).contains("<title>Shopkeeper console</title>");
                    // The page's own stylesheet comes inside it (no round trip before the first
                    // paint); the library's, cached for a year, stays a link.
                    assertThat(html)
                            .doesNotContain("href=\"console.css\"")
                            .contains("<style>")
                            .contains(text(client.get("/console/console.css")))
                            .contains("href=\"/webjars/uplot/1.6.30/dist/uPlot.min.css\"");
                    assertThat(text(client.get("/demo/")))
                            .doesNotContain("href=\"demo.css\"")
                            .contains(text(client.get("/demo/demo.css")));
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
    void demoConfigHandsOutThePublicStorefrontKeyAndATokenForAVisitorItMinted() {
        VisitorTokens tokens = new VisitorTokens(VISITOR_SECRET);
        withoutKey(
                app(store, customers),
                (server, client) -> {
                    var config = client.get("/demo/config.js");
                    assertThat(config.header("Content-Type")).startsWith("text/javascript");
                    List<String> cookies = config.headers("Set-Cookie");
                    String visitor = cookie(cookies, "sk_aid");
                    String token = cookie(cookies, "sk_demo_vt");
                    assertThat(visitor).startsWith("anon-");
                    assertThat(tokens.verify(visitor, token)).isTrue();
                    assertThat(text(config))
                            .isEqualTo(
                                    "window.SHOPKEEPER_DEMO = {key: \""
                                            + STOREFRONT_KEY
                                            + "\", visitorToken: \""
                                            + token
                                            + "\"};\n");

                    // The same visitor again: the same id and token, no new cookie.
                    var again =
                            client.get(
                                    "/demo/config.js",
                                    r ->
                                            r.header(
                                                    "Cookie",
                                                    "sk_aid=" + visitor + "; sk_demo_vt=" + token));
                    assertThat(again.headers("Set-Cookie")).isEmpty();
                    assertThat(text(again)).contains(token);

                    // Naming someone else's id gets a fresh id of its own, never their token.
                    var other =
                            client.get(
                                    "/demo/config.js",
                                    r -> r.header("Cookie", "sk_aid=cust-262; sk_demo_vt=x"));
                    String minted = cookie(other.headers("Set-Cookie"), "sk_aid");
                    assertThat(minted).startsWith("anon-").isNotEqualTo(visitor);
                    assertThat(text(other)).doesNotContain(tokens.sign("cust-262"));
                });
    }

    private static String cookie(List<String> setCookies, String name) {
        for (String c : setCookies) {
            if (c.startsWith(name + "=")) return c.substring(name.length() + 1, c.indexOf(';'));
        }
        throw new AssertionError("no cookie " + name + " in " + setCookies);
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
                    assertThat(stats.has("census")).isFalse();
                    assertThat(stats.has("revenue")).isFalse();
                });
    }

    @Test
    void statsGiveTheStoresFiguresOnceTheJobPublishedThem() {
        redis.set(
                RedisKeys.VISITOR_CENSUS,
                EventCodec.encodeToString(new VisitorCensus(12, 5, 7, 1_000L)));
        redis.set(
                RedisKeys.REVENUE_CONCENTRATION,
                EventCodec.encodeToString(
                        new RevenueConcentration(
                                10,
                                145.0,
                                110.0 / 145,
                                List.of(0.69, 0.76, 0.83, 0.9, 0.97, 0.97, 0.98, 0.99, 0.99, 1.0),
                                2_000L)));
        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var stats = body(client.get("/v1/stats"));
                    assertThat(stats.get("eventsApplied").asLong()).isZero();
                    assertThat(stats.get("census").get("visitors").asLong()).isEqualTo(12);
                    assertThat(stats.get("census").get("customers").asLong()).isEqualTo(5);
                    assertThat(stats.get("census").get("anonymous").asLong()).isEqualTo(7);
                    assertThat(stats.get("revenue").get("buyers").asLong()).isEqualTo(10);
                    assertThat(stats.get("revenue").get("topFifthShare").asDouble())
                            .isCloseTo(0.7586, within(1e-4));
                    assertThat(stats.get("revenue").get("cumulativeShare")).hasSize(10);
                });
    }

    @Test
    void anUnreadableFigureIsLeftOutRatherThanFailingTheConsole() {
        redis.set(RedisKeys.VISITOR_CENSUS, "{not json");
        asAdmin(
                app(store, customers),
                (server, client) -> {
                    var response = client.get("/v1/stats");
                    assertThat(response.code()).isEqualTo(200);
                    assertThat(body(response).has("census")).isFalse();
                });
    }
}
