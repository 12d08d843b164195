package io.shopkeeper.api.http;

import io.javalin.http.Context;
import io.shopkeeper.schemas.EventCodec;

/**
 * Validated access to the query and path parameters the routes share, built on Javalin's validators;
 * a failed check throws Javalin's ValidationException, which {@link ErrorMappers} turns into a 400
 * naming the parameter.
 */
public final class Params {
    /** Largest {@code n} any list route accepts. */
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 10;
    /** Longest id accepted, the same bound the event codec puts on ids. */
    public static final int MAX_ID_LENGTH = EventCodec.MAX_TEXT_LENGTH;

    private Params() {
    }

    /** {@code n}: 1..{@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    public static int limit(Context ctx) {
        return ctx.queryParamAsClass("n", Integer.class)
                .check(n -> n >= 1 && n <= MAX_LIMIT, "n must be between 1 and " + MAX_LIMIT)
                .getOrDefault(DEFAULT_LIMIT);
    }

    /** A required id in the query string. */
    public static String requiredQueryId(Context ctx, String name) {
        return ctx.queryParamAsClass(name, String.class)
                .check(v -> !v.isBlank(), name + " must not be blank")
                .check(v -> v.length() <= MAX_ID_LENGTH, name + " must be at most " + MAX_ID_LENGTH + " characters")
                .get();
    }

    /** An optional id in the query string; {@code null} when absent. */
    public static String optionalQueryId(Context ctx, String name) {
        if (ctx.queryParam(name) == null) return null;
        return requiredQueryId(ctx, name);
    }

    /** An id in the path. */
    public static String pathId(Context ctx, String name) {
        return ctx.pathParamAsClass(name, String.class)
                .check(v -> !v.isBlank(), name + " must not be blank")
                .check(v -> v.length() <= MAX_ID_LENGTH, name + " must be at most " + MAX_ID_LENGTH + " characters")
                .get();
    }
}
