package io.shopkeeper.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.TestCase;
import io.javalin.testtools.TestConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.api.catalog.Catalog;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.api.health.HealthCheck;
import io.shopkeeper.api.health.Probe;
import io.shopkeeper.api.http.HttpLimits;
import io.shopkeeper.api.recommendations.RecommendationRules;
import io.shopkeeper.api.store.CustomerStore;
import io.shopkeeper.api.store.OfferStore;
import io.shopkeeper.api.store.RecommendationStore;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Factory methods shared by the route tests: apps wired to given dependencies, lists, JSON reading.
 */
public final class ApiFixtures {
    public static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** The keys every test app accepts (generated keys are random; these are readable). */
    public static final String STOREFRONT_KEY = "sk_store_test_0123456789";

    public static final String ADMIN_KEY = "sk_admin_test_0123456789";
    public static final String VISITOR_SECRET = "visitor-secret-for-tests";

    public static final AccessSettings ACCESS =
            new AccessSettings(
                    List.of(STOREFRONT_KEY),
                    List.of(ADMIN_KEY),
                    VISITOR_SECRET,
                    List.of(),
                    AccessSettings.DEFAULT_EVENTS_PER_KEY,
                    AccessSettings.DEFAULT_EVENTS_PER_VISITOR);

    private ApiFixtures() {}

    /** Runs {@code test} against {@code app} with a client that sends the storefront key. */
    public static void asStorefront(Javalin app, TestCase test) {
        JavalinTest.test(app, withKey(STOREFRONT_KEY), test);
    }

    /** Runs {@code test} against {@code app} with a client that sends the admin key. */
    public static void asAdmin(Javalin app, TestCase test) {
        JavalinTest.test(app, withKey(ADMIN_KEY), test);
    }

    /** Runs {@code test} against {@code app} with a client that sends no key. */
    public static void withoutKey(Javalin app, TestCase test) {
        JavalinTest.test(app, new TestConfig(false, true, new OkHttpClient()), test);
    }

    private static TestConfig withKey(String key) {
        OkHttpClient client =
                new OkHttpClient.Builder()
                        .addInterceptor(
                                chain ->
                                        chain.proceed(
                                                chain.request()
                                                        .newBuilder()
                                                        .header("Authorization", "Bearer " + key)
                                                        .build()))
                        .build();
        // No cookie clearing: it is a route of the test tool's own, which declares no Role.
        return new TestConfig(false, true, client);
    }

    /** The app on {@code store}, without an event log, healthy while the store answers pings. */
    public static Javalin app(RecommendationStore store) {
        return app(store, EventPublisher.disabled("not wired in this test"));
    }

    public static Javalin app(RecommendationStore store, EventPublisher publisher) {
        return app(store, UNWIRED_CUSTOMERS, publisher);
    }

    /** The app on both stores, without an event log. */
    public static Javalin app(RecommendationStore store, CustomerStore customers) {
        return app(store, customers, EventPublisher.disabled("not wired in this test"));
    }

    public static Javalin app(
            RecommendationStore store, CustomerStore customers, EventPublisher publisher) {
        return app(store, customers, publisher, HttpLimits.defaults(), ACCESS);
    }

    /** The app with explicit limits on what one client may cost (short timeouts in tests). */
    public static Javalin app(
            RecommendationStore store, EventPublisher publisher, HttpLimits limits) {
        return app(store, UNWIRED_CUSTOMERS, publisher, limits, ACCESS);
    }

    /** The app with other access settings (CORS origins, rate limits). */
    public static Javalin app(
            RecommendationStore store,
            CustomerStore customers,
            EventPublisher publisher,
            AccessSettings access) {
        return app(store, customers, publisher, HttpLimits.defaults(), access);
    }

    private static Javalin app(
            RecommendationStore store,
            CustomerStore customers,
            EventPublisher publisher,
            HttpLimits limits,
            AccessSettings access) {
        return app(store, customers, publisher, limits, access, UNWIRED_OFFERS);
    }

    /** The app on the three stores and the event log. */
    public static Javalin app(
            RecommendationStore store,
            CustomerStore customers,
            EventPublisher publisher,
            OfferStore offers) {
        return app(store, customers, publisher, HttpLimits.defaults(), ACCESS, offers);
    }

    private static Javalin app(
            RecommendationStore store,
            CustomerStore customers,
            EventPublisher publisher,
            HttpLimits limits,
            AccessSettings access,
            OfferStore offers) {
        return ShopkeeperApi.create(
                new ApiDependencies(
                        store,
                        customers,
                        publisher,
                        new HealthCheck(List.of(Probe.of("redis", store::ping))),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        CLOCK,
                        access,
                        offers),
                limits);
    }

    public static Javalin app(
            RecommendationStore store,
            EventPublisher publisher,
            HealthCheck health,
            PrometheusMeterRegistry registry) {
        return ShopkeeperApi.create(
                new ApiDependencies(
                        store,
                        UNWIRED_CUSTOMERS,
                        publisher,
                        health,
                        registry,
                        CLOCK,
                        ACCESS,
                        UNWIRED_OFFERS));
    }

    /**
     * The app on {@code store} with a catalog and rules, without an event log or customer store.
     */
    public static Javalin app(
            RecommendationStore store, Catalog catalog, RecommendationRules rules) {
        return ShopkeeperApi.create(
                new ApiDependencies(
                        store,
                        UNWIRED_CUSTOMERS,
                        EventPublisher.disabled("not wired in this test"),
                        new HealthCheck(List.of(Probe.of("redis", store::ping))),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        CLOCK,
                        catalog,
                        rules,
                        ACCESS,
                        UNWIRED_OFFERS));
    }

    /** The customer store that fails every call, for apps whose test does not read customers. */
    public static CustomerStore unwiredCustomers() {
        return UNWIRED_CUSTOMERS;
    }

    /** For tests of other routes: every call fails, so a test using it by mistake fails loudly. */
    private static final CustomerStore UNWIRED_CUSTOMERS =
            (CustomerStore)
                    java.lang.reflect.Proxy.newProxyInstance(
                            CustomerStore.class.getClassLoader(),
                            new Class<?>[] {CustomerStore.class},
                            (proxy, method, args) -> {
                                throw new IllegalStateException(
                                        "the customer store is not wired in this test");
                            });

    private static final OfferStore UNWIRED_OFFERS =
            (OfferStore)
                    java.lang.reflect.Proxy.newProxyInstance(
                            OfferStore.class.getClassLoader(),
                            new Class<?>[] {OfferStore.class},
                            (proxy, method, args) -> {
                                throw new IllegalStateException(
                                        "the offer store is not wired in this test");
                            });

    /** A stored list, e.g. {@code list("c1", scored("i1", 0.9), scored("i2", 0.5))}. */
    public static RecommendationList list(String subject, ScoredItem... items) {
        return new RecommendationList(subject, "test", NOW.toEpochMilli(), Arrays.asList(items));
    }

    public static ScoredItem scored(String itemId, double score) {
        return new ScoredItem(itemId, score, null);
    }

    public static ScoredItem scored(String itemId, double score, String reason) {
        return new ScoredItem(itemId, score, reason);
    }

    public static String json(Object value) {
        return EventCodec.encodeToString(value);
    }

    /** Reads a response body as JSON (and closes the response). */
    public static JsonNode body(Response response) {
        try (response) {
            return EventCodec.mapper().readTree(response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(Response response) {
        try (response) {
            return response.body().string();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The item ids of a response's {@code items} array, in order. */
    public static List<String> itemIds(JsonNode body) {
        return java.util.stream.StreamSupport.stream(body.get("items").spliterator(), false)
                .map(n -> n.get("itemId").asText())
                .toList();
    }
}
