package io.shopkeeper.api.access;

import io.javalin.config.JavalinConfig;
import java.util.List;

/**
 * Cross-origin access for the storefront's own origins only (none configured: none allowed). The
 * browser may send the key, the visitor token and JSON, and read {@code Retry-After}; no cookies
 * cross origins (keys travel in headers, never as credentials).
 */
public final class Cors {
    private Cors() {}

    public static void configure(JavalinConfig config, List<String> origins) {
        if (origins.isEmpty()) return;
        config.bundledPlugins.enableCors(
                cors ->
                        cors.addRule(
                                rule -> {
                                    origins.forEach(rule::allowHost);
                                    rule.exposeHeader("Retry-After");
                                    rule.maxAge = 600;
                                }));
    }
}
