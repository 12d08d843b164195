package io.shopkeeper.api;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static io.shopkeeper.api.access.Role.ADMIN;
import static io.shopkeeper.api.access.Role.PUBLIC;
import static io.shopkeeper.api.access.Role.STOREFRONT;
import static io.shopkeeper.api.access.Role.VISITOR;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.shopkeeper.api.access.AccessGuard;
import io.shopkeeper.api.access.CollectorLimits;
import io.shopkeeper.api.access.Cors;
import io.shopkeeper.api.customers.DeletionController;
import io.shopkeeper.api.customers.DeletionService;
import io.shopkeeper.api.customers.ProfileController;
import io.shopkeeper.api.customers.ProfileService;
import io.shopkeeper.api.events.EventCollector;
import io.shopkeeper.api.events.EventsController;
import io.shopkeeper.api.health.HealthController;
import io.shopkeeper.api.http.ErrorMappers;
import io.shopkeeper.api.http.HttpLimits;
import io.shopkeeper.api.http.JettySetup;
import io.shopkeeper.api.items.ItemListsController;
import io.shopkeeper.api.metrics.HttpMetrics;
import io.shopkeeper.api.metrics.MetricsController;
import io.shopkeeper.api.offers.CampaignService;
import io.shopkeeper.api.offers.CampaignsController;
import io.shopkeeper.api.offers.OfferService;
import io.shopkeeper.api.offers.OffersController;
import io.shopkeeper.api.recommendations.RecommendationController;
import io.shopkeeper.api.recommendations.RecommendationService;
import io.shopkeeper.api.segments.SegmentService;
import io.shopkeeper.api.segments.SegmentsController;
import io.shopkeeper.api.store.LastGoodTrending;
import io.shopkeeper.api.web.WebPages;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventTimePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The app factory: builds the configured (not yet started) Javalin instance of the HTTP API from
 * injected dependencies. {@link ApiServer} starts it for real; tests hand it to {@code
 * JavalinTest}.
 */
public final class ShopkeeperApi {
    public static final String RECOMMENDATIONS = "/v1/recommendations";
    public static final String PROFILE = "/v1/customers/{id}/profile";
    public static final String CUSTOMER = "/v1/customers/{id}";
    public static final String DELETION = "/v1/customers/{id}/deletion";
    public static final String SEGMENTS = "/v1/segments";
    public static final String SEGMENT_MEMBERS = "/v1/segments/{name}/members";
    public static final String SIMILAR = "/v1/items/{id}/similar";
    public static final String TRENDING = "/v1/trending";
    public static final String EVENTS = "/v1/events";
    public static final String CAMPAIGNS = "/v1/campaigns";
    public static final String CAMPAIGN = "/v1/campaigns/{id}";
    public static final String CAMPAIGN_PAUSE = "/v1/campaigns/{id}/pause";
    public static final String CAMPAIGN_RESUME = "/v1/campaigns/{id}/resume";
    public static final String CAMPAIGN_END = "/v1/campaigns/{id}/end";
    public static final String CAMPAIGN_PREVIEW = "/v1/campaigns/{id}/preview";
    public static final String CAMPAIGN_RESULTS = "/v1/campaigns/{id}/results";
    public static final String OFFERS = "/v1/offers";
    public static final String OFFER_HISTORY = "/v1/customers/{id}/offers/history";
    public static final String RECOMMENDATION_RESULTS = "/v1/recommendations/results";
    public static final String STATS = "/v1/stats";
    public static final String HEALTH = "/health";
    public static final String METRICS = "/metrics";
    public static final String OPENAPI = "/openapi.yaml";

    /** The OpenAPI description of every route, a resource next to this class. */
    static final String OPENAPI_RESOURCE = "openapi.yaml";

    /**
     * Request threads. Handlers block on Redis (pool of 64) or Kafka acknowledgements, so more
     * threads than cores; kept warm (min) so a burst does not pay thread start-up in its latency.
     */
    static final int MAX_THREADS = 128;

    static final int MIN_THREADS = 16;

    /** Javalin's per-request copy buffer from an answer into Jetty's output buffer. */
    static final int RESPONSE_COPY_BUFFER_BYTES = 4096;

    private ShopkeeperApi() {}

    public static Javalin create(ApiDependencies deps) {
        return create(deps, HttpLimits.defaults());
    }

    /** With explicit limits on what one client may cost (tests shorten the timeouts). */
    public static Javalin create(ApiDependencies deps, HttpLimits limits) {
        return create(deps, limits, EventTimePolicy.DEFAULT_MAX_AGE);
    }

    /**
     * With the oldest event timestamp the collector accepts ({@link EventTimePolicy}, on {@code
     * deps.clock()}).
     */
    public static Javalin create(ApiDependencies deps, HttpLimits limits, Duration eventMaxAge) {
        EventTimePolicy eventTime =
                new EventTimePolicy(EventTimePolicy.DEFAULT_MAX_AHEAD, eventMaxAge, deps.clock());
        var offerService = new OfferService(deps.offers(), deps.clock());
        // Trending as last read, for both routes to answer from while Redis is unavailable.
        var lastGoodTrending = new LastGoodTrending();
        var recommendations =
                new RecommendationController(
                        new RecommendationService(
                                deps.store(),
                                deps.clock(),
                                deps.rules(),
                                deps.catalog(),
                                lastGoodTrending),
                        offerService);
        var campaigns =
                new CampaignsController(
                        new CampaignService(
                                deps.offers(), deps.customers(), deps.publisher(), deps.clock()));
        var offers = new OffersController(offerService, deps.clock());
        var profiles = new ProfileController(new ProfileService(deps.customers()));
        var deletions =
                new DeletionController(
                        new DeletionService(deps.publisher(), deps.customers(), deps.clock()));
        var segments = new SegmentsController(new SegmentService(deps.customers()));
        var lists = new ItemListsController(deps.store(), lastGoodTrending);
        var events =
                new EventsController(
                        new EventCollector(deps.publisher(), eventTime),
                        limits.maxRequestBytes(),
                        new CollectorLimits(deps.access()));
        var guard = new AccessGuard(deps.access());
        var health = new HealthController(deps.health());
        var metrics = new MetricsController(deps.registry());
        var httpMetrics = new HttpMetrics(deps.registry());
        byte[] openApi = readOpenApi();

        Javalin app =
                Javalin.create(
                        config -> {
                            config.showJavalinBanner = false;
                            config.jsonMapper(new JavalinJackson(EventCodec.mapper(), false));
                            config.jetty.threadPool =
                                    new QueuedThreadPool(MAX_THREADS, MIN_THREADS, 60_000);
                            JettySetup.apply(config, limits);
                            config.http.prefer405over404 = true;
                            // Answers are small JSON for back ends on the same network: compressing
                            // costs more CPU
                            // time per request than it saves in transfer.
                            config.http.disableCompression();
                            // Javalin copies every answer into Jetty through a buffer it allocates
                            // per request, by default as large as Jetty's output buffer (32 KB):
                            // a third of all the bytes the API allocated under load. Answers are
                            // about 1-2 KB; larger ones are copied in more rounds.
                            config.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
                            config.requestLogger.http(httpMetrics::record);
                            Cors.configure(config, deps.access().corsOrigins());
                            WebPages.configure(config);
                            // The route table: every route with the one Role it needs (AccessGuard
                            // refuses a route without one).
                            config.router.apiBuilder(
                                    () -> {
                                        get(
                                                RECOMMENDATIONS,
                                                recommendations::recommend,
                                                STOREFRONT);
                                        get(
                                                RECOMMENDATION_RESULTS,
                                                offers::recommendationResults,
                                                ADMIN);
                                        get(OFFERS, offers::offers, STOREFRONT);
                                        get(OFFER_HISTORY, offers::history, ADMIN);
                                        post(CAMPAIGNS, campaigns::create, ADMIN);
                                        get(CAMPAIGNS, campaigns::list, ADMIN);
                                        get(CAMPAIGN, campaigns::get, ADMIN);
                                        put(CAMPAIGN, campaigns::replace, ADMIN);
                                        post(CAMPAIGN_PAUSE, campaigns::pause, ADMIN);
                                        post(CAMPAIGN_RESUME, campaigns::resume, ADMIN);
                                        post(CAMPAIGN_END, campaigns::end, ADMIN);
                                        post(CAMPAIGN_PREVIEW, campaigns::preview, ADMIN);
                                        get(CAMPAIGN_RESULTS, campaigns::results, ADMIN);
                                        get(PROFILE, profiles::profile, VISITOR);
                                        delete(CUSTOMER, deletions::delete, ADMIN);
                                        get(DELETION, deletions::status, ADMIN);
                                        get(SEGMENTS, segments::list, ADMIN);
                                        get(SEGMENT_MEMBERS, segments::members, ADMIN);
                                        get(SIMILAR, lists::similar, STOREFRONT);
                                        get(TRENDING, lists::trending, STOREFRONT);
                                        post(EVENTS, events::collect, STOREFRONT);
                                        get(
                                                STATS,
                                                ctx ->
                                                        WebPages.stats(
                                                                ctx,
                                                                deps.customers(),
                                                                deps.clock()),
                                                ADMIN);
                                        get(HEALTH, health::health, PUBLIC);
                                        get(WebPages.CONSOLE, WebPages::page, PUBLIC);
                                        get(WebPages.DEMO, WebPages::page, PUBLIC);
                                        get(
                                                WebPages.DEMO_CONFIG,
                                                ctx -> WebPages.demoConfig(ctx, deps.access()),
                                                PUBLIC);
                                        get(METRICS, metrics::scrape, ADMIN);
                                        get(
                                                OPENAPI,
                                                ctx ->
                                                        ctx.contentType("application/yaml")
                                                                .result(openApi),
                                                PUBLIC);
                                    });
                        });
        app.beforeMatched(guard::check);
        ErrorMappers.register(app);
        return app;
    }

    private static byte[] readOpenApi() {
        try (InputStream in = ShopkeeperApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
