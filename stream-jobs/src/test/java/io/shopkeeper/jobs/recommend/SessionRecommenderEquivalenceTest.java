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
 * {@link SessionRecommender#recommend} ranks exactly as {@link ReferenceRanking} (the ranking
 * before its data structures were rewritten): the same items in the same order with bit-identical
 * scores and the same reasons, on models trained from random sessions of a skewed catalogue (many
 * repeats and equal event times, so ties in similarity and score happen), under the defaults and
 * under knobs that switch on every optional part. The job's path (snapshots encoded, decoded by the
 * ranking with their sampled items as ids in a reused {@link SessionRecommender.Scratch}) ranks
 * exactly as the reference too, ASCII and other item ids alike.
 */
class SessionRecommenderEquivalenceTest {

    private static RecommenderConfig everyPartOn() {
        return RecommenderConfig.defaults()
                .set("knnRepeatWeight", "0.5")
                .set("knnViewsTarget", "20")
                .set("knnPoolTarget", "40")
                .set("knnNeighbours", "7")
                .set("normalisation", "SUM")
                .set("knnBefore", "0.3")
                .set("sessionSampleShared", "15");
    }

    @Test
    void theDefaultsRankBitForBitAsBefore() {
        assertSameRanking(RecommenderConfig.defaults(), 11, 20);
    }

    @Test
    void everyOptionalPartRanksBitForBitAsBefore() {
        assertSameRanking(everyPartOn(), 12, 20);
    }

    @Test
    void longListsAndPopularFillRankBitForBitAsBefore() {
        assertSameRanking(RecommenderConfig.defaults(), 13, 500);
    }

    @Test
    void itemIdsBeyondAsciiRankBitForBitAsBefore() {
        assertSameRanking(RecommenderConfig.defaults(), 14, 20, true, false);
        assertSameRanking(everyPartOn().set("knnRecency", "0"), 15, 20, true, false);
    }

    @Test
    void sessionIdsOfEqualHashCodesRankBitForBitAsBefore() {
        // half the sessions' ids share one hash code: bins a HashMap makes trees of
        assertSameRanking(RecommenderConfig.defaults(), 16, 20, false, true);
        assertSameRanking(everyPartOn(), 17, 20, true, true);
    }

    @Test
    void snapshotsAreBitForBitAsBefore() {
        for (RecommenderConfig config :
                List.of(
                        RecommenderConfig.defaults(),
                        everyPartOn()
                                .set("contextsKept", "30")
                                .set("contextWeight", "1")
                                .set("maxNeighboursShared", "7")
                                .set("maxNeighboursKept", "12"),
                        RecommenderConfig.defaults()
                                .set("backwardWeight", "0")
                                .set("selfRules", "false")
                                .set("maxNeighboursShared", "3"),
                        RecommenderConfig.defaults()
                                .set("backwardWeight", "1")
                                .set("maxNeighboursShared", "500"),
                        // full arrays early: most entries are left out by their bound
                        RecommenderConfig.defaults()
                                .set("backwardWeight", "2.5")
                                .set("maxNeighboursShared", "4"))) {
            SessionRecommender recommender = new SessionRecommender(config);
            ReferenceRanking reference = new ReferenceRanking(config);
            Random random = new Random(21);
            Map<String, ItemModel> models = new HashMap<>();
            int compared = 0;
            for (int s = 0; s < 300; s++) {
                List<String> session = new ArrayList<>();
                int length = 1 + random.nextInt(14);
                long time = 1_000_000L * (s / 10); // equal times and equal weights: ties
                for (int p = 0; p < length; p++) {
                    session.add("i" + (int) Math.min(59, Math.abs(random.nextGaussian()) * 15));
                    for (ItemUpdate u : recommender.updatesFor("v/s" + s, session)) {
                        recommender.apply(
                                models.computeIfAbsent(u.getItemId(), i -> new ItemModel()),
                                u,
                                time);
                    }
                }
                for (Map.Entry<String, ItemModel> e : models.entrySet()) {
                    if (random.nextInt(10) != 0) continue;
                    assertThat(
                                    ItemNeighboursCodec.encode(
                                            recommender.neighbours(e.getKey(), e.getValue())))
                            .isEqualTo(
                                    ItemNeighboursCodec.encode(
                                            reference.neighbours(e.getKey(), e.getValue())));
                    ItemNeighbours top = recommender.topNeighbours(e.getKey(), e.getValue());
                    ItemNeighbours whole = reference.neighbours(e.getKey(), e.getValue());
                    assertThat(top.getItems()).isEqualTo(whole.getItems());
                    assertThat(top.getWeights()).isEqualTo(whole.getWeights());
                    compared++;
                }
            }
            assertThat(compared).isGreaterThan(500);
        }
    }

    private static void assertSameRanking(RecommenderConfig config, long seed, int k) {
        assertSameRanking(config, seed, k, false, false);
    }

    /**
     * Compares on sessions of items {@code i<n>} (with {@code mixedText}, one in five {@code ü<n>}
     * or {@code €<n>}; with {@code collidingIds}, the ids of the even sessions all of one hash
     * code): {@link SessionRecommender#recommend} on the snapshots and {@link
     * SessionRecommender#rankForVisitor(String, List, SessionRecommender.EncodedSnapshots, int,
     * SessionRecommender.Scratch)} on their encoded bytes, one scratch for every ranking.
     */
    private static void assertSameRanking(
            RecommenderConfig config, long seed, int k, boolean mixedText, boolean collidingIds) {
        SessionRecommender.Scratch scratch = new SessionRecommender.Scratch();
        SessionRecommender recommender = new SessionRecommender(config);
        ReferenceRanking reference = new ReferenceRanking(config);
        Random random = new Random(seed);
        Map<String, ItemModel> models = new HashMap<>();
        List<ScoredItem> popular = new ArrayList<>();
        for (int i = 0; i < 30; i++) popular.add(new ScoredItem("i" + i, 30 - i, "popular"));
        int compared = 0, withKnn = 0;
        for (int s = 0; s < 400; s++) {
            String sessionId =
                    collidingIds && s % 2 == 0
                            ? "v/" + sameHashText(s, 9)
                            : "v" + random.nextInt(400) + "/s" + s;
            List<String> session = new ArrayList<>();
            int length = 1 + random.nextInt(14);
            // coarse times: many sampled sessions share a time, so similarity ties occur
            long time = 1_000_000L * (s / 20);
            for (int n = 0; n < length; n++) {
                String item =
                        n > 0 && random.nextInt(4) == 0
                                ? session.get(random.nextInt(n))
                                : prefix(random, mixedText) + skewed(random, 300);
                session.add(item);
                if (s >= 120 && random.nextInt(3) == 0) {
                    Map<String, ItemNeighbours> snapshots = new HashMap<>();
                    for (String used : SessionRecommender.recentDistinct(session, 12)) {
                        ItemModel model = models.get(used);
                        if (model != null) snapshots.put(used, recommender.neighbours(used, model));
                    }
                    List<ScoredItem> fill = random.nextBoolean() ? popular : List.of();
                    List<ScoredItem> actual =
                            recommender.recommend(sessionId, session, snapshots, fill, k);
                    List<ScoredItem> expected =
                            reference.recommend(sessionId, session, snapshots, fill, k);
                    assertThat(describe(actual)).isEqualTo(describe(expected));
                    Map<String, byte[]> encoded = new HashMap<>();
                    for (Map.Entry<String, ItemNeighbours> e : snapshots.entrySet())
                        encoded.put(e.getKey(), ItemNeighboursCodec.encode(e.getValue()));
                    List<ScoredItem> fromBytes =
                            recommender.rankForVisitor(
                                    sessionId, session, encoded::get, k, scratch);
                    List<ScoredItem> expectedUnfilled =
                            reference.recommend(sessionId, session, snapshots, List.of(), k);
                    assertThat(describe(fromBytes)).isEqualTo(describe(expectedUnfilled));
                    compared++;
                    if (actual.stream().anyMatch(i -> i.getReason().startsWith("similar_to")))
                        withKnn++;
                }
                for (ItemUpdate u : recommender.updatesFor(sessionId, session))
                    recommender.apply(
                            models.computeIfAbsent(u.getItemId(), x -> new ItemModel()), u, time);
            }
        }
        assertThat(compared).isGreaterThan(300);
        assertThat(withKnn).isGreaterThan(compared / 2);
    }

    private static String prefix(Random random, boolean mixedText) {
        if (!mixedText) return "i";
        int r = random.nextInt(10);
        return r == 0 ? "\u00fc" : r == 1 ? "\u20ac" : "i";
    }

    /** A text for each {@code value} below 2^bits, all of one hash code ("Aa" and "BB" are). */
    private static String sameHashText(int value, int bits) {
        StringBuilder text = new StringBuilder();
        for (int b = 0; b < bits; b++) text.append((value >> b & 1) == 0 ? "Aa" : "BB");
        return text.toString();
    }

    /** Item index in [0, n), the low ones far more often. */
    private static int skewed(Random random, int n) {
        double u = random.nextDouble();
        return (int) (n * u * u * u);
    }

    private static List<String> describe(List<ScoredItem> items) {
        List<String> out = new ArrayList<>();
        for (ScoredItem i : items)
            out.add(
                    i.getItemId()
                            + " "
                            + Long.toHexString(Double.doubleToRawLongBits(i.getScore()))
                            + " "
                            + i.getReason());
        return out;
    }
}
