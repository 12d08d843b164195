package io.shopkeeper.api.recommendations;

import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shopkeeper.api.catalog.Catalog;
import io.shopkeeper.api.catalog.CatalogItem;
import io.shopkeeper.api.store.CandidateLists;
import io.shopkeeper.api.store.VisitorFacts;
import io.shopkeeper.schemas.RecommendationList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Merge, rules and re-rankings on plain objects: no Redis, a fixed catalog. */
class ReRankerTest {
    private final Map<String, CatalogItem> items = new HashMap<>();

    private void item(
            String id,
            String category,
            String brand,
            double price,
            double listPrice,
            boolean inStock) {
        items.put(id, new CatalogItem(category, brand, (float) price, (float) listPrice, inStock));
    }

    private void item(String id, String category) {
        item(id, category, null, Double.NaN, Double.NaN, true);
    }

    private ReRanker ranker(RecommendationRules rules) {
        return new ReRanker(rules, Catalog.of(items));
    }

    private static RecommendationRules rules(String json) {
        return RecommendationRules.parse(json, "test");
    }

    private static VisitorFacts profile(
            List<String> views,
            List<String> purchased,
            Map<String, Double> categories,
            Map<String, Double> brands,
            double aov,
            boolean priceSensitive,
            boolean drifting) {
        return new VisitorFacts(
                views, List.of(), purchased, categories, brands, aov, priceSensitive, drifting);
    }

    private static CandidateLists personalized(RecommendationList list, VisitorFacts profile) {
        return new CandidateLists(list, null, List.of(), null, null, profile);
    }

    private static ReRanker.Input home(CandidateLists lists, int n) {
        return new ReRanker.Input(PageContext.HOME, null, List.of(), null, n, lists);
    }

    private static List<String> ids(ReRanker.Ranking ranking) {
        return ranking.items().stream().map(RecommendedItem::itemId).toList();
    }

    private static RecommendationList sixItems() {
        return list(
                "c1",
                scored("a", 6),
                scored("b", 5),
                scored("c", 4),
                scored("d", 3),
                scored("e", 2),
                scored("f", 1));
    }

    // --- filters ---------------------------------------------------------------------------------

    @Test
    void hiddenItemsAreDropped() {
        var ranking =
                ranker(rules("{\"hiddenItems\":[\"b\",\"d\"]}"))
                        .rank(home(personalized(sixItems(), null), 10));
        assertThat(ids(ranking)).containsExactly("a", "c", "e", "f");
    }

    @Test
    void outOfStockItemsAreDroppedAndUnknownItemsCountAsInStock() {
        item("a", "shoes", null, 10, 10, false);
        item("c", "shoes", null, 10, 10, true);
        var ranking =
                ranker(RecommendationRules.defaults())
                        .rank(home(personalized(sixItems(), null), 10));
        assertThat(ids(ranking)).containsExactly("b", "c", "d", "e", "f");
    }

    @Test
    void purchasedItemsAreDroppedUnlessTheirCategoryIsRepurchasable() {
        item("a", "shoes");
        item("b", "coffee");
        var buyer = profile(List.of(), List.of("a", "b", "c"), Map.of(), Map.of(), 0, false, false);
        var lists = personalized(sixItems(), buyer);

        assertThat(
                        ids(
                                ranker(rules("{\"repurchasableCategories\":[\"coffee\"]}"))
                                        .rank(home(lists, 10))))
                .containsExactly("b", "d", "e", "f");
        assertThat(ids(ranker(rules("{\"excludePurchased\":false}")).rank(home(lists, 10))))
                .containsExactly("a", "b", "c", "d", "e", "f");
    }

    @Test
    void theItemOnScreenAndTheCartsItemsAreNeverRecommended() {
        var lists = personalized(sixItems(), null);
        var product = new ReRanker.Input(PageContext.PRODUCT, "a", List.of(), null, 10, lists);
        var cart = new ReRanker.Input(PageContext.CART, null, List.of("b", "c"), null, 10, lists);
        assertThat(ids(ranker(RecommendationRules.defaults()).rank(product)))
                .containsExactly("b", "c", "d", "e", "f");
        assertThat(ids(ranker(RecommendationRules.defaults()).rank(cart)))
                .containsExactly("a", "d", "e", "f");
    }

    @Test
    void categoryFilterKeepsTheCategoryAndItemsOfUnknownCategory() {
        item("a", "shoes");
        item("b", "hats");
        item("c", "shoes");
        var input =
                new ReRanker.Input(
                        PageContext.HOME,
                        null,
                        List.of(),
                        "shoes",
                        10,
                        personalized(sixItems(), null));
        assertThat(ids(ranker(RecommendationRules.defaults()).rank(input)))
                .containsExactly("a", "c", "d", "e", "f");
    }

    // --- merge -----------------------------------------------------------------------------------

    @Test
    void productPageBlendsSimilarAndBoughtTogetherWithTheirReasons() {
        var lists =
                new CandidateLists(
                        null,
                        list("x", scored("s1", 1), scored("both", 0.5)),
                        List.of(list("x", scored("both", 1), scored("t1", 0.5))),
                        null,
                        null,
                        null);
        var ranking =
                ranker(RecommendationRules.defaults())
                        .rank(
                                new ReRanker.Input(
                                        PageContext.PRODUCT, "x", List.of(), null, 10, lists));

        assertThat(ids(ranking)).containsExactly("both", "s1", "t1");
        assertThat(ranking.items().get(0).reason()).isEqualTo("bought_together:x");
        assertThat(ranking.items().get(0).score())
                .isCloseTo(0.5 + ReRanker.BOUGHT_TOGETHER_WEIGHT_ON_PRODUCT_PAGE, within(1e-9));
        assertThat(ranking.items().get(1).reason()).isEqualTo("similar_to:x");
        assertThat(ranking.strategy()).isEqualTo("similar+bought_together");
    }

    @Test
    void cartPageSumsTheBoughtTogetherListsOfTheCartItems() {
        var lists =
                new CandidateLists(
                        null,
                        null,
                        List.of(
                                list("k1", scored("a", 1), scored("b", 0.9)),
                                list("k2", scored("b", 1))),
                        null,
                        list(null, scored("t1", 1)),
                        null);
        var ranking =
                ranker(RecommendationRules.defaults())
                        .rank(
                                new ReRanker.Input(
                                        PageContext.CART,
                                        null,
                                        List.of("k1", "k2"),
                                        null,
                                        10,
                                        lists));

        assertThat(ids(ranking)).containsExactly("b", "a", "t1");
        assertThat(ranking.items().get(0).reason()).isEqualTo("bought_together:k2");
        assertThat(ranking.items().get(1).reason()).isEqualTo("bought_together:k1");
        assertThat(ranking.items().get(2).reason()).isEqualTo("trending");
        assertThat(ranking.strategy()).isEqualTo("bought_together+trending");
    }

    @Test
    void searchPageRanksTrendingInTheQuerysCategoryFirst() {
        item("s1", "shoes");
        item("h1", "hats");
        var lists =
                new CandidateLists(
                        null,
                        null,
                        List.of(),
                        list("shoes", scored("s1", 2), scored("s2", 1)),
                        list(null, scored("h1", 9), scored("t1", 8)),
                        null);
        var ranking =
                ranker(RecommendationRules.defaults())
                        .rank(
                                new ReRanker.Input(
                                        PageContext.SEARCH, null, List.of(), "shoes", 10, lists));

        assertThat(ids(ranking)).containsExactly("s1", "s2", "t1");
        assertThat(ranking.items().get(0).reason()).isEqualTo("trending_in:shoes");
    }

    @Test
    void fillTiersNeverOutrankBlendedItemsAndScoresNeverIncrease() {
        var lists =
                new CandidateLists(
                        list("c1", scored("p1", 1), scored("p2", 0.1)),
                        null,
                        List.of(),
                        list("shoes", scored("c1", 5), scored("c2", 5)),
                        list(null, scored("t1", 100), scored("t2", 100)),
                        null);
        var ranking =
                ranker(rules("{\"boosted\":{\"t2\":3}}"))
                        .rank(
                                new ReRanker.Input(
                                        PageContext.HOME, null, List.of(), "shoes", 10, lists));

        assertThat(ids(ranking)).containsExactly("p1", "p2", "c1", "c2", "t2", "t1");
        for (int i = 1; i < ranking.items().size(); i++) {
            assertThat(ranking.items().get(i).score())
                    .isLessThanOrEqualTo(ranking.items().get(i - 1).score());
        }
    }

    // --- personalization
    // ---------------------------------------------------------------------------

    @Test
    void affinityForTheItemsCategoryAndBrandLiftsIt() {
        item("a", "hats", "acme", 10, 10, true);
        item("b", "shoes", "acme", 10, 10, true);
        item("c", "shoes", "zeta", 10, 10, true);
        var fan =
                profile(
                        List.of(),
                        List.of(),
                        Map.of("shoes", 8.0, "hats", 2.0),
                        Map.of("zeta", 4.0),
                        0,
                        false,
                        false);
        var lists = personalized(list("c1", scored("a", 1), scored("b", 1), scored("c", 1)), fan);

        var ranking = ranker(RecommendationRules.defaults()).rank(home(lists, 10));

        // c: 1 + 0.5*1 + 0.25*1 = 1.75; b: 1 + 0.5 = 1.5; a: 1 + 0.5*0.25 = 1.125
        assertThat(ids(ranking)).containsExactly("c", "b", "a");
        assertThat(ranking.items().get(0).score()).isEqualTo(1.75);
        assertThat(ranking.items().get(2).score()).isEqualTo(1.125);
        assertThat(ranking.strategy()).isEqualTo("personalized+affinity");
    }

    @Test
    void withoutAProfileNothingIsReRanked() {
        item("a", "hats", "acme", 10, 20, true);
        var ranking =
                ranker(RecommendationRules.defaults())
                        .rank(home(personalized(sixItems(), null), 3));
        assertThat(ids(ranking)).containsExactly("a", "b", "c");
        assertThat(ranking.strategy()).isEqualTo("personalized");
    }

    // --- price-aware -----------------------------------------------------------------------------

    @Test
    void priceSensitiveVisitorGetsDiscountedItemsAndItemsInTheirPriceBandFirst() {
        item("full", "shoes", null, 50, 50, true); // in band, full price: x1
        item("pricey", "shoes", null, 150, 150, true); // 3x typical: band 0 -> x0.5
        item("sale", "shoes", null, 40, 50, true); // 20% off: x1.7
        item("seen1", "shoes", null, 40, 40, true);
        item("seen2", "shoes", null, 60, 60, true); // typical price: median(40, 60) = 50
        var saver =
                profile(List.of("seen1", "seen2"), List.of(), Map.of(), Map.of(), 500, true, false);
        var lists =
                personalized(
                        list("c1", scored("pricey", 1), scored("full", 0.9), scored("sale", 0.6)),
                        saver);

        var ranking = ranker(RecommendationRules.defaults()).rank(home(lists, 10));

        assertThat(ids(ranking)).containsExactly("sale", "full", "pricey");
        assertThat(ranking.items().get(0).score()).isEqualTo(1.02);
        assertThat(ranking.items().get(0).reason()).isEqualTo("personalized");
        assertThat(ranking.strategy()).isEqualTo("personalized+price_aware");
    }

    @Test
    void priceFactorFollowsTheFormula() {
        var onSale = new CatalogItem("c", null, 75f, 100f, true);
        var expensive = new CatalogItem("c", null, 150f, 150f, true);
        assertThat(ReRanker.priceFactor(onSale, Double.NaN))
                .isCloseTo(1 + 0.5 + 0.25, within(1e-6));
        assertThat(ReRanker.priceFactor(expensive, 100)).isCloseTo(0.5 + 0.5 * 0.5, within(1e-6));
        assertThat(ReRanker.priceFactor(expensive, 200)).isEqualTo(1.0);
        assertThat(ReRanker.priceFactor(null, 100)).isEqualTo(1.0);
    }

    @Test
    void typicalPriceFallsBackToTheAverageOrderValue() {
        item("cheap", "shoes", null, 20, 20, true);
        item("dear", "shoes", null, 80, 80, true);
        var saver = profile(List.of("unknown"), List.of(), Map.of(), Map.of(), 40, true, false);
        var lists = personalized(list("c1", scored("dear", 1), scored("cheap", 0.8)), saver);

        assertThat(ids(ranker(RecommendationRules.defaults()).rank(home(lists, 10))))
                .containsExactly("cheap", "dear");
    }

    // --- drifting --------------------------------------------------------------------------------

    @Test
    void driftingVisitorGetsTrendingInTouchedCategoriesMixedInAndMoreDiversity() {
        item("s1", "shoes");
        item("s2", "shoes");
        item("s3", "shoes");
        item("h1", "hats");
        item("g1", "games");
        item("viewed", "games");
        var lists =
                new CandidateLists(
                        null,
                        list("x", scored("s1", 3), scored("s2", 2), scored("s3", 1)),
                        List.of(),
                        null,
                        list(null, scored("g1", 10), scored("h1", 9), scored("t1", 8)),
                        null);
        var input = new ReRanker.Input(PageContext.PRODUCT, "x", List.of(), null, 10, lists);

        var steady = ranker(RecommendationRules.defaults()).rank(input);
        assertThat(ids(steady)).containsExactly("s1", "s2", "s3", "g1", "h1", "t1");

        var wanderer =
                profile(
                        List.of("viewed"),
                        List.of(),
                        Map.of("hats", 1.0),
                        Map.of(),
                        0,
                        false,
                        true);
        var drifting =
                ranker(RecommendationRules.defaults())
                        .rank(
                                new ReRanker.Input(
                                        PageContext.PRODUCT,
                                        "x",
                                        List.of(),
                                        null,
                                        10,
                                        new CandidateLists(
                                                null,
                                                lists.similar(),
                                                List.of(),
                                                null,
                                                lists.trending(),
                                                wanderer)));

        // similar halved (s1 0.5, s2 0.33), trending in touched categories at 0.6 (g1 0.6, h1 0.54,
        // then the
        // hats affinity at half weight: x1.25 -> 0.675); at most 2 shoes before the backfill.
        assertThat(ids(drifting)).containsExactly("h1", "g1", "s1", "s2", "t1", "s3");
        assertThat(drifting.items().get(0).reason()).isEqualTo("trending_in:hats");
        assertThat(drifting.items().get(1).reason()).isEqualTo("trending_in:games");
        assertThat(drifting.strategy())
                .isEqualTo("similar+trending+affinity+broadened+diversified");
    }

    // --- boosts, diversity, pinned ---------------------------------------------------------------

    @Test
    void boostsMultiplyTheScore() {
        var ranking =
                ranker(rules("{\"boosted\":{\"c\":2,\"a\":0.5}}"))
                        .rank(home(personalized(sixItems(), null), 3));
        // a 1*0.5, b 5/6, c 4/6*2
        assertThat(ids(ranking)).containsExactly("c", "b", "a");
        assertThat(ranking.strategy()).isEqualTo("personalized+boosted");
    }

    @Test
    void atMostMaxPerCategoryThenBackfilledFromTheSkipped() {
        for (String id : List.of("a", "b", "c", "d")) item(id, "shoes");
        item("e", "hats");
        var lists = personalized(sixItems(), null);

        assertThat(ids(ranker(rules("{\"maxPerCategory\":2}")).rank(home(lists, 4))))
                .containsExactly("a", "b", "e", "f");
        assertThat(ids(ranker(rules("{\"maxPerCategory\":2}")).rank(home(lists, 6))))
                .containsExactly("a", "b", "e", "f", "c", "d");
        assertThat(ranker(rules("{\"maxPerCategory\":2}")).rank(home(lists, 4)).strategy())
                .isEqualTo("personalized+diversified");
    }

    @Test
    void pinnedItemsComeFirstIfEligibleAndCountInTheirCategory() {
        item("p1", "shoes");
        item("a", "shoes");
        item("b", "shoes");
        item("gone", "shoes", null, 1, 1, false);
        var rules =
                rules(
                        "{\"pinned\":{\"home\":[\"gone\",\"hidden\",\"p1\",\"c\"]},\"hiddenItems\":[\"hidden\"],\"maxPerCategory\":2}");
        var ranking = ranker(rules).rank(home(personalized(sixItems(), null), 5));

        assertThat(ids(ranking)).containsExactly("p1", "c", "a", "d", "e");
        assertThat(ranking.items().get(0).reason()).isEqualTo("pinned");
        assertThat(ranking.items().get(1).reason()).isEqualTo("pinned");
        assertThat(ranking.items().get(0).score())
                .isGreaterThanOrEqualTo(ranking.items().get(2).score());
        assertThat(ranking.strategy()).isEqualTo("personalized+diversified+pinned");
        // Pinned in another context only.
        assertThat(
                        ids(
                                ranker(rules)
                                        .rank(
                                                new ReRanker.Input(
                                                        PageContext.SEARCH,
                                                        null,
                                                        List.of(),
                                                        null,
                                                        2,
                                                        personalized(sixItems(), null)))))
                .containsExactly("a", "b");
    }

    @Test
    void emptyListsGiveNoItemsAndStrategyNone() {
        var ranking =
                ranker(RecommendationRules.defaults())
                        .rank(home(new CandidateLists(null, null, null, null), 10));
        assertThat(ranking.items()).isEmpty();
        assertThat(ranking.strategy()).isEqualTo("none");
    }

    // --- reuse -----------------------------------------------------------------------------------

    /**
     * A request thread reuses its candidates from one ranking to the next: a thousand random
     * rankings in a row on one thread (lists of up to 300 items, so the pool and index grow, pinned
     * items, filters, every context) equal the same rankings each on a fresh thread.
     */
    @Test
    void rankingsInARowOnOneThreadEqualEachOnAFreshThread() throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        String[] categories = {"c1", "c2", "c3", "c4", null};
        for (int i = 0; i < 400; i++) {
            if (rnd.nextInt(5) > 0) {
                item(
                        "i" + i,
                        categories[rnd.nextInt(categories.length)],
                        "b" + rnd.nextInt(5),
                        1 + rnd.nextInt(100),
                        1 + rnd.nextInt(120),
                        rnd.nextInt(10) > 0);
            }
        }
        ReRanker ranker =
                ranker(
                        rules(
                                "{\"maxPerCategory\":3,\"pinned\":{\"home\":[\"i1\",\"i2\"]},"
                                        + "\"boosted\":{\"i3\":2.0},\"hiddenItems\":[\"i4\"]}"));
        List<ReRanker.Input> inputs = new java.util.ArrayList<>();
        for (int k = 0; k < 1_000; k++) {
            VisitorFacts profile =
                    rnd.nextBoolean()
                            ? null
                            : profile(
                                    List.of("i" + rnd.nextInt(400), "i" + rnd.nextInt(400)),
                                    List.of("i" + rnd.nextInt(400)),
                                    Map.of("c" + (1 + rnd.nextInt(4)), 1 + rnd.nextDouble()),
                                    Map.of("b" + rnd.nextInt(5), 1 + rnd.nextDouble()),
                                    rnd.nextDouble() * 50,
                                    rnd.nextBoolean(),
                                    rnd.nextInt(4) == 0);
            PageContext context = PageContext.values()[rnd.nextInt(PageContext.values().length)];
            String item = rnd.nextBoolean() ? "i" + rnd.nextInt(400) : null;
            inputs.add(
                    new ReRanker.Input(
                            context,
                            item,
                            rnd.nextBoolean() ? List.of("i" + rnd.nextInt(400)) : List.of(),
                            rnd.nextInt(4) == 0 ? "c" + (1 + rnd.nextInt(4)) : null,
                            1 + rnd.nextInt(40),
                            new CandidateLists(
                                    randomList(rnd),
                                    randomList(rnd),
                                    rnd.nextBoolean()
                                            ? java.util.Arrays.asList(randomList(rnd))
                                            : List.of(),
                                    randomList(rnd),
                                    randomList(rnd),
                                    profile)));
        }
        for (ReRanker.Input input : inputs) {
            ReRanker.Ranking inARow = ranker.rank(input);
            ReRanker.Ranking[] fresh = new ReRanker.Ranking[1];
            Thread thread = new Thread(() -> fresh[0] = ranker.rank(input));
            thread.start();
            thread.join();
            assertThat(inARow).isEqualTo(fresh[0]);
        }
    }

    private static RecommendationList randomList(java.util.SplittableRandom rnd) {
        if (rnd.nextInt(6) == 0) return null;
        int n = rnd.nextInt(4) == 0 ? rnd.nextInt(300) : rnd.nextInt(30);
        io.shopkeeper.schemas.ScoredItem[] scored = new io.shopkeeper.schemas.ScoredItem[n];
        for (int k = 0; k < n; k++)
            scored[k] =
                    scored(
                            "i" + rnd.nextInt(400),
                            rnd.nextDouble() * 10,
                            rnd.nextBoolean() ? null : "r" + rnd.nextInt(5));
        return list("s", scored);
    }

    /** The strategy texts kept by flags are what joining the words made on every answer. */
    @Test
    void everyStrategyTextIsTheJoinedWordsOfItsFlags() {
        for (int flags = 0; flags < 1 << 11; flags++) {
            java.util.StringJoiner s = new java.util.StringJoiner("+");
            if ((flags & 1) != 0) s.add("personalized");
            if ((flags & 2) != 0) s.add("similar");
            if ((flags & 4) != 0) s.add("bought_together");
            if ((flags & 8) != 0) s.add("trending");
            String expected;
            if ((flags & 16) != 0) {
                expected = "none";
            } else {
                if ((flags & 32) != 0) s.add("affinity");
                if ((flags & 64) != 0) s.add("price_aware");
                if ((flags & 128) != 0) s.add("broadened");
                if ((flags & 256) != 0) s.add("boosted");
                if ((flags & 512) != 0) s.add("diversified");
                if ((flags & 1024) != 0) s.add("pinned");
                expected = s.length() == 0 ? "none" : s.toString();
            }
            assertThat(ReRanker.strategyOf(flags)).as("flags %d", flags).isEqualTo(expected);
            assertThat(ReRanker.strategyOf(flags)).isSameAs(ReRanker.strategyOf(flags));
        }
    }
}
