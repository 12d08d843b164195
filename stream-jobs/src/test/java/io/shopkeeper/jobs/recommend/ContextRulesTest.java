package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.shopkeeper.jobs.recommend.ItemUpdate.Kind;
import io.shopkeeper.schemas.ScoredItem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ContextRulesTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;

    /**
     * Only the second-order part on: no repeats, no kNN, and the last item's first-order rules
     * (always on) shrunk to nothing.
     */
    private static RecommenderConfig contextOnly() {
        return RecommenderConfig.defaults()
                .setShrinkage(1e12)
                .setRepeatWeight(0)
                .setSessionRuleWeight(0)
                .setBackwardWeight(0)
                .setPositionDecay(0)
                .setSessionItemsUsed(1)
                .setMaxNeighboursShared(1)
                .setSelfRules(false)
                .setKnnWeight(0)
                .setSessionSampleSize(0)
                .setHalfLifeMillis(HOUR)
                .setContextsKept(10)
                .setContextsShared(10)
                .setContextWeight(1)
                .setContextShrinkage(0);
    }

    /** Trains models from sessions, as the job does: one updatesFor/apply per event. */
    private static Map<String, ItemModel> train(SessionRecommender rec, String... sessions) {
        Map<String, ItemModel> models = new HashMap<>();
        long t = T0;
        for (String s : sessions) {
            List<String> items = List.of(s.split(" "));
            for (int p = 0; p < items.size(); p++) {
                for (ItemUpdate u : rec.updatesFor(items.subList(0, p + 1))) {
                    rec.apply(models.computeIfAbsent(u.getItemId(), id -> new ItemModel()), u, t);
                }
            }
        }
        return models;
    }

    private static Map<String, ItemNeighbours> snapshots(
            SessionRecommender rec, Map<String, ItemModel> models, List<String> session) {
        Map<String, ItemNeighbours> out = new HashMap<>();
        for (String item : session) {
            if (models.containsKey(item)) out.put(item, rec.neighbours(item, models.get(item)));
        }
        return out;
    }

    @Test
    void aNewItemTeachesTheRuleToTheItemTwoBack() {
        SessionRecommender rec = new SessionRecommender(contextOnly());
        List<ItemUpdate> updates = rec.updatesFor(List.of("a", "b", "c"));
        assertThat(updates)
                .filteredOn(u -> u.getKind() == Kind.CONTEXT)
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.getItemId()).isEqualTo("a");
                            assertThat(u.getOtherItem()).isEqualTo("b");
                            assertThat(u.getNextItem()).isEqualTo("c");
                        });
        assertThat(rec.updatesFor(List.of("a", "b"))).noneMatch(u -> u.getKind() == Kind.CONTEXT);
        SessionRecommender off = new SessionRecommender(contextOnly().setContextsKept(0));
        assertThat(off.updatesFor(List.of("a", "b", "c")))
                .noneMatch(u -> u.getKind() == Kind.CONTEXT);
    }

    @Test
    void thePairBeforeDecidesWhatComesNextWhereTheLastItemAloneCannot() {
        // after b comes c or d equally often; but after "a b" it is always c, after "x b" always d
        SessionRecommender rec = new SessionRecommender(contextOnly());
        Map<String, ItemModel> models =
                train(rec, "a b c", "a b c", "a b c", "x b d", "x b d", "x b d", "a b e");
        List<String> session = List.of("a", "b");
        List<ScoredItem> ranked =
                rec.recommend(session, snapshots(rec, models, session), List.of(), 3);
        // P(c | a b) = 3/4, P(e | a b) = 1/4; d never followed "a b"
        assertThat(ranked).extracting(ScoredItem::getItemId).containsExactly("c", "e");
        assertThat(ranked.get(0).getScore()).isCloseTo(0.75, offset(1e-9));
        assertThat(ranked.get(1).getScore()).isCloseTo(0.25, offset(1e-9));
        assertThat(ranked.get(0).getReason()).isEqualTo(SessionRecommender.REASON_SIMILAR + "b");

        List<String> other = List.of("x", "b");
        List<ScoredItem> otherRanked =
                rec.recommend(other, snapshots(rec, models, other), List.of(), 3);
        assertThat(otherRanked.get(0).getItemId()).isEqualTo("d");
        assertThat(otherRanked.get(0).getScore()).isCloseTo(1.0, offset(1e-9));
        // what follows b alone (c, shared as b's first-order neighbour) is all but nothing here
        assertThat(otherRanked).extracting(ScoredItem::getItemId).doesNotContain("e");
    }

    @Test
    void shrinkageDampsPairsSeenOnlyOnceAndWeightScales() {
        SessionRecommender rec =
                new SessionRecommender(contextOnly().setContextShrinkage(1).setContextWeight(2));
        Map<String, ItemModel> models = train(rec, "a b c");
        List<String> session = List.of("a", "b");
        // 2 * 1 / (1 + 1)
        assertThat(
                        rec.recommend(session, snapshots(rec, models, session), List.of(), 1)
                                .get(0)
                                .getScore())
                .isCloseTo(1.0, offset(1e-9));
    }

    @Test
    void stateIsBoundedByEvictingTheWeakestRuleAndDecays() {
        SessionRecommender rec =
                new SessionRecommender(contextOnly().setContextsKept(2).setContextsShared(1));
        ItemModel model = new ItemModel();
        rec.apply(model, ItemUpdate.context("a", "b", "c"), T0);
        rec.apply(model, ItemUpdate.context("a", "b", "c"), T0);
        rec.apply(model, ItemUpdate.context("a", "b", "d"), T0);
        rec.apply(model, ItemUpdate.context("a", "x", "y"), T0 + 1);
        // b->d (1) and x->y (1) tie at the bottom: the larger key goes, so x->y is evicted
        assertThat(model.getContexts())
                .containsOnlyKeys(ContextRules.key("b", "c"), ContextRules.key("b", "d"));
        ItemNeighbours nb = rec.neighbours("a", model);
        assertThat(nb.getContextThen()).containsExactly("b");
        assertThat(nb.getContextNext()).containsExactly("c");
        rec.apply(model, ItemUpdate.context("a", "b", "c"), T0 + HOUR);
        // 2 halved by one half-life, plus 1
        assertThat(model.getContexts().get(ContextRules.key("b", "c")))
                .isCloseTo(2.0, offset(1e-6));
    }

    @Test
    void offByDefaultLeavesTheRankingAsItWas() {
        RecommenderConfig defaults = RecommenderConfig.defaults();
        assertThat(defaults.getContextsKept()).isZero();
        assertThat(defaults.getContextWeight()).isZero();
        SessionRecommender rec = new SessionRecommender(defaults);
        Map<String, ItemModel> models = train(rec, "a b c", "a b c");
        assertThat(models.values()).allMatch(m -> m.getContexts().isEmpty());
    }

    @Test
    void rulesSurviveFlinkSerializationWithoutKryo() throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        SessionRecommender rec = new SessionRecommender(contextOnly());
        ItemModel model = new ItemModel();
        rec.apply(model, ItemUpdate.context("a", "b", "c"), T0);
        var modelSerializer = TypeInformation.of(ItemModel.class).createSerializer(noKryo);
        DataOutputSerializer out = new DataOutputSerializer(256);
        modelSerializer.serialize(model, out);
        ItemModel copy =
                modelSerializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy.getContexts()).isEqualTo(model.getContexts());

        var updateSerializer = TypeInformation.of(ItemUpdate.class).createSerializer(noKryo);
        out.clear();
        updateSerializer.serialize(ItemUpdate.context("a", "b", "c"), out);
        ItemUpdate u =
                updateSerializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(u.getKind()).isEqualTo(Kind.CONTEXT);
        assertThat(u.getNextItem()).isEqualTo("c");

        var nbSerializer = TypeInformation.of(ItemNeighbours.class).createSerializer(noKryo);
        out.clear();
        nbSerializer.serialize(rec.neighbours("a", model), out);
        ItemNeighbours nb =
                nbSerializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(nb.getContextThen()).containsExactly("b");
        assertThat(nb.getContextNext()).containsExactly("c");
        assertThat(nb.getContextWeights()).containsExactly(1.0);
    }
}
