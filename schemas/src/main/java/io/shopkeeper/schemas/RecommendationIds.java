package io.shopkeeper.schemas;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Recommendation ids: {@code {uuid}~{context}~{strategy}}, minted by the API for every answer and
 * sent back by the storefront on the impressions and clicks of its items, so the job counts results
 * per strategy and page context from the event alone (no lookup, nothing to store per answer).
 *
 * <p>The context is one of {@link #CONTEXTS}; the strategy is one or more of {@link
 * #STRATEGY_PARTS} joined with '+', each at most once. The id comes back from a public client, so
 * {@link #parse} accepts nothing else: an id in any other form (an older plain UUID, a forged id
 * naming an unknown context or strategy, a long or odd one) is {@code null} and is never counted,
 * which also bounds how many counters a hostile client can create.
 */
public final class RecommendationIds {
    public static final char SEPARATOR = '~';

    /** The page contexts a recommendation is asked for. */
    public static final List<String> CONTEXTS = List.of("home", "product", "cart", "search");

    /**
     * The words a strategy is made of (sources, then adjustments): the API names an answer's
     * strategy with these only.
     */
    public static final String PERSONALIZED = "personalized";

    public static final String SIMILAR = "similar";
    public static final String BOUGHT_TOGETHER = "bought_together";
    public static final String TRENDING = "trending";
    public static final String AFFINITY = "affinity";
    public static final String PRICE_AWARE = "price_aware";
    public static final String BROADENED = "broadened";
    public static final String BOOSTED = "boosted";
    public static final String DIVERSIFIED = "diversified";
    public static final String PINNED = "pinned";
    public static final String NONE = "none";

    public static final List<String> STRATEGY_PARTS =
            List.of(
                    PERSONALIZED,
                    SIMILAR,
                    BOUGHT_TOGETHER,
                    TRENDING,
                    AFFINITY,
                    PRICE_AWARE,
                    BROADENED,
                    BOOSTED,
                    DIVERSIFIED,
                    PINNED,
                    NONE);

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Longer than any id {@link #mint} makes. */
    static final int MAX_LENGTH = 36 + 2 + 7 + 120;

    private RecommendationIds() {}

    /** What an id says: where the recommendations were shown and how they were made. */
    public record Parsed(String context, String strategy) {}

    /**
     * The id of an answer.
     *
     * @throws IllegalArgumentException if the context or strategy is not one {@link #parse} reads
     */
    public static String mint(UUID answer, String context, String strategy) {
        String id = answer.toString() + SEPARATOR + context + SEPARATOR + strategy;
        if (parse(id) == null)
            throw new IllegalArgumentException(
                    "not a countable context and strategy: " + context + ", " + strategy);
        return id;
    }

    /** The context and strategy an id names, or null when it is not an id {@link #mint} makes. */
    public static Parsed parse(String id) {
        if (id == null || id.length() > MAX_LENGTH) return null;
        int first = id.indexOf(SEPARATOR);
        if (first != 36) return null;
        int second = id.indexOf(SEPARATOR, first + 1);
        if (second < 0 || id.indexOf(SEPARATOR, second + 1) >= 0) return null;
        if (!UUID_FORM.matcher(id.substring(0, first)).matches()) return null;
        String context = id.substring(first + 1, second);
        String strategy = id.substring(second + 1);
        if (!CONTEXTS.contains(context) || !validStrategy(strategy)) return null;
        return new Parsed(context, strategy);
    }

    private static boolean validStrategy(String strategy) {
        if (strategy.isEmpty()) return false;
        Set<String> seen = new HashSet<>();
        int from = 0;
        while (true) {
            int plus = strategy.indexOf('+', from);
            String part = plus < 0 ? strategy.substring(from) : strategy.substring(from, plus);
            if (!STRATEGY_PARTS.contains(part) || !seen.add(part)) return false;
            if (plus < 0) return true;
            from = plus + 1;
        }
    }
}
