package io.shopkeeper.api.recommendations;

import io.shopkeeper.api.catalog.Catalog;
import io.shopkeeper.api.store.CandidateLists;
import io.shopkeeper.api.store.CandidateQuery;
import io.shopkeeper.api.store.LastGoodTrending;
import io.shopkeeper.api.store.RecommendationStore;
import io.shopkeeper.api.store.StoreUnavailableException;
import io.shopkeeper.schemas.RecommendationIds;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers recommendation requests from precomputed lists: one store round trip (an {@code MGET} of
 * the visitor's list and profile and the lists the page context needs), then the in-memory merge,
 * rules and re-ranking of {@link ReRanker} against the in-memory {@link Catalog}. A brand-new
 * visitor gets trending items, and never an empty answer while an eligible trending item exists.
 *
 * <p>Sources by context: product page: similar and bought-together items of the item on screen;
 * cart: bought-together items of the cart's first three items; home: the visitor's list; search:
 * trending in the query's category. The visitor's list and trending fill-ins everywhere.
 *
 * <p>The cart page's items come from {@code items=} (preferred: no extra cost), else {@code item=}
 * (the item just added), else the profile's {@code recentCarts}, which needs the profile first:
 * then, and only then, a second round trip reads their bought-together lists.
 */
public final class RecommendationService {
    /** Weight of the visitor's own precomputed list. */
    static final double PERSONALIZED_WEIGHT = ReRanker.PERSONALIZED_WEIGHT;

    /**
     * Weight of similar items on a product page: the item on screen is the freshest sign of intent.
     */
    static final double SIMILAR_WEIGHT_ON_PRODUCT_PAGE = ReRanker.SIMILAR_WEIGHT_ON_PRODUCT_PAGE;

    /** Weight of similar items elsewhere (e.g. the last item added, on the cart page). */
    static final double SIMILAR_WEIGHT = ReRanker.SIMILAR_WEIGHT;

    /** Most cart items taken from the profile's recent carts (all are excluded from the answer). */
    static final int MAX_CART_ITEMS = 20;

    private final RecommendationStore store;
    private final Clock clock;
    private final ReRanker ranker;
    private final LastGoodTrending lastGood;

    /** Default rules, no catalog (every item in stock, categories unknown). */
    public RecommendationService(RecommendationStore store, Clock clock) {
        this(store, clock, RecommendationRules.defaults(), Catalog.EMPTY);
    }

    public RecommendationService(
            RecommendationStore store, Clock clock, RecommendationRules rules, Catalog catalog) {
        this(store, clock, rules, catalog, new LastGoodTrending());
    }

    /** With the last good trending lists shared with the trending route. */
    public RecommendationService(
            RecommendationStore store,
            Clock clock,
            RecommendationRules rules,
            Catalog catalog,
            LastGoodTrending lastGood) {
        this.store = store;
        this.clock = clock;
        this.ranker = new ReRanker(rules, catalog);
        this.lastGood = lastGood;
    }

    public Recommendations recommend(RecommendationRequest request) {
        PageContext context = request.context();
        List<String> cart = request.cartItems();
        if (context == PageContext.CART && cart.isEmpty() && request.itemId() != null)
            cart = List.of(request.itemId());
        boolean cartFromProfile = context == PageContext.CART && cart.isEmpty();

        CandidateLists lists;
        boolean stale = false;
        try {
            lists = read(request, context, cart, cartFromProfile);
        } catch (StoreUnavailableException e) {
            // The store is down: the last trending lists read, marked stale, or the 503.
            RecommendationList overall = lastGood.lastGood(null).orElse(null);
            RecommendationList inCategory =
                    request.categoryId() == null
                            ? null
                            : lastGood.lastGood(request.categoryId()).orElse(null);
            if (overall == null && inCategory == null) throw e;
            lists = new CandidateLists(null, null, inCategory, overall);
            stale = true;
        }
        if (cartFromProfile && lists.profile() != null) {
            List<String> recent = lists.profile().recentCarts();
            cart = recent.subList(0, Math.min(recent.size(), MAX_CART_ITEMS));
        }

        ReRanker.Ranking ranking =
                ranker.rank(
                        new ReRanker.Input(
                                context,
                                request.itemId(),
                                cart,
                                request.categoryId(),
                                request.limit(),
                                lists));
        return new Recommendations(
                newRecommendationId(context, ranking.strategy()),
                request.visitor(),
                context.wireName(),
                ranking.strategy(),
                ranking.items(),
                clock.instant(),
                stale);
    }

    /**
     * One round trip for the candidate lists (two on a cart page whose items come from the
     * profile); remembers the trending lists read.
     */
    private CandidateLists read(
            RecommendationRequest request,
            PageContext context,
            List<String> cart,
            boolean cartFromProfile) {
        CandidateLists lists =
                store.candidates(
                        new CandidateQuery(
                                request.visitor(),
                                request.itemId(),
                                ReRanker.boughtTogetherSubjects(context, request.itemId(), cart),
                                request.categoryId()));
        if (cartFromProfile
                && lists.profile() != null
                && !lists.profile().recentCarts().isEmpty()) {
            List<String> recent = lists.profile().recentCarts();
            cart = recent.subList(0, Math.min(recent.size(), MAX_CART_ITEMS));
            lists =
                    lists.withBoughtTogether(
                            store.boughtTogether(
                                    ReRanker.boughtTogetherSubjects(context, null, cart)));
        }

        lastGood.remember(request.categoryId(), lists.categoryTrending());
        lastGood.remember(null, lists.trending());
        return lists;
    }

    /** Top-n by score of one stored list, for the similar-items and trending routes. */
    public static List<RecommendedItem> topOf(
            RecommendationList list, int limit, String defaultReason) {
        if (list == null || list.getItems() == null) return List.of();
        List<RecommendedItem> out = new ArrayList<>(Math.min(limit, list.getItems().size()));
        for (ScoredItem item : list.getItems()) {
            if (out.size() == limit) break;
            if (item == null || item.getItemId() == null || item.getItemId().isBlank()) continue;
            out.add(
                    new RecommendedItem(
                            item.getItemId(),
                            ReRanker.round(item.getScore()),
                            item.getReason() != null ? item.getReason() : defaultReason));
        }
        return out;
    }

    /**
     * The answer's id ({@link RecommendationIds}: a random version 4 UUID, the context and the
     * strategy), so the job counts its impressions, clicks and orders per strategy and context. The
     * UUID comes from the thread-local generator: attribution ids need uniqueness, not
     * unpredictability, and this avoids contention on the shared SecureRandom of UUID.randomUUID().
     */
    static String newRecommendationId(PageContext context, String strategy) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        UUID answer = new UUID(msb, lsb);
        Map<String, String> tails = ID_TAILS.get(context);
        String tail = tails.get(strategy);
        if (tail != null) return answer.toString().concat(tail);
        // First answer of this context and strategy: minted (and so checked) as every id was.
        String id = RecommendationIds.mint(answer, context.wireName(), strategy);
        if (tails.size() < MAX_ID_TAILS) tails.putIfAbsent(strategy, id.substring(UUID_LENGTH));
        return id;
    }

    /**
     * The checked end of an answer id ({@code ~context~strategy}) per context and strategy: {@link
     * RecommendationIds#mint} checks the id it makes by parsing it (a regular expression on the
     * UUID, a set of the strategy's words) on every answer, while whether an id is countable
     * depends only on its context and strategy (a UUID's text always has the form it checks). So
     * each pair is minted and checked once; later ids are the UUID's text and that end, the same
     * text mint makes. The strategies come from {@link ReRanker} (a few hundred combinations at
     * most); bounded all the same.
     */
    private static final Map<PageContext, Map<String, String>> ID_TAILS =
            new EnumMap<>(PageContext.class);

    static {
        for (PageContext context : PageContext.values())
            ID_TAILS.put(context, new ConcurrentHashMap<>());
    }

    private static final int MAX_ID_TAILS = 4096;

    /** Length of a UUID's text. */
    private static final int UUID_LENGTH = 36;
}
