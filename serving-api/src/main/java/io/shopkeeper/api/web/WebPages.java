package io.shopkeeper.api.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.api.access.Role;
import io.shopkeeper.api.access.VisitorTokens;
import io.shopkeeper.api.store.CustomerStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The product's pages, served as static files from the classpath ({@code web/}): the marketing
 * console at {@code /console/}, the demo shop at {@code /demo/}, the storefront tracker at {@code
 * /tracker/shopkeeper.js} (the file kept in {@code clients/js}) and the console's libraries under
 * {@code /webjars/}. The pages hold no data and need no key; the data they read comes from the API
 * with the caller's key (the console asks for the admin key; the demo gets the public storefront
 * key from {@code /demo/config.js}).
 */
public final class WebPages {
    public static final String CONSOLE = "/console";
    public static final String DEMO = "/demo";
    public static final String TRACKER = "/tracker";
    public static final String DEMO_CONFIG = "/demo/config.js";

    /** The tracker's anonymous id cookie, and the demo's HttpOnly cookie with its token. */
    static final String DEMO_VISITOR_COOKIE = "sk_aid";

    static final String DEMO_TOKEN_COOKIE = "sk_demo_vt";

    private WebPages() {}

    public static void configure(JavalinConfig config) {
        for (String path : new String[] {CONSOLE, DEMO, TRACKER}) {
            config.staticFiles.add(
                    files -> {
                        files.hostedPath = path;
                        files.directory = "/web" + path;
                        files.location = Location.CLASSPATH;
                        files.headers = Map.of("Cache-Control", "no-cache");
                        files.roles = Set.of(Role.PUBLIC);
                        // Jetty refuses a folder ("/console/" reaches it as the alias "//"):
                        // the pages' own routes serve their index.html.
                        files.skipFileFunction = request -> request.getRequestURI().endsWith("/");
                    });
        }
        config.staticFiles.add(
                files -> {
                    files.hostedPath = "/webjars";
                    files.directory = "/META-INF/resources/webjars";
                    files.location = Location.CLASSPATH;
                    files.headers = Map.of("Cache-Control", "max-age=31536000");
                    files.roles = Set.of(Role.PUBLIC);
                });
    }

    /** {@code GET /demo/config.js}: the demo shop's settings, with the public storefront key. */
    public static void demoConfig(Context ctx, AccessSettings access) {
        String visitorToken = "null";
        if (access.visitorSecret() != null) {
            // The demo's own back end: the visitor's anonymous id and its token, as a shop would
            // sign them. Only an id this route minted is signed (the pair travels in cookies and
            // is checked), never one a caller names, so no one gets a token for someone else.
            VisitorTokens tokens = new VisitorTokens(access.visitorSecret());
            String id = ctx.cookie(DEMO_VISITOR_COOKIE);
            String token = ctx.cookie(DEMO_TOKEN_COOKIE);
            if (id == null || !tokens.verify(id, token)) {
                id = "anon-" + UUID.randomUUID();
                token = tokens.sign(id);
                ctx.res()
                        .addHeader(
                                "Set-Cookie",
                                DEMO_VISITOR_COOKIE
                                        + "="
                                        + id
                                        + "; Path=/; Max-Age=31536000; SameSite=Lax");
                ctx.res()
                        .addHeader(
                                "Set-Cookie",
                                DEMO_TOKEN_COOKIE
                                        + "="
                                        + token
                                        + "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
            }
            visitorToken = "\"" + token + "\"";
        }
        ctx.contentType("text/javascript")
                .header("Cache-Control", "no-store")
                .result(
                        "window.SHOPKEEPER_DEMO = {key: \""
                                + access.storefrontKey()
                                + "\", visitorToken: "
                                + visitorToken
                                + "};\n");
    }

    /**
     * {@code GET /v1/stats}: the job's progress and the store's figures, for the console's live
     * view (admin). {@code census} and {@code revenue} are absent until the job publishes them.
     */
    public static void stats(Context ctx, CustomerStore customers, Clock clock) {
        CustomerStore.StoreFigures figures = customers.storeFigures();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventsApplied", figures.eventsApplied());
        body.put("at", clock.millis());
        if (figures.census() != null) body.put("census", figures.census());
        if (figures.revenue() != null) body.put("revenue", figures.revenue());
        ctx.json(body);
    }

    /**
     * {@code GET /console/} and {@code /demo/}: the page's index.html; without the slash, a
     * redirect to it (the page's relative links need it).
     */
    public static void page(Context ctx) {
        String path = ctx.path();
        if (!path.endsWith("/")) {
            ctx.redirect(path + "/");
            return;
        }
        String page = path.substring(0, path.length() - 1);
        byte[] html = INDEXES.computeIfAbsent(page, WebPages::readIndex);
        ctx.contentType("text/html; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .result(html);
    }

    private static final Map<String, byte[]> INDEXES = new ConcurrentHashMap<>();

    /**
     * The page's index.html with its own stylesheets inlined: a stylesheet blocks the first paint,
     * and as a {@code no-cache} file it would cost a revalidation round trip on every load.
     * Libraries' stylesheets ({@code /webjars/}, cached for a year) stay links.
     */
    private static byte[] readIndex(String page) {
        String html = new String(resource("/web" + page + "/index.html"), StandardCharsets.UTF_8);
        Matcher link = OWN_STYLESHEET.matcher(html);
        StringBuilder inlined = new StringBuilder();
        while (link.find()) {
            String css =
                    new String(
                            resource("/web" + page + "/" + link.group(1)), StandardCharsets.UTF_8);
            link.appendReplacement(
                    inlined, Matcher.quoteReplacement("<style>\n" + css + "</style>"));
        }
        link.appendTail(inlined);
        return inlined.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A stylesheet link to a file beside the page (a relative name, no folder). */
    private static final Pattern OWN_STYLESHEET =
            Pattern.compile("<link rel=\"stylesheet\" href=\"([\\w.-]+\\.css)\">");

    private static byte[] resource(String resource) {
        try (InputStream in = WebPages.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
