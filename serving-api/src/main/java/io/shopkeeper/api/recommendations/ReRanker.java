package io.shopkeeper.api.recommendations;

import io.shopkeeper.api.catalog.Catalog;
import io.shopkeeper.api.catalog.CatalogItem;
import io.shopkeeper.api.store.CandidateLists;
import io.shopkeeper.api.store.CandidateQuery;
import io.shopkeeper.api.store.VisitorFacts;
import io.shopkeeper.api.store.Weights;
import io.shopkeeper.schemas.RecommendationIds;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns the fetched candidate lists into one answer, in memory, O(candidates): merge the sources,
 * apply the {@link RecommendationRules} and the re-rankings, in this order:
 *
 * <ol>
 *   <li><b>Merge</b>. Tier 1 (blended): the visitor's list (weight 1), similar items of the item on
 *       screen (1 on a product page, 0.5 elsewhere; halved for a drifting visitor), bought-together
 *       lists (0.8 on a product page, 1 per cart item on the cart page), trending in the request's
 *       category on a search page (1), and for a drifting visitor overall trending items in the
 *       categories they touched (0.6, reason {@code trending_in:C}). Each list's scores are
 *       normalized by its top score, weighted and summed per item. Tier 2: trending in the
 *       request's category; tier 3: trending overall; both only fill (never outrank a tier-1 item).
 *   <li><b>Filter</b>: hidden items, out-of-stock items (catalog), items the visitor bought (unless
 *       in a repurchasable category), the item on screen and the cart's items, items of another
 *       category than {@code category=} (items of unknown category pass).
 *   <li><b>Affinity</b> (known profile): {@code x (1 + 0.5 cat + 0.25 brand)}, where cat/brand are
 *       the profile's decayed affinity for the item's category/brand divided by the profile's
 *       largest one (the job decays all affinities by the same factor, so the ratio needs no decay
 *       here); halved weights for a drifting visitor.
 *   <li><b>Price-aware</b> (price-sensitive visitor): {@code x (1 + 0.5 + d)} for an item on
 *       discount ({@code d} = share off the list price), times {@code 0.5 + 0.5 band}, where band
 *       is 1 at or below the visitor's typical price {@code P} and falls linearly to 0 at {@code
 *       2P}. {@code P}: the median catalog price of the items the profile shows they viewed, carted
 *       or bought; else their average order value; unknown: band 1.
 *   <li><b>Boosts</b>: {@code x boosted[item]}.
 *   <li><b>Diversity</b>: at most {@code maxPerCategory} (drifting: {@code driftingMaxPerCategory})
 *       items per known category, in rank order; skipped items backfill only when too few are left.
 *   <li><b>Pinned</b> items of the context first (if eligible by the filters, reason {@code
 *       pinned}).
 * </ol>
 *
 * Scores shown are non-increasing down the list: fill tiers are scaled below the item before them.
 */
public final class ReRanker {
    static final double PERSONALIZED_WEIGHT = 1.0;
    static final double SIMILAR_WEIGHT_ON_PRODUCT_PAGE = 1.0;
    static final double SIMILAR_WEIGHT = 0.5;
    static final double BOUGHT_TOGETHER_WEIGHT_ON_PRODUCT_PAGE = 0.8;
    static final double BOUGHT_TOGETHER_WEIGHT_ON_CART_PAGE = 1.0;
    static final double SEARCH_CATEGORY_WEIGHT = 1.0;
    static final double BROADEN_WEIGHT = 0.6;
    static final double DRIFTING_SIMILAR_FACTOR = 0.5;
    static final double CATEGORY_AFFINITY_WEIGHT = 0.5;
    static final double BRAND_AFFINITY_WEIGHT = 0.25;
    static final double DRIFTING_AFFINITY_FACTOR = 0.5;
    static final double SALE_BONUS = 0.5;
    static final double PRICE_BAND_FLOOR = 0.5;

    /**
     * Longest prefix of a stored list considered; bounds request-time work whatever the job writes.
     */
    static final int MAX_ITEMS_PER_LIST = 200;

    static final int PERSONALIZED = 1;
    static final int SIMILAR = 2;
    static final int BOUGHT_TOGETHER = 4;
    static final int TRENDING = 8;

    private static final int BLENDED = 1;
    private static final int CATEGORY_FILL = 2;
    private static final int TRENDING_FILL = 3;

    private final RecommendationRules rules;
    private final Catalog catalog;

    public ReRanker(RecommendationRules rules, Catalog catalog) {
        this.rules = rules;
        this.catalog = catalog;
    }

    /**
     * One ranking problem: the page, the item on screen, the cart's items (cart page), the category
     * filter, how many items, and the fetched lists ({@code lists.boughtTogether()} in the order of
     * {@link #boughtTogetherSubjects}).
     */
    public record Input(
            PageContext context,
            String itemId,
            List<String> cartItems,
            String categoryId,
            int limit,
            CandidateLists lists) {
        public Input {
            cartItems = cartItems == null ? List.of() : cartItems;
        }
    }

    /** The chosen items, best first, and the strategy naming the sources and adjustments used. */
    public record Ranking(List<RecommendedItem> items, String strategy) {}

    /**
     * The items whose bought-together lists a request reads: the item on a product page, the cart's
     * first items on the cart page.
     */
    public static List<String> boughtTogetherSubjects(
            PageContext context, String itemId, List<String> cartItems) {
        if (context == PageContext.PRODUCT && itemId != null) return List.of(itemId);
        if (context == PageContext.CART && cartItems != null && !cartItems.isEmpty()) {
            return cartItems.subList(
                    0, Math.min(cartItems.size(), CandidateQuery.MAX_BOUGHT_TOGETHER));
        }
        return List.of();
    }

    public Ranking rank(Input in) {
        return new Run(in).rank();
    }

    /** A candidate item: where it came from, its facts, its score; {@code dropped} by a filter. */
    static final class Candidate {
        String itemId;
        CatalogItem info;
        int seq;
        int tier;
        double score;
        double strongest;
        String reason;
        int sources;
        boolean dropped;
        boolean pinned;

        /** As new: the item, its facts, its arrival order; everything else zero. */
        Candidate reset(String itemId, CatalogItem info, int seq) {
            this.itemId = itemId;
            this.info = info;
            this.seq = seq;
            tier = 0;
            score = 0;
            strongest = 0;
            reason = null;
            sources = 0;
            dropped = false;
            pinned = false;
            return this;
        }

        String category() {
            return info == null ? null : info.categoryId();
        }
    }

    /**
     * A request thread's candidates and their index by item, reused by its next ranking: a ranking
     * admits about a hundred candidates (every item of every list read), and a new object and map
     * entry each were the largest share of a request's allocation. Nothing of it outlives {@link
     * Run#rank} (the answer copies what it shows), and a thread ranks one request at a time.
     */
    static final class Candidates {
        private Candidate[] pool = new Candidate[128];
        private int used;
        private String[] keys = new String[256];
        private Candidate[] values = new Candidate[256];
        private int size;

        private static final ThreadLocal<Candidates> OF_THREAD =
                ThreadLocal.withInitial(Candidates::new);

        /** This thread's, emptied. */
        static Candidates ofThread() {
            Candidates c = OF_THREAD.get();
            c.clear();
            return c;
        }

        private void clear() {
            if (size > 0) {
                Arrays.fill(keys, null);
                Arrays.fill(values, null);
            }
            size = 0;
            used = 0;
        }

        /** A candidate of this ranking, not yet indexed. */
        Candidate create(String itemId, CatalogItem info, int seq) {
            if (used == pool.length) pool = Arrays.copyOf(pool, used * 2);
            Candidate c = pool[used];
            if (c == null) pool[used] = c = new Candidate();
            used++;
            return c.reset(itemId, info, seq);
        }

        int size() {
            return size;
        }

        Candidate get(String itemId) {
            int mask = keys.length - 1;
            for (int i = slot(itemId); ; i = (i + 1) & mask) {
                String key = keys[i];
                if (key == null) return null;
                if (key.equals(itemId)) return values[i];
            }
        }

        void put(String itemId, Candidate c) {
            if ((size + 1) * 2 > keys.length) grow();
            int mask = keys.length - 1;
            for (int i = slot(itemId); ; i = (i + 1) & mask) {
                String key = keys[i];
                if (key == null) {
                    keys[i] = itemId;
                    values[i] = c;
                    size++;
                    return;
                }
                if (key.equals(itemId)) {
                    values[i] = c;
                    return;
                }
            }
        }

        /**
         * The first slot to probe: the top bits of the id's hash times 2^32 / golden ratio. Ids are
         * often numbered (i1, i2, ... SKU-000123), and their String hashes then differ in the low
         * bits only: taken as they are, they fill runs of neighbouring slots, and with linear
         * probing a lookup of an id not in the table walks to the end of its run (most lookups of a
         * ranking are such misses: a candidate seen first).
         */
        private int slot(String itemId) {
            return (itemId.hashCode() * 0x9E3779B9)
                    >>> (32 - Integer.numberOfTrailingZeros(keys.length));
        }

        private void grow() {
            String[] oldKeys = keys;
            Candidate[] oldValues = values;
            keys = new String[oldKeys.length * 2];
            values = new Candidate[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++)
                if (oldKeys[i] != null) put(oldKeys[i], oldValues[i]);
        }
    }

    /** The per-request state. */
    private final class Run {
        private final Input in;
        private final VisitorFacts profile;
        private final boolean drifting;
        private final Set<String> purchased;
        private final Candidates byItem = Candidates.ofThread();
        private final List<Candidate> live = new ArrayList<>(128);
        private boolean affinityUsed;
        private boolean priceAwareUsed;
        private boolean boosted;
        private boolean diversified;

        Run(Input in) {
            this.in = in;
            this.profile = in.lists().profile();
            this.drifting = profile != null && profile.drifting();
            this.purchased =
                    profile != null
                                    && rules.excludePurchased()
                                    && !profile.purchasedItems().isEmpty()
                            ? new HashSet<>(profile.purchasedItems())
                            : Set.of();
        }

        Ranking rank() {
            merge();
            reRank();
            live.sort(
                    (a, b) ->
                            a.tier != b.tier
                                    ? Integer.compare(a.tier, b.tier)
                                    : a.score != b.score
                                            ? Double.compare(b.score, a.score)
                                            : Integer.compare(a.seq, b.seq));
            List<Candidate> pinned = pinned();
            List<Candidate> chosen = diversify(pinned);
            return new Ranking(display(pinned.size(), chosen), strategy(pinned.size(), chosen));
        }

        private void merge() {
            CandidateLists lists = in.lists();
            PageContext context = in.context();
            add(lists.personalized(), PERSONALIZED_WEIGHT, PERSONALIZED, BLENDED, "personalized");
            if (in.itemId() != null) {
                double weight =
                        context == PageContext.PRODUCT
                                ? SIMILAR_WEIGHT_ON_PRODUCT_PAGE
                                : SIMILAR_WEIGHT;
                if (drifting) weight *= DRIFTING_SIMILAR_FACTOR;
                add(lists.similar(), weight, SIMILAR, BLENDED, "similar_to:" + in.itemId());
            }
            List<String> subjects = boughtTogetherSubjects(context, in.itemId(), in.cartItems());
            double togetherWeight =
                    context == PageContext.CART
                            ? BOUGHT_TOGETHER_WEIGHT_ON_CART_PAGE
                            : BOUGHT_TOGETHER_WEIGHT_ON_PRODUCT_PAGE;
            for (int i = 0; i < subjects.size() && i < lists.boughtTogether().size(); i++) {
                add(
                        lists.boughtTogether().get(i),
                        togetherWeight,
                        BOUGHT_TOGETHER,
                        BLENDED,
                        "bought_together:" + subjects.get(i));
            }
            String categoryReason =
                    in.categoryId() == null ? null : "trending_in:" + in.categoryId();
            boolean searchCategory = context == PageContext.SEARCH && in.categoryId() != null;
            if (searchCategory)
                add(
                        lists.categoryTrending(),
                        SEARCH_CATEGORY_WEIGHT,
                        TRENDING,
                        BLENDED,
                        categoryReason);
            if (drifting) broaden(lists.trending());
            if (in.categoryId() != null && !searchCategory)
                add(lists.categoryTrending(), 1.0, TRENDING, CATEGORY_FILL, categoryReason);
            add(lists.trending(), 1.0, TRENDING, TRENDING_FILL, "trending");
        }

        /**
         * Adds the first {@value #MAX_ITEMS_PER_LIST} items of {@code list}. Blended items sum
         * their contributions and keep the reason of the strongest; fill tiers only add items not
         * seen yet.
         */
        private void add(
                RecommendationList list,
                double weight,
                int source,
                int tier,
                String defaultReason) {
            if (list == null || list.getItems() == null) return;
            List<ScoredItem> items = list.getItems();
            int size = Math.min(items.size(), MAX_ITEMS_PER_LIST);
            double top = topScore(items, size);
            for (int rank = 0; rank < size; rank++) {
                ScoredItem item = items.get(rank);
                if (item == null || item.getItemId() == null || item.getItemId().isBlank())
                    continue;
                Candidate c = byItem.get(item.getItemId());
                if (c != null && (c.dropped || tier != BLENDED)) continue;
                if (c == null) {
                    c = admit(item.getItemId(), tier);
                    if (c == null) continue;
                }
                double contribution = weight * normalized(item, rank, top);
                c.score += contribution;
                c.sources |= source;
                if (c.reason == null || contribution > c.strongest) {
                    c.strongest = contribution;
                    c.reason = item.getReason() != null ? item.getReason() : defaultReason;
                }
            }
        }

        /**
         * Drifting visitor: overall trending items in the categories they touched (affinities,
         * recent views) join the blend, so the answer widens instead of narrowing on similar items.
         */
        private void broaden(RecommendationList trending) {
            if (trending == null || trending.getItems() == null) return;
            Set<String> touched = new HashSet<>(profile.categoryAffinity().keySet());
            for (String viewed : profile.recentViews()) {
                String category = catalog.categoryOf(viewed);
                if (category != null) touched.add(category);
            }
            if (touched.isEmpty()) return;
            List<ScoredItem> items = trending.getItems();
            int size = Math.min(items.size(), MAX_ITEMS_PER_LIST);
            double top = topScore(items, size);
            for (int rank = 0; rank < size; rank++) {
                ScoredItem item = items.get(rank);
                if (item == null || item.getItemId() == null || item.getItemId().isBlank())
                    continue;
                String category = catalog.categoryOf(item.getItemId());
                if (category == null || !touched.contains(category)) continue;
                Candidate c = byItem.get(item.getItemId());
                if (c == null) c = admit(item.getItemId(), BLENDED);
                if (c == null || c.dropped) continue;
                double contribution = BROADEN_WEIGHT * normalized(item, rank, top);
                c.score += contribution;
                c.sources |= TRENDING;
                if (c.reason == null || contribution > c.strongest) {
                    c.strongest = contribution;
                    c.reason = "trending_in:" + category;
                }
            }
        }

        /**
         * A new candidate, or {@code null} (remembered as dropped) when a filter excludes the item.
         */
        private Candidate admit(String itemId, int tier) {
            Candidate c = byItem.create(itemId, catalog.get(itemId), byItem.size());
            byItem.put(itemId, c);
            if (!eligible(itemId, c.info)) {
                c.dropped = true;
                return null;
            }
            c.tier = tier;
            live.add(c);
            return c;
        }

        private boolean eligible(String itemId, CatalogItem info) {
            if (rules.hidden(itemId)) return false;
            if (info != null && !info.inStock()) return false;
            String category = info == null ? null : info.categoryId();
            if (!purchased.isEmpty()
                    && purchased.contains(itemId)
                    && rules.excludesPurchase(category)) return false;
            if (itemId.equals(in.itemId()) || in.cartItems().contains(itemId)) return false;
            return in.categoryId() == null || category == null || in.categoryId().equals(category);
        }

        private void reRank() {
            Affinity categories = profile == null ? null : Affinity.of(profile.categoryAffinity());
            Affinity brands = profile == null ? null : Affinity.of(profile.brandAffinity());
            double affinityFactor = drifting ? DRIFTING_AFFINITY_FACTOR : 1.0;
            boolean priceAware = profile != null && profile.priceSensitive();
            double typicalPrice = priceAware ? typicalPrice() : Double.NaN;
            for (Candidate c : live) {
                double m = 1.0;
                if (c.info != null && (categories != null || brands != null)) {
                    double a =
                            affinityFactor
                                    * (CATEGORY_AFFINITY_WEIGHT
                                                    * Affinity.share(
                                                            categories, c.info.categoryId())
                                            + BRAND_AFFINITY_WEIGHT
                                                    * Affinity.share(brands, c.info.brand()));
                    if (a > 0) {
                        m *= 1 + a;
                        affinityUsed = true;
                    }
                }
                if (priceAware) {
                    double p = priceFactor(c.info, typicalPrice);
                    if (p != 1.0) {
                        m *= p;
                        priceAwareUsed = true;
                    }
                }
                double boost = rules.boostOf(c.itemId);
                if (boost != 1.0) m *= boost;
                c.score *= m;
            }
        }

        /**
         * The median known price of the items the visitor viewed, carted or bought; else their
         * average order value; else NaN.
         */
        private double typicalPrice() {
            double[] prices =
                    new double
                            [profile.recentViews().size()
                                    + profile.recentCarts().size()
                                    + profile.purchasedItems().size()];
            int n = collectPrices(profile.recentViews(), prices, 0);
            n = collectPrices(profile.recentCarts(), prices, n);
            n = collectPrices(profile.purchasedItems(), prices, n);
            if (n > 0) {
                Arrays.sort(prices, 0, n);
                return n % 2 == 1 ? prices[n / 2] : (prices[n / 2 - 1] + prices[n / 2]) / 2;
            }
            return profile.averageOrderValue() > 0 ? profile.averageOrderValue() : Double.NaN;
        }

        private int collectPrices(List<String> items, double[] into, int n) {
            for (String item : items) {
                CatalogItem info = catalog.get(item);
                if (info != null && info.price() > 0) into[n++] = info.price();
            }
            return n;
        }

        private List<Candidate> pinned() {
            List<String> ids = rules.pinnedIn(in.context());
            if (ids.isEmpty()) return List.of();
            List<Candidate> pinned = new ArrayList<>(Math.min(ids.size(), in.limit()));
            for (String id : ids) {
                if (pinned.size() == in.limit()) break;
                Candidate c = byItem.get(id);
                if (c == null) {
                    c = byItem.create(id, catalog.get(id), byItem.size());
                    byItem.put(id, c);
                    if (!eligible(id, c.info)) c.dropped = true;
                }
                if (c.dropped || c.pinned) continue;
                c.pinned = true;
                c.reason = "pinned";
                pinned.add(c);
            }
            return pinned;
        }

        /**
         * Pinned items, then the ranked candidates with at most the cap per category, backfilled
         * from the skipped.
         */
        private List<Candidate> diversify(List<Candidate> pinned) {
            int limit = in.limit();
            List<Candidate> chosen = new ArrayList<>(limit);
            chosen.addAll(pinned);
            int cap = drifting ? rules.driftingMaxPerCategory() : rules.maxPerCategory();
            Map<String, int[]> perCategory = new HashMap<>();
            for (Candidate c : pinned) {
                if (c.category() != null)
                    perCategory.computeIfAbsent(c.category(), k -> new int[1])[0]++;
            }
            List<Candidate> skipped = null;
            for (int i = 0; i < live.size() && chosen.size() < limit; i++) {
                Candidate c = live.get(i);
                if (c.pinned) continue;
                String category = c.category();
                if (category != null) {
                    int[] count = perCategory.computeIfAbsent(category, k -> new int[1]);
                    if (count[0] >= cap) {
                        if (skipped == null) skipped = new ArrayList<>();
                        skipped.add(c);
                        continue;
                    }
                    count[0]++;
                }
                chosen.add(c);
            }
            if (skipped != null) {
                diversified = true;
                for (int i = 0; i < skipped.size() && chosen.size() < limit; i++)
                    chosen.add(skipped.get(i));
            }
            return chosen;
        }

        /**
         * Response items with non-increasing scores: fill tiers scaled below the item before them,
         * pinned on top.
         */
        private List<RecommendedItem> display(int pinnedCount, List<Candidate> chosen) {
            double[] shown = new double[chosen.size()];
            double previous = Double.POSITIVE_INFINITY;
            double ceiling = 1.0;
            int tier = BLENDED;
            for (int i = pinnedCount; i < chosen.size(); i++) {
                Candidate c = chosen.get(i);
                if (c.tier != BLENDED && c.tier != tier) {
                    ceiling = previous == Double.POSITIVE_INFINITY ? 1.0 : previous;
                    tier = c.tier;
                }
                double s = c.tier == BLENDED ? c.score : ceiling * c.score;
                shown[i] = Math.min(s, previous);
                previous = shown[i];
                if (rules.boostOf(c.itemId) != 1.0) boosted = true;
            }
            double top = pinnedCount < chosen.size() ? Math.max(1.0, shown[pinnedCount]) : 1.0;
            for (int i = 0; i < pinnedCount; i++) shown[i] = top;
            List<RecommendedItem> items = new ArrayList<>(chosen.size());
            for (int i = 0; i < chosen.size(); i++) {
                Candidate c = chosen.get(i);
                items.add(new RecommendedItem(c.itemId, round(shown[i]), c.reason));
            }
            return items;
        }

        /** The strategy in {@link RecommendationIds}' words, so answer ids are countable. */
        private String strategy(int pinnedCount, List<Candidate> chosen) {
            int sources = 0;
            for (int i = pinnedCount; i < chosen.size(); i++) sources |= chosen.get(i).sources;
            return strategyOf(
                    sources
                            | (chosen.isEmpty() ? NOTHING_CHOSEN : 0)
                            | (affinityUsed ? AFFINITY_USED : 0)
                            | (priceAwareUsed ? PRICE_AWARE_USED : 0)
                            | (drifting ? DRIFTING : 0)
                            | (boosted ? BOOSTED : 0)
                            | (diversified ? DIVERSIFIED : 0)
                            | (pinnedCount > 0 ? PINNED : 0));
        }
    }

    // Strategy flags beside the four source bits.
    static final int NOTHING_CHOSEN = 1 << 4;
    static final int AFFINITY_USED = 1 << 5;
    static final int PRICE_AWARE_USED = 1 << 6;
    static final int DRIFTING = 1 << 7;
    static final int BOOSTED = 1 << 8;
    static final int DIVERSIFIED = 1 << 9;
    static final int PINNED = 1 << 10;

    /**
     * Strategy texts by their flags, each made once: a ranking's strategy is one of these 2,048
     * combinations, and joining its words on every answer cost a joiner and a string per request.
     * Filled as met (a racing thread makes the same text).
     */
    private static final String[] STRATEGIES = new String[1 << 11];

    /** The strategy of a ranking with these sources and flags. */
    static String strategyOf(int flags) {
        String known = STRATEGIES[flags];
        if (known == null) STRATEGIES[flags] = known = strategyWords(flags);
        return known;
    }

    /** The strategy's words, joined as every answer's were. */
    static String strategyWords(int flags) {
        StringJoiner s = new StringJoiner("+");
        if ((flags & PERSONALIZED) != 0) s.add(RecommendationIds.PERSONALIZED);
        if ((flags & SIMILAR) != 0) s.add(RecommendationIds.SIMILAR);
        if ((flags & BOUGHT_TOGETHER) != 0) s.add(RecommendationIds.BOUGHT_TOGETHER);
        if ((flags & TRENDING) != 0) s.add(RecommendationIds.TRENDING);
        if ((flags & NOTHING_CHOSEN) != 0) return RecommendationIds.NONE;
        if ((flags & AFFINITY_USED) != 0) s.add(RecommendationIds.AFFINITY);
        if ((flags & PRICE_AWARE_USED) != 0) s.add(RecommendationIds.PRICE_AWARE);
        if ((flags & DRIFTING) != 0) s.add(RecommendationIds.BROADENED);
        if ((flags & BOOSTED) != 0) s.add(RecommendationIds.BOOSTED);
        if ((flags & DIVERSIFIED) != 0) s.add(RecommendationIds.DIVERSIFIED);
        if ((flags & PINNED) != 0) s.add(RecommendationIds.PINNED);
        return s.length() == 0 ? RecommendationIds.NONE : s.toString();
    }

    /** A profile's affinity map with its largest value, for shares in [0, 1]. */
    private record Affinity(Map<String, Double> values, double max) {
        static Affinity of(Map<String, Double> values) {
            double max = Weights.max(values);
            return max > 0 ? new Affinity(values, max) : null;
        }

        static double share(Affinity affinity, String key) {
            if (affinity == null || key == null) return 0;
            double v = Weights.weight(affinity.values, key);
            return v <= 0 ? 0 : v / affinity.max;
        }
    }

    /**
     * The price-aware multiplier of an item for a price-sensitive visitor with typical price {@code
     * typical} (NaN: unknown): {@code (1 + SALE_BONUS + d if on discount) x (FLOOR + (1 - FLOOR)
     * band)}.
     */
    static double priceFactor(CatalogItem info, double typical) {
        if (info == null) return 1.0;
        double d = info.discount();
        double sale = d > 0 ? 1 + SALE_BONUS + d : 1.0;
        double price = info.price();
        double band = 1.0;
        if (!Double.isNaN(typical) && typical > 0 && price > typical) {
            band = Math.max(0, 1 - (price - typical) / typical);
        }
        return sale * (PRICE_BAND_FLOOR + (1 - PRICE_BAND_FLOOR) * band);
    }

    private static double topScore(List<ScoredItem> items, int size) {
        double top = 0;
        for (int i = 0; i < size; i++) {
            ScoredItem item = items.get(i);
            if (item != null && item.getScore() > top) top = item.getScore();
        }
        return top;
    }

    /**
     * Score relative to the list's best in [0, 1]; by rank when the list carries no positive
     * scores.
     */
    private static double normalized(ScoredItem item, int rank, double top) {
        return top > 0 ? Math.max(0, item.getScore()) / top : 1.0 / (rank + 1);
    }

    static double round(double score) {
        return Math.round(score * 10_000d) / 10_000d;
    }
}
