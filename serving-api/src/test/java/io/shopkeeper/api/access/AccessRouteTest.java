package io.shopkeeper.api.access;

import static io.shopkeeper.api.ApiFixtures.ADMIN_KEY;
import static io.shopkeeper.api.ApiFixtures.STOREFRONT_KEY;
import static io.shopkeeper.api.ApiFixtures.VISITOR_SECRET;
import static io.shopkeeper.api.ApiFixtures.app;
import static io.shopkeeper.api.ApiFixtures.body;
import static io.shopkeeper.api.ApiFixtures.text;
import static io.shopkeeper.api.ApiFixtures.withoutKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.shopkeeper.api.ApiFixtures;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.schemas.RedisKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Every route against every kind of caller: no key, a wrong key, the storefront key (in the header
 * and in the URL), the admin key (in the header and, wrongly, in the URL), and for the profile a
 * visitor token of the right and of another visitor.
 */
class AccessRouteTest extends RedisTestBase {
    private static final String OTHER = "someone-else";

    /** One request per route of the route table, with the role the table declares for it. */
    private record Route(String method, String template, String path, Role role) {}

    private static final List<Route> ROUTES =
            List.of(
                    new Route(
                            "GET",
                            "/v1/recommendations",
                            "/v1/recommendations?customer=c1",
                            Role.STOREFRONT),
                    new Route(
                            "GET",
                            "/v1/items/{id}/similar",
                            "/v1/items/i1/similar",
                            Role.STOREFRONT),
                    new Route("GET", "/v1/trending", "/v1/trending", Role.STOREFRONT),
                    new Route("POST", "/v1/events", "/v1/events", Role.STOREFRONT),
                    new Route(
                            "GET",
                            "/v1/customers/{id}/profile",
                            "/v1/customers/c1/profile",
                            Role.VISITOR),
                    new Route("DELETE", "/v1/customers/{id}", "/v1/customers/c1", Role.ADMIN),
                    new Route(
                            "GET",
                            "/v1/customers/{id}/deletion",
                            "/v1/customers/c1/deletion",
                            Role.ADMIN),
                    new Route("GET", "/v1/segments", "/v1/segments", Role.ADMIN),
                    new Route(
                            "GET",
                            "/v1/segments/{name}/members",
                            "/v1/segments/vip/members",
                            Role.ADMIN),
                    new Route("GET", "/v1/offers", "/v1/offers?customer=c1", Role.STOREFRONT),
                    new Route(
                            "GET",
                            "/v1/customers/{id}/offers/history",
                            "/v1/customers/c1/offers/history",
                            Role.ADMIN),
                    new Route(
                            "GET",
                            "/v1/recommendations/results",
                            "/v1/recommendations/results",
                            Role.ADMIN),
                    new Route("POST", "/v1/campaigns", "/v1/campaigns", Role.ADMIN),
                    new Route("GET", "/v1/campaigns", "/v1/campaigns", Role.ADMIN),
                    new Route("GET", "/v1/campaigns/{id}", "/v1/campaigns/c", Role.ADMIN),
                    new Route("PUT", "/v1/campaigns/{id}", "/v1/campaigns/c", Role.ADMIN),
                    new Route(
                            "POST",
                            "/v1/campaigns/{id}/pause",
                            "/v1/campaigns/c/pause",
                            Role.ADMIN),
                    new Route(
                            "POST",
                            "/v1/campaigns/{id}/resume",
                            "/v1/campaigns/c/resume",
                            Role.ADMIN),
                    new Route("POST", "/v1/campaigns/{id}/end", "/v1/campaigns/c/end", Role.ADMIN),
                    new Route(
                            "POST",
                            "/v1/campaigns/{id}/preview",
                            "/v1/campaigns/c/preview",
                            Role.ADMIN),
                    new Route(
                            "GET",
                            "/v1/campaigns/{id}/results",
                            "/v1/campaigns/c/results",
                            Role.ADMIN),
                    new Route("GET", "/metrics", "/metrics", Role.ADMIN),
                    new Route("GET", "/v1/stats", "/v1/stats", Role.ADMIN),
                    new Route("GET", "/health", "/health", Role.PUBLIC),
                    new Route("GET", "/openapi.yaml", "/openapi.yaml", Role.PUBLIC));

    /** How a caller presents itself: extra headers and query parameters. */
    private record Caller(String name, Map<String, String> headers, String query) {}

    private static Caller header(String name, String key, String... moreHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + key);
        for (int i = 0; i < moreHeaders.length; i += 2)
            headers.put(moreHeaders[i], moreHeaders[i + 1]);
        return new Caller(name, headers, null);
    }

    private static final Caller NO_KEY = new Caller("no key", Map.of(), null);
    private static final Caller WRONG_KEY = header("wrong key", "sk_store_not_a_real_key_000");
    private static final Caller STOREFRONT = header("storefront key", STOREFRONT_KEY);
    private static final Caller STOREFRONT_IN_URL =
            new Caller("storefront key in the URL", Map.of(), "key=" + STOREFRONT_KEY);
    private static final Caller ADMIN = header("admin key", ADMIN_KEY);
    private static final Caller ADMIN_IN_URL =
            new Caller("admin key in the URL", Map.of(), "key=" + ADMIN_KEY);
    private static final Caller VISITOR_C1 =
            header(
                    "storefront key with c1's token",
                    STOREFRONT_KEY,
                    AccessGuard.VISITOR_TOKEN_HEADER,
                    new VisitorTokens(VISITOR_SECRET).sign("c1"));
    private static final Caller VISITOR_OTHER =
            header(
                    "storefront key with another visitor's token",
                    STOREFRONT_KEY,
                    AccessGuard.VISITOR_TOKEN_HEADER,
                    new VisitorTokens(VISITOR_SECRET).sign(OTHER));

    /** The status class each caller gets per role: 200 means "let through to the handler". */
    private static int expected(Role role, Caller caller) {
        if (role == Role.PUBLIC) return 200;
        if (caller == NO_KEY || caller == WRONG_KEY || caller == ADMIN_IN_URL) return 401;
        if (caller == ADMIN) return 200;
        return switch (role) {
            case STOREFRONT -> 200;
            case VISITOR -> caller == VISITOR_C1 ? 200 : 403;
            default -> 403;
        };
    }

    private static Response call(HttpClient client, Route route, Caller caller) {
        String url = client.getOrigin() + route.path();
        if (caller.query() != null) url += (url.contains("?") ? "&" : "?") + caller.query();
        Request.Builder request = new Request.Builder().url(url);
        caller.headers().forEach(request::header);
        if (route.method().equals("POST"))
            request.post(RequestBody.create("[]", MediaType.get("application/json")));
        else if (route.method().equals("PUT"))
            request.put(RequestBody.create("{}", MediaType.get("application/json")));
        else if (route.method().equals("DELETE")) request.delete();
        try {
            return client.getOkHttp().newCall(request.build()).execute();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyRouteAgainstEveryKindOfCaller() {
        put(RedisKeys.profile("c1"), "{\"visitorId\":\"c1\"}");
        List<Caller> callers =
                List.of(
                        NO_KEY,
                        WRONG_KEY,
                        STOREFRONT,
                        STOREFRONT_IN_URL,
                        ADMIN,
                        ADMIN_IN_URL,
                        VISITOR_C1,
                        VISITOR_OTHER);
        List<String> wrong = new ArrayList<>();
        withoutKey(
                app(store, customers, EventPublisher.disabled("no event log in this test")),
                (server, client) -> {
                    for (Route route : ROUTES) {
                        for (Caller caller : callers) {
                            try (Response response = call(client, route, caller)) {
                                int status = response.code();
                                int want = expected(route.role(), caller);
                                boolean ok =
                                        want == 200
                                                ? status != 401 && status != 403
                                                : status == want;
                                if (!ok)
                                    wrong.add(
                                            route.method()
                                                    + " "
                                                    + route.path()
                                                    + " with "
                                                    + caller.name()
                                                    + ": "
                                                    + status
                                                    + ", expected "
                                                    + (want == 200 ? "not 401/403" : want));
                            }
                        }
                    }
                });
        assertThat(wrong).isEmpty();
    }

    @Test
    void theMatrixCoversEveryRouteTheOpenApiDescriptionLists() {
        withoutKey(
                app(store),
                (server, client) -> {
                    String yaml = text(client.get("/openapi.yaml"));
                    Set<String> described = new TreeSet<>();
                    Matcher path = Pattern.compile("(?m)^  (/[^:\\s]*):\\s*$").matcher(yaml);
                    while (path.find()) described.add(path.group(1));
                    Set<String> tested = new TreeSet<>();
                    ROUTES.forEach(r -> tested.add(r.template()));
                    assertThat(tested).isEqualTo(described);
                });
    }

    @Test
    void refusalsHaveTheJsonErrorShapeAndNameWhatIsMissing() {
        withoutKey(
                app(store, customers),
                (server, client) -> {
                    var none = client.get("/v1/segments");
                    assertThat(none.code()).isEqualTo(401);
                    assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
                    JsonNode body = body(none);
                    assertThat(body.get("error").asText()).isEqualTo("unauthorized");
                    assertThat(body.get("message").asText())
                            .isEqualTo(
                                    "this route needs an API key: send 'Authorization: Bearer <API"
                                            + " key>'");
                    assertThat(body.get("status").asInt()).isEqualTo(401);
                    assertThat(body.size()).isEqualTo(3);

                    var basic =
                            client.get(
                                    "/v1/segments",
                                    r -> r.header("Authorization", "Basic dXNlcjpwYXNz"));
                    assertThat(body(basic).get("message").asText())
                            .isEqualTo("the Authorization header must be 'Bearer <API key>'");

                    var storefront =
                            client.get(
                                    "/v1/segments",
                                    r -> r.header("Authorization", "Bearer " + STOREFRONT_KEY));
                    assertThat(storefront.code()).isEqualTo(403);
                    JsonNode forbidden = body(storefront);
                    assertThat(forbidden.get("error").asText()).isEqualTo("forbidden");
                    assertThat(forbidden.get("message").asText())
                            .isEqualTo("this route needs the admin key");
                });
    }

    @Test
    void storefrontKeyReadsOnlyTheProfileItsVisitorTokenNames() {
        put(RedisKeys.profile("c1"), "{\"visitorId\":\"c1\",\"orders\":2}");
        put(RedisKeys.profile(OTHER), "{\"visitorId\":\"someone-else\",\"orders\":9}");
        String token = new VisitorTokens(VISITOR_SECRET).sign("c1");
        withoutKey(
                app(store, customers),
                (server, client) -> {
                    var own =
                            client.get(
                                    "/v1/customers/c1/profile",
                                    r ->
                                            r.header("Authorization", "Bearer " + STOREFRONT_KEY)
                                                    .header(
                                                            AccessGuard.VISITOR_TOKEN_HEADER,
                                                            token));
                    assertThat(own.code()).isEqualTo(200);
                    assertThat(body(own).get("orders").asInt()).isEqualTo(2);

                    var other =
                            client.get(
                                    "/v1/customers/" + OTHER + "/profile",
                                    r ->
                                            r.header("Authorization", "Bearer " + STOREFRONT_KEY)
                                                    .header(
                                                            AccessGuard.VISITOR_TOKEN_HEADER,
                                                            token));
                    assertThat(other.code()).isEqualTo(403);
                    assertThat(body(other).get("message").asText())
                            .isEqualTo("X-Visitor-Token does not belong to visitor 'someone-else'");
                });
    }

    @Test
    void withoutAVisitorSecretTheStorefrontKeyReadsNoProfile() {
        var noSecret =
                new AccessSettings(
                        List.of(STOREFRONT_KEY), List.of(ADMIN_KEY), null, List.of(), 10, 10);
        put(RedisKeys.profile("c1"), "{\"visitorId\":\"c1\"}");
        withoutKey(
                app(store, customers, EventPublisher.disabled("unused"), noSecret),
                (server, client) -> {
                    var response =
                            client.get(
                                    "/v1/customers/c1/profile",
                                    r -> r.header("Authorization", "Bearer " + STOREFRONT_KEY));
                    assertThat(response.code()).isEqualTo(403);
                    assertThat(body(response).get("message").asText())
                            .contains("no SHOPKEEPER_VISITOR_SECRET configured");
                    var admin =
                            client.get(
                                    "/v1/customers/c1/profile",
                                    r -> r.header("Authorization", "Bearer " + ADMIN_KEY));
                    assertThat(admin.code()).isEqualTo(200);
                });
    }

    @Test
    void corsAllowsTheConfiguredStorefrontOriginsOnly() {
        var cors = ApiFixtures.ACCESS.withCorsOrigins(List.of("https://shop.example"));
        withoutKey(
                app(store, customers, EventPublisher.disabled("unused"), cors),
                (server, client) -> {
                    var preflight =
                            client.request(
                                    "/v1/events",
                                    r ->
                                            r.method("OPTIONS", null)
                                                    .header("Origin", "https://shop.example")
                                                    .header("Access-Control-Request-Method", "POST")
                                                    .header(
                                                            "Access-Control-Request-Headers",
                                                            "authorization,content-type"));
                    assertThat(preflight.code()).isEqualTo(200);
                    assertThat(preflight.header("Access-Control-Allow-Origin"))
                            .isEqualTo("https://shop.example");
                    assertThat(preflight.header("Access-Control-Allow-Headers"))
                            .containsIgnoringCase("authorization");

                    var allowed =
                            client.get(
                                    "/v1/trending",
                                    r ->
                                            r.header("Origin", "https://shop.example")
                                                    .header(
                                                            "Authorization",
                                                            "Bearer " + STOREFRONT_KEY));
                    assertThat(allowed.code()).isEqualTo(200);
                    assertThat(allowed.header("Access-Control-Allow-Origin"))
                            .isEqualTo("https://shop.example");
                    assertThat(allowed.header("Access-Control-Expose-Headers"))
                            .contains("Retry-After");

                    var foreign =
                            client.get(
                                    "/v1/trending",
                                    r ->
                                            r.header("Origin", "https://evil.example")
                                                    .header(
                                                            "Authorization",
                                                            "Bearer " + STOREFRONT_KEY));
                    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
                });
    }
}
