package io.shopkeeper.api.http;

import io.javalin.http.Context;
import io.shopkeeper.schemas.EventCodec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validated access to the query and path parameters the routes share, built on Javalin's
 * validators; a failed check throws Javalin's ValidationException, which {@link ErrorMappers} turns
 * into a 400 naming the parameter.
 *
 * <p>A valid value is taken straight from the query string: a Javalin validator costs a handful of
 * objects and lambdas per parameter, on every request of the hot routes. Only a value the fast
 * check does not accept (absent where required, blank, too long, not plain digits) goes through the
 * validator, which gives the same value or the same error as before.
 *
 * <p>Values are read by {@link #query}: from the raw query string when it needs no decoding, so the
 * hot routes never make Javalin's map of every parameter (each key and value split, decoded and
 * grouped into lists: 3% of the request threads' CPU samples on {@code /v1/recommendations}).
 */
public final class Params {
    /** Largest {@code n} any list route accepts. */
    public static final int MAX_LIMIT = 100;

    public static final int DEFAULT_LIMIT = 10;

    /** Longest id accepted, the same bound the event codec puts on ids. */
    public static final int MAX_ID_LENGTH = EventCodec.MAX_TEXT_LENGTH;

    private Params() {}

    /**
     * The first value of the query parameter {@code name}, exactly what {@code
     * ctx.queryParam(name)} gives: taken from the raw query string when it holds nothing to decode
     * (no {@code %} or {@code +}) and the request names no charset (Javalin decodes with the {@code
     * Content-Type}'s charset, and an unknown one makes every value null), else Javalin's map. As
     * Javalin's: pairs split at {@code &}, the key at the first {@code =}, a key without one has
     * the value {@code ""}, keys compared exactly.
     */
    public static String query(Context ctx, String name) {
        String q = ctx.queryString();
        if (q == null || q.isEmpty()) return null;
        if (q.indexOf('%') >= 0 || q.indexOf('+') >= 0 || ctx.header("Content-Type") != null)
            return ctx.queryParam(name);
        int length = q.length();
        int n = name.length();
        for (int start = 0; start <= length; ) {
            int end = q.indexOf('&', start);
            if (end < 0) end = length;
            if (end - start >= n && q.startsWith(name, start)) {
                if (start + n == end) return "";
                if (q.charAt(start + n) == '=') return q.substring(start + n + 1, end);
            }
            start = end + 1;
        }
        return null;
    }

    /** {@code n}: 1..{@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    public static int limit(Context ctx) {
        String raw = query(ctx, "n");
        if (raw == null) return DEFAULT_LIMIT;
        int value = smallDecimal(raw);
        if (value >= 1 && value <= MAX_LIMIT) return value;
        return ctx.queryParamAsClass("n", Integer.class)
                .check(n -> n >= 1 && n <= MAX_LIMIT, "n must be between 1 and " + MAX_LIMIT)
                .getOrDefault(DEFAULT_LIMIT);
    }

    /** A required id in the query string. */
    public static String requiredQueryId(Context ctx, String name) {
        String raw = query(ctx, name);
        if (raw != null && raw.length() <= MAX_ID_LENGTH && !raw.isBlank()) return raw;
        return ctx.queryParamAsClass(name, String.class)
                .check(v -> !v.isBlank(), name + " must not be blank")
                .check(
                        v -> v.length() <= MAX_ID_LENGTH,
                        name + " must be at most " + MAX_ID_LENGTH + " characters")
                .get();
    }

    /** The value of 1 to 4 ASCII digits as an int; -1 for anything else (left to the validator). */
    private static int smallDecimal(String raw) {
        int length = raw.length();
        if (length == 0 || length > 4) return -1;
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** An optional id in the query string; {@code null} when absent. */
    public static String optionalQueryId(Context ctx, String name) {
        if (query(ctx, name) == null) return null;
        return requiredQueryId(ctx, name);
    }

    /** Most ids {@link #optionalIdList} accepts. */
    public static final int MAX_IDS = 20;

    /**
     * An optional comma-separated list of ids ({@code items=a,b,c}); empty when absent. At most
     * {@value #MAX_IDS} ids, none blank or longer than {@value #MAX_ID_LENGTH} characters;
     * duplicates are dropped, order kept.
     */
    public static List<String> optionalIdList(Context ctx, String name) {
        String raw = query(ctx, name);
        if (raw == null) return List.of();
        String[] parts = raw.split(",", -1);
        if (parts.length > MAX_IDS) throw ApiException.badRequest(idListMessage(name));
        Set<String> ids = new LinkedHashSet<>();
        for (String part : parts) {
            String id = part.trim();
            if (id.isEmpty() || id.length() > MAX_ID_LENGTH)
                throw ApiException.badRequest(idListMessage(name));
            ids.add(id);
        }
        return List.copyOf(ids);
    }

    private static String idListMessage(String name) {
        return name
                + " must be a comma-separated list of at most "
                + MAX_IDS
                + " non-blank ids of at most "
                + MAX_ID_LENGTH
                + " characters";
    }

    /** An id in the path. */
    public static String pathId(Context ctx, String name) {
        return ctx.pathParamAsClass(name, String.class)
                .check(v -> !v.isBlank(), name + " must not be blank")
                .check(
                        v -> v.length() <= MAX_ID_LENGTH,
                        name + " must be at most " + MAX_ID_LENGTH + " characters")
                .get();
    }

    /**
     * An optional integer query parameter in {@code min..max}, {@code defaultValue} when absent.
     */
    public static int intInRange(Context ctx, String name, int min, int max, int defaultValue) {
        return ctx.queryParamAsClass(name, Integer.class)
                .check(v -> v >= min && v <= max, name + " must be between " + min + " and " + max)
                .getOrDefault(defaultValue);
    }

    /**
     * {@code cursor} of a paged scan: the {@code nextCursor} of the previous page, {@code "0"} (the
     * default) to start; an unsigned 64-bit decimal number.
     */
    public static String scanCursor(Context ctx) {
        return ctx.queryParamAsClass("cursor", String.class)
                .check(
                        Params::isUnsignedLong,
                        "cursor must be a nextCursor value from a previous page, or 0")
                .getOrDefault("0");
    }

    private static boolean isUnsignedLong(String value) {
        if (value.isEmpty()
                || value.length() > 20
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
        try {
            Long.parseUnsignedLong(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
