package io.shopkeeper.jobs.visitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.jobs.types.WriteBackCoProcessOperator;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RecommendationFunction} coalescing a visitor's rankings in a backlog (on RocksDB, as in
 * the job, the wall clock driven by the harness's processing time): live, every reply writes at
 * once; in a backlog, the replies of a window write once, the list the last request gives without
 * coalescing, when the event-time timer or the processing-time guard fires. Run by the job's
 * operator (the pending rankings on the heap until a barrier) and, in {@link
 * RecommendationCoalesceWriteThroughHarnessTest}, by Flink's own (written through).
 */
class RecommendationCoalesceHarnessTest {
    private static final SessionRecommender RECOMMENDER = new SessionRecommender();
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration BACKLOG_LAG = Duration.ofSeconds(15);
    private static final Duration COALESCE = Duration.ofSeconds(30);
    private static final Duration GUARD = Duration.ofSeconds(5);
    private static final int SIZE = 5;

    /** Event time of the history. */
    private static final long T0 = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();

    /** A wall clock a day after the history: a watermark near T0 means a backlog. */
    private static final long DAY_LATER = T0 + Duration.ofDays(1).toMillis();

    private static final Map<String, ItemModel> MODELS = new HashMap<>();

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, NeighboursReply, ForgetVisitor, RedisWrite>
            harness;

    /** The same replies through an operator that ranks every one (today's behaviour). */
    private KeyedTwoInputStreamOperatorTestHarness<
                    String, NeighboursReply, ForgetVisitor, RedisWrite>
            uncoalesced;

    private final List<String> session = new ArrayList<>();

    @BeforeEach
    void train() {
        if (!MODELS.isEmpty()) return;
        for (int s = 0; s < 60; s++) {
            List<String> items = new ArrayList<>();
            for (int k = 0; k < 5; k++) items.add("i" + ((s * 7 + k * 3) % 30));
            for (int n = 1; n <= items.size(); n++)
                for (ItemUpdate u : RECOMMENDER.updatesFor("t" + s + "/s", items.subList(0, n)))
                    RECOMMENDER.apply(
                            MODELS.computeIfAbsent(u.getItemId(), x -> new ItemModel()),
                            u,
                            1000L * s + n);
        }
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
        if (uncoalesced != null) uncoalesced.close();
    }

    /** The operator that runs the function: the job's. */
    KeyedCoProcessOperator<String, NeighboursReply, ForgetVisitor, RedisWrite> operator(
            RecommendationFunction function) {
        return new WriteBackCoProcessOperator<>(function);
    }

    /** Whether {@link #operator} keeps the pending rankings on the heap until a barrier. */
    boolean writesBack() {
        return true;
    }

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, NeighboursReply, ForgetVisitor, RedisWrite>
            open(Duration coalesce, OperatorSubtaskState restore, long wallClock) throws Exception {
        return open(coalesce, GUARD, restore, wallClock);
    }

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, NeighboursReply, ForgetVisitor, RedisWrite>
            open(Duration coalesce, Duration guard, OperatorSubtaskState restore, long wallClock)
                    throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, NeighboursReply, ForgetVisitor, RedisWrite>
                h =
                        new KeyedTwoInputStreamOperatorTestHarness<>(
                                operator(
                                        new RecommendationFunction(
                                                RECOMMENDER,
                                                SIZE,
                                                TTL,
                                                BACKLOG_LAG,
                                                coalesce,
                                                guard)),
                                (NeighboursReply r) -> r.getRequest().getVisitorId(),
                                ForgetVisitor::getVisitorId,
                                Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.setProcessingTime(wallClock);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    private void openBoth(long wallClock) throws Exception {
        harness = open(COALESCE, null, wallClock);
        uncoalesced = open(Duration.ZERO, null, wallClock);
    }

    private void watermark(long at) throws Exception {
        harness.processBothWatermarks(new Watermark(at));
        uncoalesced.processBothWatermarks(new Watermark(at));
    }

    private void wallClock(long at) throws Exception {
        harness.setProcessingTime(at);
        uncoalesced.setProcessingTime(at);
    }

    /** Visitor v1 (alias a1) views {@code item} at {@code at}, in both operators. */
    private void viewed(String item, long at) throws Exception {
        session.add(item);
        RankingRequest request = new RankingRequest("v1", new ArrayList<>(session), List.of(), at);
        request.setSessionId("v1/s1");
        request.setAliases(List.of("a1"));
        NeighboursReply reply =
                new NeighboursReply(request, RECOMMENDER.neighbours(item, MODELS.get(item)));
        harness.processElement1(reply, at);
        uncoalesced.processElement1(reply, at);
    }

    /** A checkpoint as the task takes it: the barrier is prepared, then the state snapshot. */
    private OperatorSubtaskState checkpoint(long id) throws Exception {
        harness.prepareSnapshotPreBarrier(id);
        return harness.snapshot(id, id);
    }

    /** The visitor's pending ranking in the keyed state (not on the heap), or null. */
    private RankingRequest pendingInState(String visitor) throws Exception {
        ValueStateDescriptor<RankingRequest> descriptor =
                new ValueStateDescriptor<>(
                        RecommendationFunction.PENDING_STATE, RankingRequestSerializer.TYPE);
        descriptor.enableTimeToLive(StateTtl.afterLastWrite(TTL));
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(visitor);
        return backend.getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor)
                .value();
    }

    private static List<RedisWrite> written(
            KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, RedisWrite> h) {
        List<RedisWrite> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    /** What the coalescing operator wrote, checked against the last list of the other one. */
    private List<RedisWrite> writtenAsUncoalesced() {
        List<RedisWrite> out = written(harness);
        List<RedisWrite> all = written(uncoalesced);
        List<RedisWrite> last = all.subList(all.size() - 2, all.size());
        assertThat(out).usingRecursiveComparison().isEqualTo(last);
        return out;
    }

    private static List<String> ids(RedisWrite write) {
        return write.getList().getItems().stream().map(ScoredItem::getItemId).toList();
    }

    @Test
    void liveEveryReplyWritesAtOnce() throws Exception {
        long now = T0 + 60_000;
        openBoth(now);
        watermark(now - 6_000);
        for (String item : List.of("i1", "i4", "i7")) {
            viewed(item, now - 1_000);
            List<RedisWrite> out = writtenAsUncoalesced();
            assertThat(out)
                    .extracting(RedisWrite::getKey)
                    .containsExactly(
                            RedisKeys.recommendations("v1"), RedisKeys.recommendations("a1"));
        }
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void backlogRepliesOfAWindowWriteOnceWhenTheWatermarkPassesIt() throws Exception {
        openBoth(DAY_LATER);
        watermark(T0);
        viewed("i1", T0 + 1_000);
        viewed("i4", T0 + 8_000);
        viewed("i7", T0 + 15_000);
        assertThat(written(harness)).isEmpty();
        assertThat(written(uncoalesced)).hasSize(6);

        viewed("i10", T0 + 22_000);
        watermark(T0 + 31_000);
        List<RedisWrite> out = writtenAsUncoalesced();
        assertThat(ids(out.get(0))).isNotEmpty();
        assertThat(out.get(0).getList().getUpdatedAt()).isEqualTo(T0 + 22_000);

        // The next window: the guard of the first one leaves it pending, its own guard writes it.
        wallClock(DAY_LATER + 2_000);
        viewed("i13", T0 + 40_000);
        wallClock(DAY_LATER + 5_000);
        assertThat(written(harness)).isEmpty();
        wallClock(DAY_LATER + 7_000);
        assertThat(writtenAsUncoalesced()).hasSize(2);
        watermark(T0 + 70_000);
        assertThat(written(harness)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theProcessingTimeGuardWritesWhenTheWatermarkStalls() throws Exception {
        openBoth(DAY_LATER);
        watermark(T0);
        viewed("i1", T0 + 1_000);
        wallClock(DAY_LATER + 1_000);
        viewed("i4", T0 + 8_000);
        wallClock(DAY_LATER + 4_999);
        assertThat(written(harness)).isEmpty();

        wallClock(DAY_LATER + 5_000);
        assertThat(writtenAsUncoalesced()).hasSize(2);

        // The event-time timer of the same window finds nothing pending.
        watermark(T0 + 40_000);
        assertThat(written(harness)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aLongerGuardLetsMoreRepliesReplaceThePendingRankingBeforeItWrites() throws Exception {
        harness = open(Duration.ofMinutes(5), Duration.ofSeconds(20), null, DAY_LATER);
        uncoalesced = open(Duration.ZERO, null, DAY_LATER);
        watermark(T0);
        viewed("i1", T0 + 1_000);
        wallClock(DAY_LATER + 6_000);
        viewed("i4", T0 + 30_000);
        wallClock(DAY_LATER + 12_000);
        viewed("i7", T0 + 60_000);
        wallClock(DAY_LATER + 19_999);
        assertThat(written(harness)).as("a guard of 5 s would have written").isEmpty();

        wallClock(DAY_LATER + 20_000);
        assertThat(writtenAsUncoalesced()).hasSize(2);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void aGuardBeyondAMinuteIsRefused() {
        assertThatThrownBy(
                        () ->
                                new RecommendationFunction(
                                        RECOMMENDER,
                                        SIZE,
                                        TTL,
                                        BACKLOG_LAG,
                                        COALESCE,
                                        Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT1M");
    }

    @Test
    void aLiveReplyRanksAtOnceAndClearsThePendingRanking() throws Exception {
        // The job catches up: 20 s behind the wall clock, then 6 s (live), before the window ends.
        long now = T0 + 20_000;
        openBoth(now);
        watermark(T0);
        viewed("i1", T0 + 1_000);
        viewed("i4", T0 + 8_000);
        assertThat(written(harness)).isEmpty();

        watermark(now - 6_000);
        viewed("i7", now - 1_000);
        assertThat(writtenAsUncoalesced()).hasSize(2);

        wallClock(now + 5_000);
        watermark(T0 + 31_000);
        assertThat(written(harness)).isEmpty();
    }

    @Test
    void nothingIsWrittenAfterAForget() throws Exception {
        openBoth(DAY_LATER);
        watermark(T0);
        viewed("i1", T0 + 1_000);
        viewed("i4", T0 + 8_000);
        harness.processElement2(new ForgetVisitor("v1", List.of("a1"), T0 + 9_000), T0 + 9_000);
        assertThat(written(harness))
                .extracting(RedisWrite::getKey)
                .containsExactly(RedisKeys.recommendations("v1"), RedisKeys.recommendations("a1"));

        wallClock(DAY_LATER + 5_000);
        watermark(T0 + 60_000);
        assertThat(written(harness)).isEmpty();
    }

    @Test
    void aPendingRankingSurvivesARestore() throws Exception {
        openBoth(DAY_LATER);
        watermark(T0);
        viewed("i1", T0 + 1_000);
        viewed("i4", T0 + 8_000);
        assertThat(written(harness)).isEmpty();

        OperatorSubtaskState snapshot = checkpoint(1);
        harness.close();
        harness = open(COALESCE, snapshot, DAY_LATER + 1_000);
        harness.processBothWatermarks(new Watermark(T0));
        assertThat(written(harness)).isEmpty();
        // Another visitor's first window after the restore has its own timers.
        RankingRequest other = new RankingRequest("v2", List.of("i2"), List.of(), T0 + 9_000);
        other.setSessionId("v2/s1");
        harness.processElement1(
                new NeighboursReply(other, RECOMMENDER.neighbours("i2", MODELS.get("i2"))),
                T0 + 9_000);
        wallClock(DAY_LATER + 5_000);
        assertThat(writtenAsUncoalesced()).hasSize(2);
        wallClock(DAY_LATER + 6_000);
        assertThat(written(harness))
                .extracting(RedisWrite::getKey)
                .containsExactly(RedisKeys.recommendations("v2"));
    }

    @Test
    void zeroCoalescingRanksEveryReplyInABacklog() throws Exception {
        harness = open(Duration.ZERO, null, DAY_LATER);
        harness.processBothWatermarks(new Watermark(T0));
        for (String item : List.of("i1", "i4", "i7")) {
            session.add(item);
            RankingRequest request =
                    new RankingRequest("v1", new ArrayList<>(session), List.of(), T0);
            request.setSessionId("v1/s1");
            harness.processElement1(
                    new NeighboursReply(request, RECOMMENDER.neighbours(item, MODELS.get(item))),
                    T0);
            assertThat(written(harness)).hasSize(1);
        }
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void thePendingRankingReachesTheStateAtABarrierAndLeavesItWhenRanked() throws Exception {
        openBoth(DAY_LATER);
        watermark(T0);
        viewed("i1", T0 + 1_000);
        viewed("i4", T0 + 8_000);
        assertThat(pendingInState("v1") != null)
                .as("a pending ranking in the state before any barrier")
                .isEqualTo(!writesBack());

        harness.prepareSnapshotPreBarrier(1);
        assertThat(pendingInState("v1").getSessionItems()).containsExactly("i1", "i4");
        viewed("i7", T0 + 15_000);
        harness.prepareSnapshotPreBarrier(2);
        assertThat(pendingInState("v1").getSessionItems()).containsExactly("i1", "i4", "i7");

        wallClock(DAY_LATER + 5_000);
        assertThat(writtenAsUncoalesced()).hasSize(2);
        assertThat(pendingInState("v1")).isNull();
    }
}
