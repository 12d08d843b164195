package io.shopkeeper.api.access;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import io.shopkeeper.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * Checks every matched request against the {@link Role} its route declares, before the handler
 * runs. Fails closed: a route that declares no role answers 500 rather than serving anyone. Keys
 * travel as {@code Authorization: Bearer <key>}; the storefront key may also come as the {@code
 * key} query parameter, for {@code navigator.sendBeacon}, which cannot set headers (the admin key
 * never: it must not end up in logs and browser histories). No or an unknown key: 401; a key of the
 * wrong role: 403.
 */
public final class AccessGuard {
    public static final String VISITOR_TOKEN_HEADER = "X-Visitor-Token";
    public static final String KEY_PARAM = "key";
    private static final String BEARER = "Bearer ";
    private static final String CALLER = "shopkeeper.caller";
    private static final String TOKENS = "shopkeeper.visitor-tokens";

    /** Who is calling: the key presented and its role ({@link Role#STOREFRONT} or ADMIN). */
    public record Caller(String key, Role role) {}

    private final List<byte[]> storefrontKeys;
    private final List<byte[]> adminKeys;
    private final VisitorTokens tokens;

    public AccessGuard(AccessSettings settings) {
        this.storefrontKeys = bytes(settings.storefrontKeys());
        this.adminKeys = bytes(settings.adminKeys());
        this.tokens =
                settings.visitorSecret() == null
                        ? null
                        : new VisitorTokens(settings.visitorSecret());
    }

    /** The caller the guard admitted on this request; null on public routes. */
    public static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    /**
     * Whether this request may see what is for {@code visitorId} alone (their coupon codes): the
     * admin key, or the storefront key with that visitor's {@code X-Visitor-Token}. False without a
     * key (public routes) and, for the storefront key, when no visitor secret is configured.
     */
    public static boolean speaksFor(Context ctx, String visitorId) {
        Caller caller = caller(ctx);
        if (caller == null) return false;
        if (caller.role() == Role.ADMIN) return true;
        VisitorTokens tokens = ctx.attribute(TOKENS);
        return tokens != null && tokens.verify(visitorId, ctx.header(VISITOR_TOKEN_HEADER));
    }

    /** A {@code beforeMatched} handler. */
    public void check(Context ctx) {
        if (ctx.method() == HandlerType.OPTIONS) return; // CORS preflight: answered by the plugin
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.size() != 1 || !(roles.iterator().next() instanceof Role needed))
            throw new IllegalStateException(
                    "route " + ctx.endpointHandlerPath() + " must declare exactly one access Role");
        if (needed == Role.PUBLIC) return;
        Caller caller = identify(ctx);
        ctx.attribute(CALLER, caller);
        if (tokens != null) ctx.attribute(TOKENS, tokens);
        if (caller.role() == Role.ADMIN || needed == Role.STOREFRONT) return;
        if (needed == Role.ADMIN) throw ApiException.forbidden("this route needs the admin key");
        // Role.VISITOR with the storefront key: only the visitor the page proves to be.
        String visitor = ctx.pathParam("id");
        String token = ctx.header(VISITOR_TOKEN_HEADER);
        if (tokens == null)
            throw ApiException.forbidden(
                    "the storefront key reads no profile on this server (no "
                            + AccessSettings.VISITOR_SECRET
                            + " configured); use the admin key");
        if (token == null)
            throw ApiException.forbidden(
                    "the storefront key reads a profile only with the visitor's own "
                            + VISITOR_TOKEN_HEADER);
        if (!tokens.verify(visitor, token))
            throw ApiException.forbidden(
                    VISITOR_TOKEN_HEADER + " does not belong to visitor '" + visitor + "'");
    }

    private Caller identify(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null) {
            if (!header.startsWith(BEARER) || header.length() == BEARER.length())
                throw ApiException.unauthorized(
                        "the Authorization header must be 'Bearer <API key>'");
            String key = header.substring(BEARER.length()).trim();
            if (matches(adminKeys, key)) return new Caller(key, Role.ADMIN);
            if (matches(storefrontKeys, key)) return new Caller(key, Role.STOREFRONT);
            throw ApiException.unauthorized("unknown API key");
        }
        String key = ctx.queryParam(KEY_PARAM);
        if (key != null) {
            if (matches(storefrontKeys, key)) return new Caller(key, Role.STOREFRONT);
            throw ApiException.unauthorized(
                    "unknown storefront key in '"
                            + KEY_PARAM
                            + "' (the admin key is accepted only in the Authorization header)");
        }
        throw ApiException.unauthorized(
                "this route needs an API key: send 'Authorization: Bearer <API key>'");
    }

    /** Compares against every key in constant time per key, so timing does not reveal a prefix. */
    private static boolean matches(List<byte[]> keys, String candidate) {
        byte[] presented = candidate.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (byte[] key : keys) found |= MessageDigest.isEqual(key, presented);
        return found;
    }

    private static List<byte[]> bytes(List<String> keys) {
        return keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
