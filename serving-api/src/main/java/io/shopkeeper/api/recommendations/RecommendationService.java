package io.shopkeeper.api.recommendations;

import io.shopkeeper.api.store.CandidateLists;
import io.shopkeeper.api.store.RecommendationStore;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers recommendation requests from precomputed lists: one store round trip, then an in-memory
 * blend. Sources in priority order: the visitor's personalized list, the items similar to the item
 * in context, then trending (in the category, then overall) to fill up to the limit. So a brand-new
 * visitor gets trending items, and never an empty answer while a trending list exists.
 *
 * <p>Blending: each list's scores are normalized by its top score (lists come from different models
 * with different scales), multiplied by the source weight and summed per item; an item found by two
 * sources ranks higher. Trending fill-ins are scaled below the last blended item so the answer stays
 * sorted by score. The item in context is never recommended.
 */
public final class RecommendationService {
    /** Weight of the visitor's own precomputed list. */
    static final double PERSONALIZED_WEIGHT = 1.0;
    /** Weight of similar items on a product page: the item on screen is the freshest sign of intent. */
    static final double SIMILAR_WEIGHT_ON_PRODUCT_PAGE = 1.0;
    /** Weight of similar items elsewhere (e.g. the last item added, on the cart page). */
    static final double SIMILAR_WEIGHT = 0.5;
    /** Longest prefix of a stored list considered; bounds request-time work whatever the job writes. */
    static final int MAX_ITEMS_PER_LIST = 200;

    private static final int PERSONALIZED = 1;
    private static final int SIMILAR = 2;
    private static final int TRENDING = 4;

    private final RecommendationStore store;
    private final Clock clock;

    public RecommendationService(RecommendationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Recommendations recommend(RecommendationRequest request) {
        // TODO(out-of-stock): dropping items whose sk:item:{id} says inStock=false needs those keys,
        //  which are only known after this read: a second MGET round trip (doubles Redis latency) or a
        //  Lua script parsing JSON inside Redis (moves CPU onto the shared Redis). Better: have the job
        //  drop out-of-stock items when it writes the lists, or keep a stock bitmap we can fetch here.
        CandidateLists lists = store.candidates(request.visitor(), request.itemId(), request.categoryId());
        Blend blend = new Blend(request.itemId());
        blend.add(lists.personalized(), PERSONALIZED_WEIGHT, PERSONALIZED, "personalized");
        if (request.itemId() != null) {
            double weight = request.context() == PageContext.PRODUCT ? SIMILAR_WEIGHT_ON_PRODUCT_PAGE : SIMILAR_WEIGHT;
            blend.add(lists.similar(), weight, SIMILAR, "similar_to:" + request.itemId());
        }
        List<Candidate> chosen = blend.top(request.limit());
        if (request.categoryId() != null) {
            blend.fill(chosen, lists.categoryTrending(), request.limit(), "trending_in:" + request.categoryId());
        }
        blend.fill(chosen, lists.trending(), request.limit(), "trending");

        List<RecommendedItem> items = new ArrayList<>(chosen.size());
        int sources = 0;
        for (Candidate c : chosen) {
            items.add(new RecommendedItem(c.itemId, round(c.score), c.reason));
            sources |= c.sources;
        }
        return new Recommendations(newRecommendationId(), request.visitor(), request.context().wireName(),
                strategy(sources), items, clock.instant());
    }

    /** Top-n by score of one stored list, for the similar-items and trending routes. */
    public static List<RecommendedItem> topOf(RecommendationList list, int limit, String defaultReason) {
        if (list == null || list.getItems() == null) return List.of();
        List<RecommendedItem> out = new ArrayList<>(Math.min(limit, list.getItems().size()));
        for (ScoredItem item : list.getItems()) {
            if (out.size() == limit) break;
            if (item == null || item.getItemId() == null || item.getItemId().isBlank()) continue;
            out.add(new RecommendedItem(item.getItemId(), round(item.getScore()),
                    item.getReason() != null ? item.getReason() : defaultReason));
        }
        return out;
    }

    static String strategy(int sources) {
        if (sources == 0) return "none";
        StringJoiner s = new StringJoiner("+");
        if ((sources & PERSONALIZED) != 0) s.add("personalized");
        if ((sources & SIMILAR) != 0) s.add("similar");
        if ((sources & TRENDING) != 0) s.add("trending");
        return s.toString();
    }

    /**
     * A random (version 4) UUID from the thread-local generator: attribution ids need uniqueness, not
     * unpredictability, and this avoids contention on the shared SecureRandom of UUID.randomUUID().
     */
    static String newRecommendationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static double round(double score) {
        return Math.round(score * 10_000d) / 10_000d;
    }

    /** A candidate item with its blended score, the sources that proposed it and its strongest reason. */
    private static final class Candidate {
        final String itemId;
        double score;
        double strongest;
        String reason;
        int sources;

        Candidate(String itemId) {
            this.itemId = itemId;
        }
    }

    /** The per-request merge state; the item in context is excluded from every source. */
    private static final class Blend {
        private final String excluded;
        private final Map<String, Candidate> byItem = new HashMap<>(64);
        private final List<Candidate> order = new ArrayList<>(64);

        Blend(String excluded) {
            this.excluded = excluded;
        }

        void add(RecommendationList list, double weight, int source, String defaultReason) {
            if (list == null || list.getItems() == null) return;
            List<ScoredItem> items = list.getItems();
            int size = Math.min(items.size(), MAX_ITEMS_PER_LIST);
            double top = topScore(items, size);
            for (int rank = 0; rank < size; rank++) {
                ScoredItem item = items.get(rank);
                if (!usable(item)) continue;
                double contribution = weight * normalized(item, rank, top);
                Candidate c = byItem.get(item.getItemId());
                if (c == null) {
                    c = new Candidate(item.getItemId());
                    byItem.put(c.itemId, c);
                    order.add(c);
                }
                c.score += contribution;
                c.sources |= source;
                if (c.reason == null || contribution > c.strongest) {
                    c.strongest = contribution;
                    c.reason = item.getReason() != null ? item.getReason() : defaultReason;
                }
            }
        }

        /** The best {@code limit} candidates so far, highest score first (ties keep source order). */
        List<Candidate> top(int limit) {
            List<Candidate> sorted = new ArrayList<>(order);
            sorted.sort((a, b) -> Double.compare(b.score, a.score));
            List<Candidate> chosen = new ArrayList<>(limit);
            for (int i = 0; i < sorted.size() && i < limit; i++) chosen.add(sorted.get(i));
            return chosen;
        }

        /** Appends items of {@code list} not yet proposed until {@code chosen} holds {@code limit} items. */
        void fill(List<Candidate> chosen, RecommendationList list, int limit, String defaultReason) {
            if (chosen.size() >= limit || list == null || list.getItems() == null) return;
            double ceiling = chosen.isEmpty() ? 1.0 : chosen.get(chosen.size() - 1).score;
            List<ScoredItem> items = list.getItems();
            int size = Math.min(items.size(), MAX_ITEMS_PER_LIST);
            double top = topScore(items, size);
            for (int rank = 0; rank < size && chosen.size() < limit; rank++) {
                ScoredItem item = items.get(rank);
                if (!usable(item) || byItem.containsKey(item.getItemId())) continue;
                Candidate c = new Candidate(item.getItemId());
                c.score = ceiling * normalized(item, rank, top);
                c.sources = TRENDING;
                c.reason = item.getReason() != null ? item.getReason() : defaultReason;
                byItem.put(c.itemId, c);
                chosen.add(c);
            }
        }

        private boolean usable(ScoredItem item) {
            return item != null && item.getItemId() != null && !item.getItemId().isBlank()
                    && !item.getItemId().equals(excluded);
        }

        private static double topScore(List<ScoredItem> items, int size) {
            double top = 0;
            for (int i = 0; i < size; i++) {
                ScoredItem item = items.get(i);
                if (item != null && item.getScore() > top) top = item.getScore();
            }
            return top;
        }

        /** Score relative to the list's best in [0, 1]; by rank when the list carries no positive scores. */
        private static double normalized(ScoredItem item, int rank, double top) {
            return top > 0 ? Math.max(0, item.getScore()) / top : 1.0 / (rank + 1);
        }
    }
}
