package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.ScoredItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Snapshots encoded by {@link ItemNeighboursCodec} decode to what was encoded, whole or by section,
 * and a ranking that decodes only the sections {@link SessionRecommender} asks for is the ranking
 * from the whole snapshots.
 */
class ItemNeighboursCodecTest {

    private static ItemNeighbours full() {
        ItemNeighbours nb =
                new ItemNeighbours(
                        "i2", List.of("i3", "ü4", ""), List.of(2.5, 1.0 / 3, 1e-300), 7.25);
        nb.setSampleSessions(List.of("v/s1", "v2/s9"));
        nb.setSampleTimes(List.of(1_700_000_000_000L, -1L));
        nb.setSampleSizes(List.of(2, 1));
        nb.setSampleItems(List.of("i1", "i2", "i2"));
        nb.setContextThen(List.of("i3"));
        nb.setContextNext(List.of("i4"));
        nb.setContextWeights(List.of(Double.MIN_VALUE));
        return nb;
    }

    @Test
    void aSnapshotDecodesWholeAndByPart() {
        ItemNeighbours nb = full();
        byte[] bytes = ItemNeighboursCodec.encode(nb);
        assertThat(ItemNeighboursCodec.decode(bytes)).usingRecursiveComparison().isEqualTo(nb);
        assertThat(ItemNeighboursCodec.itemId(bytes)).isEqualTo("i2");

        ItemNeighbours none = ItemNeighboursCodec.decode(bytes, false, false, false);
        assertThat(none.getItemId()).isEqualTo("i2");
        assertThat(none.getOccurrences()).isEqualTo(7.25);
        assertThat(none.getItems()).isEmpty();
        assertThat(none.getSampleItems()).isEmpty();
        assertThat(none.getContextThen()).isEmpty();

        ItemNeighbours sessions = ItemNeighboursCodec.decode(bytes, false, true, false);
        assertThat(sessions.getItems()).isEmpty();
        assertThat(sessions.getSampleSessions()).isEqualTo(nb.getSampleSessions());
        assertThat(sessions.getSampleTimes()).isEqualTo(nb.getSampleTimes());
        assertThat(sessions.getSampleSizes()).isEqualTo(nb.getSampleSizes());
        assertThat(sessions.getSampleItems()).isEqualTo(nb.getSampleItems());
        assertThat(sessions.getContextWeights()).isEmpty();

        ItemNeighbours contexts = ItemNeighboursCodec.decode(bytes, true, false, true);
        assertThat(contexts.getItems()).isEqualTo(nb.getItems());
        assertThat(contexts.getWeights()).isEqualTo(nb.getWeights());
        assertThat(contexts.getSampleSessions()).isEmpty();
        assertThat(contexts.getContextThen()).isEqualTo(nb.getContextThen());
        assertThat(contexts.getContextNext()).isEqualTo(nb.getContextNext());
        assertThat(contexts.getContextWeights()).isEqualTo(nb.getContextWeights());

        ItemNeighbours empty = new ItemNeighbours("x", new ArrayList<>(), new ArrayList<>());
        assertThat(ItemNeighboursCodec.decode(ItemNeighboursCodec.encode(empty)))
                .usingRecursiveComparison()
                .isEqualTo(empty);
    }

    @Test
    void rankingFromTheSectionsAskedForIsTheRankingFromWholeSnapshots() {
        // second-order rules on and few items per part, so every section is asked for and left out
        for (RecommenderConfig config :
                List.of(
                        RecommenderConfig.defaults(),
                        RecommenderConfig.defaults()
                                .set("contextsKept", "50")
                                .set("contextWeight", "2")
                                .set("sessionItemsUsed", "3")
                                .set("knnItemsUsed", "2"))) {
            SessionRecommender recommender = new SessionRecommender(config);
            Random random = new Random(5);
            Map<String, ItemModel> models = new HashMap<>();
            int compared = 0;
            for (int s = 0; s < 120; s++) {
                String sessionId = "v" + s + "/s";
                List<String> session = new ArrayList<>();
                int length = 1 + random.nextInt(12);
                for (int n = 0; n < length; n++) {
                    double u = random.nextDouble();
                    session.add(
                            n > 0 && random.nextInt(4) == 0
                                    ? session.get(random.nextInt(n))
                                    : "i" + (int) (100 * u * u));
                    Map<String, byte[]> encoded = new HashMap<>();
                    for (String item : SessionRecommender.recentDistinct(session, 12)) {
                        ItemModel model = models.get(item);
                        if (model != null)
                            encoded.put(
                                    item,
                                    ItemNeighboursCodec.encode(
                                            recommender.neighbours(item, model)));
                    }
                    if (s >= 40) {
                        List<ScoredItem> whole =
                                recommender.rankForVisitor(
                                        sessionId,
                                        session,
                                        item ->
                                                encoded.containsKey(item)
                                                        ? ItemNeighboursCodec.decode(
                                                                encoded.get(item))
                                                        : null,
                                        20);
                        List<ScoredItem> parts =
                                recommender.rankForVisitor(
                                        sessionId,
                                        session,
                                        (item, neighbours, sessions, contexts) ->
                                                encoded.containsKey(item)
                                                        ? ItemNeighboursCodec.decode(
                                                                encoded.get(item),
                                                                neighbours,
                                                                sessions,
                                                                contexts)
                                                        : null,
                                        20);
                        assertThat(parts).usingRecursiveComparison().isEqualTo(whole);
                        compared++;
                    }
                    for (ItemUpdate up : recommender.updatesFor(sessionId, session))
                        recommender.apply(
                                models.computeIfAbsent(up.getItemId(), x -> new ItemModel()),
                                up,
                                1000L * s);
                }
            }
            assertThat(compared).isGreaterThan(150);
        }
    }
}
