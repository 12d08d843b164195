package io.shopkeeper.bench;

import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.shopkeeper.api.ShopkeeperApi;
import io.shopkeeper.api.http.HttpLimits;
import io.shopkeeper.api.http.JettySetup;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP layer alone: a Javalin server set up as the API's (Jetty's pool of 16..128 threads, the
 * API's {@link HttpLimits} and error pages, no compression, the same copy buffer) whose one route
 * answers {@code GET /v1/recommendations} with a fixed answer, without a key check, metrics, Redis
 * or ranking. What it costs per request is what Jetty and Javalin cost the API before any of its
 * own work.
 */
final class HttpFloor implements AutoCloseable {
    private final Javalin app;

    private HttpFloor(Javalin app) {
        this.app = app;
    }

    /** Starts on a free port, answering every request with {@code answer} as JSON. */
    static HttpFloor start(byte[] answer) {
        Javalin app =
                Javalin.create(
                        config -> {
                            config.showJavalinBanner = false;
                            config.jetty.threadPool = new QueuedThreadPool(128, 16, 60_000);
                            JettySetup.apply(config, HttpLimits.defaults());
                            config.http.disableCompression();
                            config.http.responseBufferSize = 4096;
                        });
        app.get(
                ShopkeeperApi.RECOMMENDATIONS,
                ctx -> ctx.contentType(ContentType.APPLICATION_JSON).result(answer));
        app.start(0);
        return new HttpFloor(app);
    }

    int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
