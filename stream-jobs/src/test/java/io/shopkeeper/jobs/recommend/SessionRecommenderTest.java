package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.shopkeeper.jobs.recommend.ItemUpdate.Kind;
import io.shopkeeper.schemas.ScoredItem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SessionRecommenderTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;

    /** Only the component under test switched on. */
    private static RecommenderConfig bare() {
        return RecommenderConfig.defaults()
                .setRepeatWeight(0)
                .setSessionRuleWeight(0)
                .setBackwardWeight(0)
                .setPositionDecay(1)
                .setAdaptiveRepeat(false)
                .setNormalisation(RecommenderConfig.Normalisation.MAX)
                .setShrinkage(0)
                .setSelfRules(false)
                .setHalfLifeMillis(HOUR)
                .setKnnWeight(0);
    }

    /** Only the session-kNN part switched on. */
    private static RecommenderConfig knnOnly() {
        return bare().setPositionDecay(0)
                .setMaxNeighboursShared(1)
                .setKnnWeight(1)
                .setSessionSampleSize(3)
                .setSessionSampleShared(3)
                .setSessionSampleItems(3)
                .setSessionSampleFanout(2)
                .setKnnItemsUsed(5)
                .setKnnNeighbours(10)
                .setKnnRecency(0.5)
                .setKnnLengthNorm(0)
                .setKnnItemDecay(0.5)
                .setKnnBefore(0.5)
                .setKnnRepeatWeight(1)
                .setKnnHalfLifeMillis(HOUR)
                .setKnnShrinkage(0)
                .setKnnPoolTarget(0)
                .setKnnViewsTarget(0);
    }

    /**
     * A snapshot of {@code item} whose session sample holds {@code sessions} (id, time, items),
     * most recent first.
     */
    private static ItemNeighbours sampled(String item, Object[]... sessions) {
        SessionRecommender rec =
                new SessionRecommender(
                        knnOnly()
                                .setSessionSampleSize(50)
                                .setSessionSampleShared(50)
                                .setSessionSampleItems(50));
        ItemModel model = new ItemModel();
        for (int i = sessions.length - 1; i >= 0; i--) {
            @SuppressWarnings("unchecked")
            List<String> items = (List<String>) sessions[i][2];
            rec.apply(
                    model,
                    ItemUpdate.session(item, (String) sessions[i][0], items),
                    (Long) sessions[i][1]);
        }
        return rec.neighbours(item, model);
    }

    private static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::getItemId).toList();
    }

    private static ItemNeighbours snapshot(String item, Map<String, Double> weights) {
        ItemModel model = new ItemModel();
        model.getWeights().putAll(weights);
        return new SessionRecommender(bare().setMaxNeighboursShared(100)).neighbours(item, model);
    }

    // ---- updatesFor -------------------------------------------------------------------------

    @Test
    void updatesForLinksTheLastItemToThePreviousStepsWithOneOverGap() {
        SessionRecommender rec = new SessionRecommender(bare().setSteps(2));
        List<ItemUpdate> updates = rec.updatesFor(List.of("x", "a", "b", "c"));
        assertThat(updates)
                .extracting(
                        ItemUpdate::getKind,
                        ItemUpdate::getItemId,
                        ItemUpdate::getOtherItem,
                        ItemUpdate::getWeight)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.SEEN, "c", null, 1.0),
                        org.assertj.core.groups.Tuple.tuple(Kind.FOLLOWED, "b", "c", 1.0),
                        org.assertj.core.groups.Tuple.tuple(Kind.PRECEDED, "c", "b", 1.0),
                        org.assertj.core.groups.Tuple.tuple(Kind.FOLLOWED, "a", "c", 0.5),
                        org.assertj.core.groups.Tuple.tuple(Kind.PRECEDED, "c", "a", 0.5));
    }

    @Test
    void firstItemOnlyCountsAView() {
        SessionRecommender rec = new SessionRecommender(bare());
        assertThat(rec.updatesFor(List.of("a")))
                .extracting(ItemUpdate::getKind)
                .containsExactly(Kind.SEEN);
        assertThat(rec.updatesFor(List.of())).isEmpty();
    }

    @Test
    void selfRulesAreLearnedOnlyWhenEnabled() {
        List<String> session = List.of("a", "b", "a");
        assertThat(new SessionRecommender(bare().setSelfRules(false)).updatesFor(session))
                .noneMatch(u -> u.getItemId().equals(u.getOtherItem()));
        assertThat(new SessionRecommender(bare().setSelfRules(true)).updatesFor(session))
                .anyMatch(
                        u ->
                                u.getKind() == Kind.FOLLOWED
                                        && u.getItemId().equals("a")
                                        && "a".equals(u.getOtherItem())
                                        && u.getWeight() == 0.5);
    }

    // ---- apply: accumulation, decay, bounds ---------------------------------------------------

    @Test
    void applyAccumulatesEachKindInItsOwnPlace() {
        SessionRecommender rec = new SessionRecommender(bare());
        ItemModel model = new ItemModel();
        rec.apply(model, new ItemUpdate("a", "b", 1.0, Kind.FOLLOWED), T0);
        rec.apply(model, new ItemUpdate("a", "b", 0.5, Kind.FOLLOWED), T0);
        rec.apply(model, new ItemUpdate("a", "z", 0.25, Kind.PRECEDED), T0);
        rec.apply(model, new ItemUpdate("a", null, 1.0, Kind.SEEN), T0);
        assertThat(model.getWeights()).containsExactly(Map.entry("b", 1.5));
        assertThat(model.getBackward()).containsExactly(Map.entry("z", 0.25));
        assertThat(model.getOccurrences()).isEqualTo(1.0);
        assertThat(model.getLastUpdate()).isEqualTo(T0);
    }

    @Test
    void weightsHalveAfterOneHalfLife() {
        SessionRecommender rec = new SessionRecommender(bare().setHalfLifeMillis(HOUR));
        ItemModel model = new ItemModel();
        rec.apply(model, new ItemUpdate("a", "b", 1.0, Kind.FOLLOWED), T0);
        rec.apply(model, new ItemUpdate("a", "z", 1.0, Kind.PRECEDED), T0);
        rec.apply(model, new ItemUpdate("a", null, 1.0, Kind.SEEN), T0);
        rec.apply(model, new ItemUpdate("a", "c", 1.0, Kind.FOLLOWED), T0 + HOUR);
        assertThat(model.getWeights().get("b")).isCloseTo(0.5, offset(1e-12));
        assertThat(model.getWeights().get("c")).isEqualTo(1.0);
        assertThat(model.getBackward().get("z")).isCloseTo(0.5, offset(1e-12));
        assertThat(model.getOccurrences()).isCloseTo(0.5, offset(1e-12));
        rec.apply(model, new ItemUpdate("a", "c", 0.0, Kind.FOLLOWED), T0 + 3 * HOUR);
        assertThat(model.getWeights().get("b")).isCloseTo(0.125, offset(1e-12));
        assertThat(model.getWeights().get("c")).isCloseTo(0.25, offset(1e-12));
    }

    @Test
    void lateEventsDoNotDecayBackwards() {
        SessionRecommender rec = new SessionRecommender(bare().setHalfLifeMillis(HOUR));
        ItemModel model = new ItemModel();
        rec.apply(model, new ItemUpdate("a", "b", 1.0, Kind.FOLLOWED), T0 + HOUR);
        rec.apply(model, new ItemUpdate("a", "c", 1.0, Kind.FOLLOWED), T0);
        assertThat(model.getWeights()).containsEntry("b", 1.0).containsEntry("c", 1.0);
        assertThat(model.getLastUpdate()).isEqualTo(T0 + HOUR);
    }

    @Test
    void neighbourMapsNeverExceedTheCapAndKeepTheStrongest() {
        int cap = 5;
        SessionRecommender rec = new SessionRecommender(bare().setMaxNeighboursKept(cap));
        ItemModel model = new ItemModel();
        for (int i = 0; i < 200; i++) {
            double w = (i % 50) + 1; // items 45..49 (weights 46..50) are the strongest
            rec.apply(model, new ItemUpdate("a", "n" + (i % 50), w, Kind.FOLLOWED), T0);
            rec.apply(model, new ItemUpdate("a", "p" + i, 1.0 / (i + 1), Kind.PRECEDED), T0);
            assertThat(model.getWeights()).hasSizeLessThanOrEqualTo(cap);
            assertThat(model.getBackward()).hasSizeLessThanOrEqualTo(cap);
        }
        assertThat(model.getWeights()).containsOnlyKeys("n45", "n46", "n47", "n48", "n49");
        assertThat(model.getBackward()).containsOnlyKeys("p0", "p1", "p2", "p3", "p4");
    }

    // ---- neighbours -----------------------------------------------------------------------------

    @Test
    void snapshotBlendsDirectionsSortsAndIsCapped() {
        SessionRecommender rec =
                new SessionRecommender(bare().setBackwardWeight(0.5).setMaxNeighboursShared(2));
        ItemModel model = new ItemModel();
        model.getWeights().putAll(Map.of("b", 1.0, "c", 0.8, "d", 0.1));
        model.getBackward().putAll(Map.of("d", 2.0, "c", 0.1));
        model.setOccurrences(7);
        ItemNeighbours nb = rec.neighbours("a", model);
        assertThat(nb.getItemId()).isEqualTo("a");
        assertThat(nb.getItems())
                .containsExactly("d", "b"); // d = 0.1 + 0.5*2 = 1.1, b = 1.0, c = 0.85
        assertThat(nb.getWeights()).containsExactly(1.1, 1.0);
        assertThat(nb.getOccurrences()).isEqualTo(7);
    }

    @Test
    void snapshotDropsTheItemItselfUnlessSelfRulesAreOn() {
        ItemModel model = new ItemModel();
        model.getWeights().putAll(Map.of("a", 3.0, "b", 1.0));
        assertThat(
                        new SessionRecommender(bare().setSelfRules(false))
                                .neighbours("a", model)
                                .getItems())
                .containsExactly("b");
        assertThat(
                        new SessionRecommender(bare().setSelfRules(true))
                                .neighbours("a", model)
                                .getItems())
                .containsExactly("a", "b");
    }

    // ---- recommend: each scoring component
    // --------------------------------------------------------

    @Test
    void repeatScoreIsRecencyWeightedCountOfTheSessionsOwnItems() {
        SessionRecommender rec =
                new SessionRecommender(bare().setRepeatWeight(1).setRepeatDecay(0.5));
        List<ScoredItem> out = rec.recommend(List.of("x", "y", "x"), Map.of(), List.of(), 10);
        assertThat(ids(out)).containsExactly("x", "y");
        assertThat(out.get(0).getScore()).isEqualTo(1.25); // 1 + 0.5^2
        assertThat(out.get(1).getScore()).isEqualTo(0.5);
        assertThat(out)
                .extracting(ScoredItem::getReason)
                .containsExactly("because_you_viewed:x", "because_you_viewed:y");
    }

    @Test
    void sessionRulesScoreWhatFollowedEarlierViewsOfTheLastItem() {
        SessionRecommender rec =
                new SessionRecommender(bare().setSessionRuleWeight(2).setRepeatDecay(0.5));
        // last item a; earlier a (3 steps back) was followed by b
        List<ScoredItem> out = rec.recommend(List.of("a", "b", "c", "a"), Map.of(), List.of(), 10);
        assertThat(ids(out)).containsExactly("b");
        assertThat(out.get(0).getScore()).isEqualTo(2 * 0.125);
    }

    @Test
    void neighbourScoresAreNormalisedAndWeightedByPosition() {
        SessionRecommender rec = new SessionRecommender(bare().setPositionDecay(0.5));
        Map<String, ItemNeighbours> nbs =
                Map.of(
                        "a", snapshot("a", Map.of("c", 2.0, "d", 1.0)),
                        "b", snapshot("b", Map.of("d", 4.0, "e", 2.0)));
        // b is last (weight 1): d 1, e 0.5; a one back (weight 0.5, max 2): c 0.5, d 0.25
        List<ScoredItem> out =
                rec.recommend(
                        List.of("a", "b"), nbs, List.of(new ScoredItem("e", 9, "popular")), 10);
        assertThat(ids(out))
                .containsExactly("d", "e", "c"); // e and c tie at 0.5: popularity decides
        assertThat(out).extracting(ScoredItem::getScore).containsExactly(1.25, 0.5, 0.5);
        assertThat(out.get(0).getReason()).isEqualTo("similar_to:b");
        assertThat(out.get(2).getReason()).isEqualTo("similar_to:a");
    }

    @Test
    void onlyTheMostRecentDistinctSessionItemsAreUsed() {
        SessionRecommender rec = new SessionRecommender(bare().setSessionItemsUsed(1));
        Map<String, ItemNeighbours> nbs =
                Map.of(
                        "a", snapshot("a", Map.of("c", 1.0)),
                        "b", snapshot("b", Map.of("d", 1.0)));
        assertThat(ids(rec.recommend(List.of("a", "b", "b"), nbs, List.of(), 10)))
                .containsExactly("d");
    }

    @Test
    void occurrenceNormalisationWithShrinkageFavoursWellEstimatedItems() {
        SessionRecommender rec =
                new SessionRecommender(
                        bare().setPositionDecay(1)
                                .setNormalisation(RecommenderConfig.Normalisation.OCCURRENCES)
                                .setShrinkage(1));
        ItemNeighbours rare =
                new ItemNeighbours("a", List.of("c"), List.of(1.0), 1); // 1 / (1 + 1) = 0.5
        ItemNeighbours common =
                new ItemNeighbours("b", List.of("d"), List.of(6.0), 9); // 6 / (9 + 1) = 0.6
        List<ScoredItem> out =
                rec.recommend(List.of("a", "b"), Map.of("a", rare, "b", common), List.of(), 10);
        assertThat(ids(out)).containsExactly("d", "c");
        assertThat(out.get(0).getScore()).isCloseTo(0.6, offset(1e-12));
        assertThat(out.get(1).getScore()).isCloseTo(0.5, offset(1e-12));
    }

    @Test
    void adaptiveRepeatMixesBySessionsOwnRepeatRate() {
        RecommenderConfig cfg =
                bare().setAdaptiveRepeat(true)
                        .setRepeatWeight(1)
                        .setRepeatDecay(1)
                        .setRepeatPrior(0.5)
                        .setRepeatPriorStrength(2);
        SessionRecommender rec = new SessionRecommender(cfg);
        // a b a b: 2 repeats in 3 transitions -> share = (0.5*2 + 2) / (2 + 3) = 0.6
        List<String> session = List.of("a", "b", "a", "b");
        assertThat(rec.repeatShare(session)).isCloseTo(0.6, offset(1e-12));
        Map<String, ItemNeighbours> nbs = Map.of("b", snapshot("b", Map.of("c", 1.0)));
        List<ScoredItem> out = rec.recommend(session, nbs, List.of(), 10);
        // session part: a and b 2 each -> 0.3 each; neighbour part: c -> 0.4
        assertThat(ids(out)).containsExactly("c", "a", "b");
        assertThat(out.get(0).getScore()).isCloseTo(0.4, offset(1e-12));
        assertThat(out.get(1).getScore()).isCloseTo(0.3, offset(1e-12));
        assertThat(out.get(0).getReason()).isEqualTo("similar_to:b");
    }

    @Test
    void popularFillsWithoutDuplicatesAndRespectsK() {
        SessionRecommender rec = new SessionRecommender(bare().setRepeatWeight(1));
        List<ScoredItem> popular =
                List.of(
                        new ScoredItem("p1", 10, "popular"),
                        new ScoredItem("x", 9, "popular"),
                        new ScoredItem("p2", 8, "popular"),
                        new ScoredItem("p3", 7, "popular"));
        List<ScoredItem> out = rec.recommend(List.of("x"), Map.of(), popular, 3);
        assertThat(ids(out)).containsExactly("x", "p1", "p2");
        assertThat(out)
                .extracting(ScoredItem::getReason)
                .containsExactly("because_you_viewed:x", "popular", "popular");
        assertThat(rec.recommend(List.of(), Map.of(), popular, 2))
                .extracting(ScoredItem::getItemId)
                .containsExactly("p1", "x");
        assertThat(rec.recommend(List.of("x"), Map.of(), popular, 0)).isEmpty();
    }

    @Test
    void everyResultHasAReasonWithTheDefaults() {
        SessionRecommender rec = new SessionRecommender(RecommenderConfig.defaults());
        ItemModel a = new ItemModel();
        for (List<String> s : List.of(List.of("a", "b"), List.of("a", "c"), List.of("b", "a"))) {
            for (ItemUpdate u : rec.updatesFor(s)) {
                if (u.getItemId().equals("a")) rec.apply(a, u, T0);
            }
        }
        List<ScoredItem> out =
                rec.recommend(
                        List.of("a"),
                        Map.of("a", rec.neighbours("a", a)),
                        List.of(new ScoredItem("p", 1, "popular")),
                        20);
        assertThat(out)
                .isNotEmpty()
                .allSatisfy(
                        s ->
                                assertThat(s.getReason())
                                        .matches("(similar_to|because_you_viewed):.+|popular"));
        assertThat(ids(out)).contains("a", "b", "c", "p").doesNotHaveDuplicates();
    }

    // ---- session sample and session-kNN
    // ----------------------------------------------------------

    @Test
    void sessionUpdatesGoToTheLastDistinctItemsWithTheSessionsLastItems() {
        SessionRecommender rec =
                new SessionRecommender(
                        knnOnly().setSessionSampleItems(3).setSessionSampleFanout(2));
        List<ItemUpdate> updates = rec.updatesFor("s1", List.of("x", "a", "b", "a"));
        assertThat(updates)
                .filteredOn(u -> u.getKind() == Kind.SESSION)
                .extracting(
                        ItemUpdate::getItemId,
                        ItemUpdate::getSessionId,
                        ItemUpdate::getSessionItems)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", "s1", List.of("a", "b", "a")),
                        org.assertj.core.groups.Tuple.tuple("b", "s1", List.of("a", "b", "a")));
        // without a session id (or with the sample off) only the rule steps
        assertThat(rec.updatesFor(List.of("x", "a"))).noneMatch(u -> u.getKind() == Kind.SESSION);
        assertThat(
                        new SessionRecommender(knnOnly().setSessionSampleSize(0))
                                .updatesFor("s1", List.of("x", "a")))
                .noneMatch(u -> u.getKind() == Kind.SESSION);
        assertThat(rec.updatesFor("s1", List.of("x", "a")))
                .filteredOn(u -> u.getKind() == Kind.SESSION)
                .extracting(ItemUpdate::getItemId)
                .containsExactly("a", "x");
    }

    @Test
    void sessionSampleIsBoundedRecencyOrderedAndRefreshedInPlace() {
        int cap = 3, itemsPerSession = 4;
        SessionRecommender rec =
                new SessionRecommender(
                        knnOnly()
                                .setSessionSampleSize(cap)
                                .setSessionSampleItems(itemsPerSession)
                                .setSessionSampleShared(2));
        ItemModel model = new ItemModel();
        rec.apply(model, new ItemUpdate("a", "b", 1.0, Kind.FOLLOWED), T0);
        for (int i = 0; i < 20; i++) {
            List<String> items = new java.util.ArrayList<>();
            for (int j = 0; j <= i % 7; j++) items.add("i" + j);
            rec.apply(model, ItemUpdate.session("a", "s" + i, items), T0 + i);
            assertThat(model.getSampleSessions()).hasSizeLessThanOrEqualTo(cap);
            assertThat(model.getSampleTimes()).hasSameSizeAs(model.getSampleSessions());
            assertThat(model.getSampleSizes())
                    .hasSameSizeAs(model.getSampleSessions())
                    .allMatch(n -> n <= itemsPerSession);
            assertThat(model.getSampleItems())
                    .hasSize(model.getSampleSizes().stream().mapToInt(Integer::intValue).sum());
        }
        assertThat(model.getSampleSessions()).containsExactly("s19", "s18", "s17");
        // a session seen again moves to the front with its new items, without a duplicate
        rec.apply(
                model, ItemUpdate.session("a", "s17", List.of("p", "q", "r", "s", "t")), T0 + 100);
        assertThat(model.getSampleSessions()).containsExactly("s17", "s19", "s18");
        assertThat(model.getSampleTimes()).containsExactly(T0 + 100, T0 + 19, T0 + 18);
        assertThat(model.getSampleItems().subList(0, 4))
                .containsExactly("q", "r", "s", "t"); // the last 4
        // the sample does not decay the rule weights (no decay step for SESSION updates)
        assertThat(model.getWeights()).containsEntry("b", 1.0);
        // the snapshot carries the most recent sessionSampleShared sessions only
        ItemNeighbours nb = rec.neighbours("a", model);
        assertThat(nb.getSampleSessions()).containsExactly("s17", "s19");
        assertThat(nb.getSampleItems())
                .hasSize(nb.getSampleSizes().get(0) + nb.getSampleSizes().get(1));
    }

    @Test
    void neighbourSessionsVoteBySimilarityAndDistanceFromTheSharedItem() {
        SessionRecommender rec = new SessionRecommender(knnOnly());
        // session: x y (y last: weight 1, x: 0.5)
        // n1 "y c d" shares y (sim 1): c 1*0.5, d 1*0.25, y 1
        // n2 "x y e" shares x and y (sim 1.5), anchored at y: e 1.5*0.5, x 1.5*0.5*0.5 (before), y
        // 1.5
        Map<String, ItemNeighbours> nbs =
                Map.of(
                        "y",
                        sampled(
                                "y",
                                new Object[] {"n1", T0, List.of("y", "c", "d")},
                                new Object[] {"n2", T0, List.of("x", "y", "e")}));
        List<ScoredItem> out = rec.recommend("me", List.of("x", "y"), nbs, List.of(), 10);
        // votes y 2.5, e 0.75, c 0.5, x 0.375, d 0.25; scaled so the best is 1
        assertThat(ids(out)).containsExactly("y", "e", "c", "x", "d");
        assertThat(out.get(0).getScore()).isCloseTo(1.0, offset(1e-12));
        assertThat(out.get(1).getScore()).isCloseTo(0.3, offset(1e-12));
        assertThat(out.get(1).getReason()).isEqualTo("similar_to:y");
        // the session's own entry is never its own neighbour
        Map<String, ItemNeighbours> own =
                Map.of("y", sampled("y", new Object[] {"me", T0, List.of("x", "y", "z")}));
        assertThat(rec.recommend("me", List.of("x", "y"), own, List.of(), 10)).isEmpty();
        assertThat(ids(rec.recommend("other", List.of("x", "y"), own, List.of(), 10)))
                .contains("z");
        // votes for the session's own items can be damped
        List<ScoredItem> noRepeats =
                new SessionRecommender(knnOnly().setKnnRepeatWeight(0))
                        .recommend("me", List.of("x", "y"), nbs, List.of(), 10);
        assertThat(ids(noRepeats)).containsExactly("e", "c", "d");
    }

    @Test
    void olderNeighbourSessionsCountLessWithTheKnnHalfLife() {
        SessionRecommender rec =
                new SessionRecommender(knnOnly().setKnnHalfLifeMillis(HOUR).setKnnRepeatWeight(0));
        // same overlap; "old" is two half-lives older than "new": its votes count a quarter
        Map<String, ItemNeighbours> nbs =
                Map.of(
                        "y",
                        sampled(
                                "y",
                                new Object[] {"new", T0 + 2 * HOUR, List.of("y", "c")},
                                new Object[] {"old", T0, List.of("y", "d")}));
        List<ScoredItem> out = rec.recommend("me", List.of("y"), nbs, List.of(), 10);
        assertThat(ids(out)).containsExactly("c", "d");
        assertThat(out.get(1).getScore() / out.get(0).getScore()).isCloseTo(0.25, offset(1e-9));
        // only the knnNeighbours most similar sessions vote
        assertThat(
                        ids(
                                new SessionRecommender(
                                                knnOnly().setKnnNeighbours(1).setKnnRepeatWeight(0))
                                        .recommend("me", List.of("y"), nbs, List.of(), 10)))
                .containsExactly("c");
    }

    @Test
    void snapshotsStaySmall() throws Exception {
        RecommenderConfig c = RecommenderConfig.defaults();
        SessionRecommender rec = new SessionRecommender(c);
        ItemModel model = new ItemModel();
        // a busy item: many sessions, long 12-character ids
        for (int s = 0; s < 500; s++) {
            List<String> session = new java.util.ArrayList<>();
            for (int j = 0; j < 30; j++)
                session.add(String.format("item-%07d", (s * 31 + j * 17) % 5000));
            session.add("item-target");
            for (ItemUpdate u : rec.updatesFor("session-" + s, session)) {
                if (u.getItemId().equals("item-target")) rec.apply(model, u, T0 + s * 1000L);
            }
        }
        assertThat(model.getSampleSessions()).hasSize(c.getSessionSampleSize());
        assertThat(model.getSampleItems())
                .hasSizeLessThanOrEqualTo(c.getSessionSampleSize() * c.getSessionSampleItems());
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        int snapshotBytes = json.writeValueAsBytes(rec.neighbours("item-target", model)).length;
        int modelBytes = json.writeValueAsBytes(model).length;
        System.out.printf("bytes (JSON): item model %d, snapshot %d%n", modelBytes, snapshotBytes);
        assertThat(snapshotBytes).isLessThan(8 * 1024);
        assertThat(modelBytes).isLessThan(24 * 1024);
    }

    // ---- config and Flink POJO contract
    // ----------------------------------------------------------

    @Test
    void configKnobsCanBeSetByName() {
        RecommenderConfig c = RecommenderConfig.defaults().copy();
        c.set("repeatWeight", "1.25")
                .set("halfLifeHours", "2")
                .set("normalisation", "sum")
                .set("selfRules", "false");
        assertThat(c.getRepeatWeight()).isEqualTo(1.25);
        assertThat(c.getHalfLifeMillis()).isEqualTo(2 * HOUR);
        assertThat(c.getNormalisation()).isEqualTo(RecommenderConfig.Normalisation.SUM);
        assertThat(c.isSelfRules()).isFalse();
        assertThatThrownBy(() -> c.set("nope", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> c.set("steps", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.set("steps", "0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stateClassesAreFlinkPojosSerializedWithoutKryo() throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false); // createSerializer fails if any field would need Kryo
        for (Class<?> type : List.of(ItemModel.class, ItemUpdate.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            info.createSerializer(noKryo);
        }
        // ItemNeighbours has its own compact serializer (FlinkTypesTest round-trips it).
        assertThat(TypeInformation.of(ItemNeighbours.class).createSerializer(noKryo)).isNotNull();
        ItemModel model = new ItemModel();
        SessionRecommender rec = new SessionRecommender(RecommenderConfig.defaults());
        rec.apply(model, new ItemUpdate("a", "b", 1, Kind.FOLLOWED), T0);
        rec.apply(model, new ItemUpdate("a", "c", 1, Kind.PRECEDED), T0);
        rec.apply(model, new ItemUpdate("a", null, 1, Kind.SEEN), T0);
        ItemModel copy =
                roundTrip(TypeInformation.of(ItemModel.class).createSerializer(noKryo), model);
        assertThat(copy.getWeights()).isEqualTo(model.getWeights());
        assertThat(copy.getBackward()).isEqualTo(model.getBackward());
        assertThat(copy.getOccurrences()).isEqualTo(1);
        rec.apply(model, ItemUpdate.session("a", "s1", List.of("x", "a")), T0);
        ItemUpdate u =
                roundTrip(
                        TypeInformation.of(ItemUpdate.class).createSerializer(noKryo),
                        new ItemUpdate("a", null, 1, Kind.SEEN));
        assertThat(u.getKind()).isEqualTo(Kind.SEEN);
        ItemUpdate su =
                roundTrip(
                        TypeInformation.of(ItemUpdate.class).createSerializer(noKryo),
                        ItemUpdate.session("a", "s1", List.of("x", "a")));
        assertThat(su.getSessionId()).isEqualTo("s1");
        assertThat(su.getSessionItems()).containsExactly("x", "a");
        ItemModel sampled =
                roundTrip(TypeInformation.of(ItemModel.class).createSerializer(noKryo), model);
        assertThat(sampled.getSampleSessions()).containsExactly("s1");
        assertThat(sampled.getSampleTimes()).containsExactly(T0);
        assertThat(sampled.getSampleItems()).containsExactly("x", "a");
        ItemNeighbours nb =
                roundTrip(
                        TypeInformation.of(ItemNeighbours.class).createSerializer(noKryo),
                        rec.neighbours("a", model));
        assertThat(nb.getItems()).isEqualTo(rec.neighbours("a", model).getItems());
        assertThat(nb.getSampleSessions()).containsExactly("s1");
        assertThat(nb.getSampleSizes()).containsExactly(2);
        assertThat(new HashMap<>(copy.getWeights())).containsEntry("b", 1.0);
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
