package io.shopkeeper.api.access;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may call the API and how much: the API keys by role, the secret that signs visitor tokens,
 * the storefront origins allowed by CORS and the collector's rate limits. {@link #fromEnv} reads
 * (defaults in brackets): {@code SHOPKEEPER_STOREFRONT_KEYS} and {@code SHOPKEEPER_ADMIN_KEYS}
 * [comma-separated, several allow rotation; unset: one random key for this run, see {@link
 * #generatedKeys()}], {@code SHOPKEEPER_VISITOR_SECRET} [unset: the storefront key reads no
 * profile], {@code SHOPKEEPER_CORS_ORIGINS} [comma-separated origins such as {@code
 * https://shop.example}; unset: no cross-origin access], {@code
 * SHOPKEEPER_COLLECTOR_EVENTS_PER_KEY} [2000 events/s] and {@code
 * SHOPKEEPER_COLLECTOR_EVENTS_PER_VISITOR} [20 events/s].
 */
public record AccessSettings(
        List<String> storefrontKeys,
        List<String> adminKeys,
        String visitorSecret,
        List<String> corsOrigins,
        int eventsPerSecondPerKey,
        int eventsPerSecondPerVisitor) {
    public static final String STOREFRONT_KEYS = "SHOPKEEPER_STOREFRONT_KEYS";
    public static final String ADMIN_KEYS = "SHOPKEEPER_ADMIN_KEYS";
    public static final String VISITOR_SECRET = "SHOPKEEPER_VISITOR_SECRET";
    public static final String CORS_ORIGINS = "SHOPKEEPER_CORS_ORIGINS";
    public static final String EVENTS_PER_KEY = "SHOPKEEPER_COLLECTOR_EVENTS_PER_KEY";
    public static final String EVENTS_PER_VISITOR = "SHOPKEEPER_COLLECTOR_EVENTS_PER_VISITOR";

    public static final int DEFAULT_EVENTS_PER_KEY = 2000;
    public static final int DEFAULT_EVENTS_PER_VISITOR = 20;

    /** Shortest key or secret accepted: guessing one must be hopeless. */
    public static final int MIN_KEY_LENGTH = 16;

    public static final int MIN_SECRET_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    public AccessSettings {
        storefrontKeys = List.copyOf(storefrontKeys);
        adminKeys = List.copyOf(adminKeys);
        corsOrigins = List.copyOf(corsOrigins);
        if (storefrontKeys.isEmpty() || adminKeys.isEmpty())
            throw new IllegalArgumentException(
                    "at least one storefront key and one admin key are required");
        Set<String> seen = new HashSet<>();
        for (String key : concat(storefrontKeys, adminKeys)) {
            if (key.length() < MIN_KEY_LENGTH || !key.matches("[\\x21-\\x7e]+"))
                throw new IllegalArgumentException(
                        "an API key must be at least "
                                + MIN_KEY_LENGTH
                                + " printable characters without spaces");
            if (!seen.add(key))
                throw new IllegalArgumentException("an API key is listed twice (or in both roles)");
        }
        if (visitorSecret != null && visitorSecret.length() < MIN_SECRET_LENGTH)
            throw new IllegalArgumentException(
                    VISITOR_SECRET + " must have at least " + MIN_SECRET_LENGTH + " characters");
        for (String origin : corsOrigins) {
            if (!origin.matches("https?://[^/\\s]+"))
                throw new IllegalArgumentException(
                        CORS_ORIGINS
                                + ": an origin is a scheme and host without a path, e.g."
                                + " https://shop.example; got '"
                                + origin
                                + "'");
        }
        if (eventsPerSecondPerKey < 1 || eventsPerSecondPerVisitor < 1)
            throw new IllegalArgumentException("the collector's rate limits must be >= 1 event/s");
    }

    /**
     * One fresh random storefront key and admin key for this run (and a visitor secret), no CORS,
     * default limits: for embedding and tests, which read the keys back from these settings.
     */
    public static AccessSettings generatedKeys() {
        return new AccessSettings(
                List.of(newStorefrontKey()),
                List.of(newAdminKey()),
                randomToken(),
                List.of(),
                DEFAULT_EVENTS_PER_KEY,
                DEFAULT_EVENTS_PER_VISITOR);
    }

    public static String newStorefrontKey() {
        return "sk_store_" + randomToken();
    }

    public static String newAdminKey() {
        return "sk_admin_" + randomToken();
    }

    /** 24 random bytes, base64url: 32 characters. */
    public static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Reads the settings from {@code env}; a role without a configured key gets a random one (see
     * {@link #storefrontKey()}, {@link #adminKey()}), which the caller should print.
     */
    public static AccessSettings fromEnv(Map<String, String> env) {
        List<String> storefront = list(env.get(STOREFRONT_KEYS));
        List<String> admin = list(env.get(ADMIN_KEYS));
        String secret = env.get(VISITOR_SECRET);
        return new AccessSettings(
                storefront.isEmpty() ? List.of(newStorefrontKey()) : storefront,
                admin.isEmpty() ? List.of(newAdminKey()) : admin,
                secret == null || secret.isBlank() ? null : secret.trim(),
                list(env.get(CORS_ORIGINS)),
                intValue(env, EVENTS_PER_KEY, DEFAULT_EVENTS_PER_KEY),
                intValue(env, EVENTS_PER_VISITOR, DEFAULT_EVENTS_PER_VISITOR));
    }

    /** True when the keys of both roles came from {@code env} rather than being generated. */
    public static boolean keysConfigured(Map<String, String> env) {
        return !list(env.get(STOREFRONT_KEYS)).isEmpty() && !list(env.get(ADMIN_KEYS)).isEmpty();
    }

    /** The first (current) storefront key. */
    public String storefrontKey() {
        return storefrontKeys.get(0);
    }

    /** The first (current) admin key. */
    public String adminKey() {
        return adminKeys.get(0);
    }

    public AccessSettings withCorsOrigins(List<String> origins) {
        return new AccessSettings(
                storefrontKeys,
                adminKeys,
                visitorSecret,
                origins,
                eventsPerSecondPerKey,
                eventsPerSecondPerVisitor);
    }

    public AccessSettings withRateLimits(int perKey, int perVisitor) {
        return new AccessSettings(
                storefrontKeys, adminKeys, visitorSecret, corsOrigins, perKey, perVisitor);
    }

    @Override
    public String toString() {
        // Never print the keys or the secret by accident.
        return "AccessSettings[storefrontKeys="
                + storefrontKeys.size()
                + ", adminKeys="
                + adminKeys.size()
                + ", visitorSecret="
                + (visitorSecret == null ? "unset" : "set")
                + ", corsOrigins="
                + corsOrigins
                + ", eventsPerSecondPerKey="
                + eventsPerSecondPerKey
                + ", eventsPerSecondPerVisitor="
                + eventsPerSecondPerVisitor
                + "]";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) return List.of();
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int intValue(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) return defaultValue;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer; got '" + value + "'");
        }
    }
}
