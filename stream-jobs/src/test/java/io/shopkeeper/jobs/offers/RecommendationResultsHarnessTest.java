package io.shopkeeper.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RecommendationIds;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.offers.RecommendationCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The recommendation results path on Flink's harness (RocksDB state): attribution keyed by visitor
 * ({@link RecommendationAttributionFunction}) into the counters keyed by day and field ({@link
 * RecommendationResultsFunction}), as {@link Offers} wires them: counts per strategy, context and
 * day, orders within the window after a click, hostile ids ignored, restores and replays.
 */
class RecommendationResultsHarnessTest {
    static final Instant T0 = Instant.parse("2026-11-22T23:00:00Z");
    static final String HOME = id("home", "personalized+trending");
    static final String PRODUCT = id("product", "similar+trending");

    private KeyedOneInputStreamOperatorTestHarness<String, OfferMoment, RecommendationDelta>
            attribution;
    private KeyedOneInputStreamOperatorTestHarness<String, RecommendationDelta, RedisWrite> results;

    /** The latest value written per Redis key and field, as Redis would hold it. */
    private final Map<String, String> redis = new LinkedHashMap<>();

    @BeforeEach
    void open() throws Exception {
        attribution = newAttribution();
        attribution.open();
        results = newResults();
        results.open();
    }

    @AfterEach
    void close() throws Exception {
        attribution.close();
        results.close();
    }

    static String id(String context, String strategy) {
        return RecommendationIds.mint(UUID.randomUUID(), context, strategy);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, OfferMoment, RecommendationDelta>
            newAttribution() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new RecommendationAttributionFunction()),
                        OfferMoment::getVisitorId,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RecommendationDelta, RedisWrite>
            newResults() throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new RecommendationResultsFunction(Duration.ofDays(31))),
                        RecommendationDelta::counter,
                        Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    static OfferMoment step(String visitor, EventType type, String recommendationId, long minutes) {
        OfferMoment m = new OfferMoment();
        m.setVisitorId(visitor);
        m.setEventType(type);
        m.setRecommendationId(recommendationId);
        m.setAt(T0.plusSeconds(60 * minutes).toEpochMilli());
        return m;
    }

    static OfferMoment shown(String visitor, String id, long minutes) {
        return step(visitor, EventType.IMPRESSION, id, minutes);
    }

    static OfferMoment clicked(String visitor, String id, long minutes) {
        return step(visitor, EventType.CLICK, id, minutes);
    }

    static OfferMoment ordered(String visitor, double total, long minutes) {
        OfferMoment m = step(visitor, EventType.ORDER_PLACED, null, minutes);
        m.setTotal(total);
        return m;
    }

    /** Steps through both operators as the job runs them; the writes land in {@link #redis}. */
    private void process(OfferMoment... moments) throws Exception {
        for (OfferMoment m : moments) {
            if (!RecommendationAttributionFunction.reads(m)) continue;
            int before = attribution.extractOutputValues().size();
            attribution.processElement(m, m.getAt());
            List<RecommendationDelta> deltas = attribution.extractOutputValues();
            for (RecommendationDelta d : deltas.subList(before, deltas.size()))
                results.processElement(d, m.getAt());
        }
        redis.clear();
        for (RedisWrite w : results.extractOutputValues()) {
            assertThat(w.getOperation()).isEqualTo(RedisWrite.Operation.HASH_PUT);
            redis.put(w.getKey() + " " + w.getMember(), w.getText());
        }
    }

    /** The writes of {@link #results} from the {@code from}th on, as {@code key field value}. */
    private List<String> written(int from) {
        List<RedisWrite> all = results.extractOutputValues();
        return all.subList(from, all.size()).stream()
                .map(w -> w.getKey() + " " + w.getMember() + " " + w.getText())
                .toList();
    }

    /** Keys (visitors, counters) that hold state in the harness's operator. */
    private static long keysWithState(
            KeyedOneInputStreamOperatorTestHarness<String, ?, ?> harness, String state)
            throws Exception {
        try (var keys =
                ((AbstractStreamOperator<?>) harness.getOperator())
                        .getKeyedStateBackend()
                        .getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    private long visitorsWithClicks() throws Exception {
        return keysWithState(attribution, "recommendation-clicks");
    }

    private long countersInState() throws Exception {
        return keysWithState(results, "recommendation-counter");
    }

    private static String counter(String day, String strategy, String context, String metric) {
        return RedisKeys.recommendationResults(day)
                + " "
                + RecommendationCounters.field(strategy, context, metric);
    }

    private static final String IMPRESSIONS = RecommendationCounters.IMPRESSIONS;
    private static final String CLICKS = RecommendationCounters.CLICKS;
    private static final String ORDERS = RecommendationCounters.ORDERS;
    private static final String REVENUE = RecommendationCounters.REVENUE;

    @Test
    void impressionsAndClicksCountPerStrategyContextAndDay() throws Exception {
        process(
                shown("c1", HOME, 0),
                shown("c2", HOME, 10),
                clicked("c2", HOME, 11),
                shown("c1", PRODUCT, 30),
                shown("c1", HOME, 70)); // the next day (UTC)

        assertThat(redis)
                .containsOnly(
                        Map.entry(
                                counter("2026-11-22", "personalized+trending", "home", IMPRESSIONS),
                                "2"),
                        Map.entry(
                                counter("2026-11-22", "personalized+trending", "home", CLICKS),
                                "1"),
                        Map.entry(
                                counter("2026-11-22", "similar+trending", "product", IMPRESSIONS),
                                "1"),
                        Map.entry(
                                counter("2026-11-23", "personalized+trending", "home", IMPRESSIONS),
                                "1"));
    }

    @Test
    void idsInAnyOtherFormAreIgnoredAndNothingStops() throws Exception {
        String forged = UUID.randomUUID() + "~home~trending|clicks";
        process(
                shown("c1", UUID.randomUUID().toString(), 0),
                clicked("c1", "rec-1f3a9c0d2b4e", 1),
                clicked("c1", forged, 2),
                clicked("c1", UUID.randomUUID() + "~checkout~trending", 3),
                ordered("c1", 80, 4),
                shown("c1", HOME, 5));

        assertThat(redis)
                .containsOnly(
                        Map.entry(
                                counter("2026-11-22", "personalized+trending", "home", IMPRESSIONS),
                                "1"));
        assertThat(visitorsWithClicks()).isZero();
    }

    @Test
    void anOrderCountsForTheLatestClickWithinTheWindowAndEachClickEarnsOneOrder() throws Exception {
        process(
                ordered("c1", 10, 0), // before any click: nobody's
                clicked("c1", HOME, 5),
                clicked("c1", PRODUCT, 65),
                ordered("c1", 120.5, 125), // the product page's click, the latest
                ordered("c1", 30, 130), // the home click, still in its window
                ordered("c1", 99, 135)); // every click spent

        assertThat(redis)
                .contains(
                        Map.entry(
                                counter("2026-11-23", "similar+trending", "product", ORDERS), "1"),
                        Map.entry(
                                counter("2026-11-23", "similar+trending", "product", REVENUE),
                                "120.5"),
                        Map.entry(
                                counter("2026-11-23", "personalized+trending", "home", ORDERS),
                                "1"),
                        Map.entry(
                                counter("2026-11-23", "personalized+trending", "home", REVENUE),
                                "30"));
        assertThat(redis.keySet()).noneMatch(k -> k.contains("2026-11-22") && k.endsWith(ORDERS));
        assertThat(visitorsWithClicks()).isZero();
    }

    @Test
    void anOrderAfterTheWindowIsNotTheClicksAndTheClickIsForgottenWhenItsWindowEnds()
            throws Exception {
        long window = RecommendationCounters.ORDER_WINDOW.toMinutes();
        process(clicked("c1", HOME, 0), clicked("c2", HOME, 0));
        process(ordered("c1", 50, window)); // exactly at the end: out
        attribution.processWatermark(T0.plusSeconds(60 * window).toEpochMilli());

        assertThat(redis.keySet()).noneMatch(k -> k.endsWith(ORDERS) || k.endsWith(REVENUE));
        assertThat(visitorsWithClicks()).isZero();
    }

    @Test
    void clicksSurviveARestoreAndAReplayFromASnapshotWritesTheSameCounters() throws Exception {
        process(shown("c1", HOME, 0), clicked("c1", HOME, 1), shown("c2", HOME, 2));
        OperatorSubtaskState attributionSnapshot = attribution.snapshot(1L, 1L);
        OperatorSubtaskState resultsSnapshot = results.snapshot(1L, 1L);

        OfferMoment[] after = {clicked("c2", HOME, 3), ordered("c1", 40, 4), shown("c1", HOME, 5)};
        int mark = results.extractOutputValues().size();
        process(after);
        List<String> firstRun = written(mark);

        // The job fails here and restarts from the snapshot: the same steps again.
        attribution.close();
        results.close();
        attribution = newAttribution();
        attribution.initializeState(attributionSnapshot);
        attribution.open();
        results = newResults();
        results.initializeState(resultsSnapshot);
        results.open();
        process(after);

        assertThat(written(0)).isEqualTo(firstRun).hasSize(4);
        assertThat(redis)
                .contains(
                        Map.entry(
                                counter("2026-11-22", "personalized+trending", "home", IMPRESSIONS),
                                "3"),
                        Map.entry(
                                counter("2026-11-22", "personalized+trending", "home", CLICKS),
                                "2"),
                        Map.entry(
                                counter("2026-11-22", "personalized+trending", "home", ORDERS),
                                "1"),
                        Map.entry(
                                counter("2026-11-22", "personalized+trending", "home", REVENUE),
                                "40"));
    }

    @Test
    void forgettingOrStitchingAVisitorDropsTheirClicks() throws Exception {
        process(clicked("anon-1", HOME, 0), clicked("c1", HOME, 0));
        OfferMoment merged = new OfferMoment();
        merged.setKind(OfferMoment.Kind.MERGED_AWAY);
        merged.setVisitorId("anon-1");
        OfferMoment forgotten = new OfferMoment();
        forgotten.setKind(OfferMoment.Kind.FORGOTTEN);
        forgotten.setVisitorId("c1");
        process(merged, forgotten);

        assertThat(visitorsWithClicks()).isZero();
    }

    @Test
    void aDaysCountersLeaveStateOnceNoEventOfThatDayCanArrive() throws Exception {
        process(shown("c1", HOME, 0), shown("c1", HOME, 70));
        results.processWatermark(Instant.parse("2026-12-24T00:00:00Z").toEpochMilli());
        assertThat(countersInState()).isEqualTo(1); // the 23rd's

        results.processWatermark(Instant.parse("2026-12-25T00:00:00Z").toEpochMilli());
        assertThat(countersInState()).isZero();
        assertThat(new ArrayList<>(redis.values())).containsExactly("1", "1");
    }
}
