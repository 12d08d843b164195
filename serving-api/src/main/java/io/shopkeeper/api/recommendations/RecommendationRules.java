package io.shopkeeper.api.recommendations;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merchandising rules applied to every answer, loaded from a JSON file ({@code
 * SHOPKEEPER_RULES_FILE}; default: the built-in resource {@value #BUILT_IN_RESOURCE}). Every field
 * is optional:
 *
 * <pre>{@code
 * {
 *   "hiddenItems": ["i9"],                 // never shown
 *   "pinned": {"home": ["i1", "i2"]},      // per context (home|product|cart|search): placed first, in order
 *   "boosted": {"i3": 1.5},                // score multiplier, > 0 (below 1 demotes)
 *   "maxPerCategory": 3,                   // diversity: at most this many items per category (1..100)
 *   "driftingMaxPerCategory": 2,           // the same for a drifting visitor (default: maxPerCategory - 1, at least 1)
 *   "excludePurchased": true,              // drop items the visitor bought ...
 *   "repurchasableCategories": ["coffee"]  // ... except in these categories
 * }
 * }</pre>
 *
 * Validated at load: an unknown field or a bad value fails with a message naming the field.
 */
public record RecommendationRules(
        Set<String> hiddenItems,
        Map<PageContext, List<String>> pinned,
        Map<String, Double> boosted,
        int maxPerCategory,
        int driftingMaxPerCategory,
        boolean excludePurchased,
        Set<String> repurchasableCategories) {

    public static final String BUILT_IN_RESOURCE = "rules.json";
    public static final int DEFAULT_MAX_PER_CATEGORY = 3;
    static final int MAX_PER_CATEGORY_LIMIT = 100;
    private static final List<String> FIELDS =
            List.of(
                    "hiddenItems",
                    "pinned",
                    "boosted",
                    "maxPerCategory",
                    "driftingMaxPerCategory",
                    "excludePurchased",
                    "repurchasableCategories");

    public RecommendationRules {
        hiddenItems = Set.copyOf(hiddenItems);
        EnumMap<PageContext, List<String>> pins = new EnumMap<>(PageContext.class);
        pinned.forEach((context, items) -> pins.put(context, List.copyOf(items)));
        pinned = Collections.unmodifiableMap(pins);
        boosted = Map.copyOf(boosted);
        repurchasableCategories = Set.copyOf(repurchasableCategories);
    }

    /**
     * No hidden, pinned or boosted items; {@value #DEFAULT_MAX_PER_CATEGORY} per category;
     * purchased items excluded.
     */
    public static RecommendationRules defaults() {
        return new RecommendationRules(
                Set.of(),
                Map.of(),
                Map.of(),
                DEFAULT_MAX_PER_CATEGORY,
                DEFAULT_MAX_PER_CATEGORY - 1,
                true,
                Set.of());
    }

    /** The built-in rules ({@code rules.json} next to this class). */
    public static RecommendationRules builtIn() {
        try (InputStream in = RecommendationRules.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null)
                throw new IllegalStateException("missing resource " + BUILT_IN_RESOURCE);
            return parse(
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "built-in " + BUILT_IN_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rules from {@code file}; {@link IllegalArgumentException} naming the file and field when
     * invalid.
     */
    public static RecommendationRules load(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read rules file " + file + ": " + e.getMessage(), e);
        }
        return parse(json, "rules file " + file);
    }

    /** Rules from a JSON document; {@code source} names it in error messages. */
    public static RecommendationRules parse(String json, String source) {
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    source + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject())
            throw invalid(source, "the rules must be a JSON object");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name))
                throw invalid(
                        source,
                        "unknown field '"
                                + name
                                + "'; expected one of "
                                + String.join(", ", FIELDS));
        }
        Set<String> hidden = idSet(root.get("hiddenItems"), "hiddenItems", source);
        Map<PageContext, List<String>> pinned = pinned(root.get("pinned"), source);
        Map<String, Double> boosted = boosted(root.get("boosted"), source);
        int maxPerCategory =
                intField(
                        root.get("maxPerCategory"),
                        "maxPerCategory",
                        DEFAULT_MAX_PER_CATEGORY,
                        source);
        int drifting =
                intField(
                        root.get("driftingMaxPerCategory"),
                        "driftingMaxPerCategory",
                        Math.max(1, maxPerCategory - 1),
                        source);
        boolean excludePurchased = true;
        JsonNode exclude = root.get("excludePurchased");
        if (exclude != null && !exclude.isNull()) {
            if (!exclude.isBoolean())
                throw invalid(source, "excludePurchased must be true or false; got " + exclude);
            excludePurchased = exclude.booleanValue();
        }
        Set<String> repurchasable =
                idSet(root.get("repurchasableCategories"), "repurchasableCategories", source);
        return new RecommendationRules(
                hidden, pinned, boosted, maxPerCategory, drifting, excludePurchased, repurchasable);
    }

    /** The items pinned in {@code context}, in order; empty when none. */
    public List<String> pinnedIn(PageContext context) {
        return pinned.getOrDefault(context, List.of());
    }

    /** The score multiplier of {@code itemId}: 1 unless boosted. */
    public double boostOf(String itemId) {
        if (boosted.isEmpty()) return 1.0;
        Double boost = boosted.get(itemId);
        return boost == null ? 1.0 : boost;
    }

    public boolean hidden(String itemId) {
        return !hiddenItems.isEmpty() && hiddenItems.contains(itemId);
    }

    /**
     * True when an item the visitor bought must not be proposed again: purchased items are excluded
     * unless their category is repurchasable (an item of unknown category is excluded).
     */
    public boolean excludesPurchase(String categoryId) {
        return excludePurchased
                && (categoryId == null || !repurchasableCategories.contains(categoryId));
    }

    private static Set<String> idSet(JsonNode node, String field, String source) {
        if (node == null || node.isNull()) return Set.of();
        if (!node.isArray()) throw invalid(source, field + " must be an array of ids; got " + node);
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++)
            ids.add(id(node.get(i), field + "[" + i + "]", source));
        return ids;
    }

    private static String id(JsonNode node, String field, String source) {
        if (!node.isTextual() || node.asText().isBlank())
            throw invalid(source, field + " must be a non-blank string; got " + node);
        return node.asText();
    }

    private static Map<PageContext, List<String>> pinned(JsonNode node, String source) {
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject())
            throw invalid(
                    source, "pinned must be an object of context -> array of ids; got " + node);
        Map<PageContext, List<String>> pinned = new EnumMap<>(PageContext.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            PageContext context = PageContext.fromWireName(e.getKey());
            if (context == null) {
                throw invalid(
                        source,
                        "pinned."
                                + e.getKey()
                                + ": unknown context; expected one of "
                                + PageContext.wireNames());
            }
            pinned.put(
                    context, new ArrayList<>(idSet(e.getValue(), "pinned." + e.getKey(), source)));
        }
        return pinned;
    }

    private static Map<String, Double> boosted(JsonNode node, String source) {
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject())
            throw invalid(
                    source, "boosted must be an object of item id -> multiplier; got " + node);
        Map<String, Double> boosted = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (e.getKey().isBlank()) throw invalid(source, "boosted: item ids must not be blank");
            if (!value.isNumber()
                    || !(value.doubleValue() > 0)
                    || Double.isInfinite(value.doubleValue())) {
                throw invalid(
                        source, "boosted." + e.getKey() + " must be a number > 0; got " + value);
            }
            boosted.put(e.getKey(), value.doubleValue());
        }
        return boosted;
    }

    private static int intField(JsonNode node, String field, int defaultValue, String source) {
        if (node == null || node.isNull()) return defaultValue;
        if (!node.isIntegralNumber()
                || node.asLong() < 1
                || node.asLong() > MAX_PER_CATEGORY_LIMIT) {
            throw invalid(
                    source,
                    field
                            + " must be an integer between 1 and "
                            + MAX_PER_CATEGORY_LIMIT
                            + "; got "
                            + node);
        }
        return node.intValue();
    }

    private static IllegalArgumentException invalid(String source, String message) {
        return new IllegalArgumentException(source + ": " + message);
    }
}
