package io.shopkeeper.api.metrics;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records {@code http.server.requests}: count and latency histogram per method, route template and
 * status (Prometheus: {@code http_server_requests_seconds_*}). Paths that match no route share the
 * route tag {@value #UNMATCHED} so scanners cannot blow up the series count.
 */
public final class HttpMetrics {
    public static final String METRIC = "http.server.requests";
    public static final String UNMATCHED = "NOT_FOUND";

    private final MeterRegistry registry;

    /** Timers by series, so a request costs a map lookup rather than a meter registration. */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    private record Series(String method, String route, int status) {}

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** For Javalin's request logger, which runs after every request, including failed ones. */
    public void record(Context ctx, Float executionTimeMs) {
        timers.computeIfAbsent(
                        new Series(ctx.method().name(), routeOf(ctx), ctx.statusCode()),
                        this::timer)
                .record((long) (executionTimeMs * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    private Timer timer(Series series) {
        return Timer.builder(METRIC)
                .description("HTTP requests served, by route template and status")
                .tag("method", series.method())
                .tag("route", series.route())
                .tag("status", Integer.toString(series.status()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    private static String routeOf(Context ctx) {
        try {
            String route = ctx.endpointHandlerPath();
            return route == null || route.isEmpty() ? UNMATCHED : route;
        } catch (IllegalStateException noEndpointMatched) {
            return UNMATCHED;
        }
    }
}
