package io.shopkeeper.jobs.trending;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.types.WriteBackProcessOperator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pane totals against the sliding windows they replace (the job's earlier operator, built by
 * the DataStream API): on the same random interactions, watermarks, late interactions and a
 * restore, the same totals with the same window ends, categories and timestamps at the same
 * watermark. On RocksDB with heap timers, run by the job's operator (the panes on the heap until a
 * barrier), as in the job; the random run again with room for two items on the heap (the others
 * written to the state when evicted).
 */
class PaneTotalsHarnessTest {
    static final Duration SIZE = Duration.ofMinutes(30);
    static final Duration SLIDE = Duration.ofMinutes(5);
    static final long T0 = Instant.parse("2026-11-22T10:02:17Z").toEpochMilli();

    private KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, ItemInteraction>
            windows;
    private KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, ItemInteraction> panes;

    @AfterEach
    void close() throws Exception {
        if (windows != null) windows.close();
        if (panes != null) panes.close();
    }

    /** The trending-window-totals operator of earlier versions of the job. */
    private static StreamOperatorFactory<ItemInteraction> slidingWindows() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<ItemInteraction> totals =
                env.fromData(new ItemInteraction("i", "c", 1))
                        .keyBy(ItemInteraction::getItemId)
                        .window(SlidingEventTimeWindows.of(SIZE, SLIDE))
                        .aggregate(new WindowTotals.Sum(), new WindowTotals.StampWindowEnd());
        return ((OneInputTransformation<ItemInteraction, ItemInteraction>)
                        totals.getTransformation())
                .getOperatorFactory();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, ItemInteraction>
            harness(boolean old, OperatorSubtaskState restore) throws Exception {
        return harness(old, restore, PaneTotalsFunction.CACHE_SIZE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, ItemInteraction>
            harness(boolean old, OperatorSubtaskState restore, int cacheSize) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, ItemInteraction> h =
                old
                        ? new KeyedOneInputStreamOperatorTestHarness<>(
                                slidingWindows(), ItemInteraction::getItemId, Types.STRING)
                        : new KeyedOneInputStreamOperatorTestHarness<>(
                                new WriteBackProcessOperator<>(
                                        new PaneTotalsFunction(SIZE, SLIDE)
                                                .withCacheSize(cacheSize)),
                                ItemInteraction::getItemId,
                                Types.STRING);
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        h.setStateBackend(rocksDb);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    /** What was emitted since the last call, one line per total, sorted. */
    private static List<String> drain(
            KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, ItemInteraction> h) {
        List<String> lines = new ArrayList<>();
        for (StreamRecord<? extends ItemInteraction> r : h.extractOutputStreamRecords()) {
            ItemInteraction t = r.getValue();
            lines.add(
                    t.getWindowEnd()
                            + " "
                            + t.getItemId()
                            + " "
                            + t.getCategoryId()
                            + " "
                            + t.getWeight()
                            + " @"
                            + r.getTimestamp());
        }
        h.getOutput().clear();
        lines.sort(null);
        return lines;
    }

    /** A checkpoint as the task takes it: the barrier is prepared, then the state snapshot. */
    private static OperatorSubtaskState checkpoint(
            KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, long id) throws Exception {
        h.prepareSnapshotPreBarrier(id);
        return h.snapshot(id, id);
    }

    @Test
    void randomInteractionsGiveTheSlidingWindowsTotalsAcrossARestore() throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            Random random = new Random(seed);
            int cacheSize = seed == 1 ? PaneTotalsFunction.CACHE_SIZE : 2;
            windows = harness(true, null);
            panes = harness(false, null, cacheSize);
            long watermark = T0;
            int steps = 5_000;
            int totals = 0;
            int late = 0;
            int partlyLate = 0;
            int mixedWindows = 0;
            for (int step = 0; step < steps; step++) {
                if (step == steps / 2) {
                    OperatorSubtaskState oldState = windows.snapshot(1, 1);
                    OperatorSubtaskState newState = checkpoint(panes, 1);
                    windows.close();
                    panes.close();
                    windows = harness(true, oldState);
                    panes = harness(false, newState, cacheSize);
                    // An operator's watermark is not in its state: the sources' next one sets it
                    // again (before it, see theWindowsEmittedBeforeARestoreStayEmitted).
                    windows.processWatermark(new Watermark(watermark));
                    panes.processWatermark(new Watermark(watermark));
                    assertThat(drain(panes)).isEqualTo(drain(windows));
                }
                if (random.nextInt(12) == 0) {
                    watermark +=
                            random.nextInt(4 * 60_000) + (random.nextInt(20) == 0 ? 3_600_000 : 0);
                    windows.processWatermark(new Watermark(watermark));
                    panes.processWatermark(new Watermark(watermark));
                    List<String> expected = drain(windows);
                    assertThat(drain(panes)).as("seed %d, step %d", seed, step).isEqualTo(expected);
                    totals += expected.size();
                    mixedWindows +=
                            (int) expected.stream().filter(l -> l.contains(" unknown ")).count();
                    continue;
                }
                int item = (int) Math.min(29, Math.abs(random.nextGaussian() * 8));
                String category =
                        random.nextInt(5) == 0 ? null : "c" + (item % 4 + random.nextInt(2));
                double weight =
                        switch (random.nextInt(4)) {
                            case 0 -> 3;
                            case 1 -> 5.0 * (1 + random.nextInt(3));
                            default -> 1;
                        };
                long at = watermark - 45 * 60_000 + random.nextInt(70 * 60_000);
                long paneEnd =
                        TimeWindow.getWindowStartWithOffset(at, 0, SLIDE.toMillis())
                                + SLIDE.toMillis();
                if (paneEnd + SIZE.toMillis() - SLIDE.toMillis() - 1 <= watermark) late++;
                else if (paneEnd - 1 <= watermark) partlyLate++;
                ItemInteraction interaction = new ItemInteraction("i" + item, category, weight);
                windows.processElement(
                        new ItemInteraction(
                                interaction.getItemId(), interaction.getCategoryId(), weight),
                        at);
                panes.processElement(interaction, at);
            }
            windows.processWatermark(new Watermark(Long.MAX_VALUE));
            panes.processWatermark(new Watermark(Long.MAX_VALUE));
            List<String> expected = drain(windows);
            assertThat(drain(panes)).isEqualTo(expected);
            totals += expected.size();
            // The input covered what it must: many totals, late and partly late interactions,
            // windows whose first interaction was of the unknown category.
            assertThat(totals).isGreaterThan(1_000);
            assertThat(late).isGreaterThan(300);
            assertThat(partlyLate).isGreaterThan(1_000);
            assertThat(mixedWindows).isGreaterThan(10);
            windows.close();
            panes.close();
            windows = null;
            panes = null;
        }
    }

    @Test
    void anInteractionCountsInTheWindowsStillOpenAndAWindowTakesItsFirstCategory()
            throws Exception {
        panes = harness(false, null);
        long min = 60_000;
        long base = T0 - T0 % (5 * min); // a pane start
        panes.processElement(new ItemInteraction("i1", "c2", 1), base + 12 * min);
        panes.processElement(new ItemInteraction("i1", "c1", 3), base + 7 * min);
        panes.processWatermark(new Watermark(base + 15 * min - 1));
        // Windows ending at +10 (the view at +7) and +15 (both, c2 first).
        assertThat(drain(panes))
                .containsExactly(
                        (base + 10 * min) + " i1 c1 3.0 @" + (base + 10 * min - 1),
                        (base + 15 * min) + " i1 c2 4.0 @" + (base + 15 * min - 1));
        // A late cart at +8: only the windows ending after the watermark count it.
        panes.processElement(new ItemInteraction("i1", "c3", 3), base + 8 * min);
        panes.processWatermark(new Watermark(base + 20 * min - 1));
        assertThat(drain(panes))
                .containsExactly((base + 20 * min) + " i1 c2 7.0 @" + (base + 20 * min - 1));
        // Too late for every window: dropped.
        panes.processElement(new ItemInteraction("i1", "c3", 5), base - 30 * min);
        panes.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(drain(panes))
                .containsExactly(
                        (base + 25 * min) + " i1 c2 7.0 @" + (base + 25 * min - 1),
                        (base + 30 * min) + " i1 c2 7.0 @" + (base + 30 * min - 1),
                        (base + 35 * min) + " i1 c2 7.0 @" + (base + 35 * min - 1),
                        (base + 40 * min) + " i1 c2 1.0 @" + (base + 40 * min - 1));
    }

    /**
     * Until the first watermark after a restore, nothing is late: the sliding windows opened the
     * windows they had emitted again with only the late interactions, and emitted them again at the
     * next watermark (a stale window end, which the top-N step published again as the trending
     * list). The pane totals remember the last window they emitted for an item with panes left, and
     * count a late interaction only in the windows still to come.
     */
    @Test
    void theWindowsEmittedBeforeARestoreStayEmitted() throws Exception {
        panes = harness(false, null);
        long min = 60_000;
        long base = T0 - T0 % (5 * min);
        panes.processElement(new ItemInteraction("i1", "c1", 1), base + 2 * min);
        panes.processElement(new ItemInteraction("i1", "c1", 1), base + 12 * min);
        panes.processWatermark(new Watermark(base + 15 * min - 1));
        assertThat(drain(panes)).hasSize(3); // windows ending at +5, +10, +15
        OperatorSubtaskState snapshot = checkpoint(panes, 1);
        panes.close();

        panes = harness(false, snapshot);
        panes.processElement(
                new ItemInteraction("i1", "c1", 3), base + 7 * min); // late, a new pane
        panes.processWatermark(new Watermark(base + 20 * min - 1));
        assertThat(drain(panes))
                .containsExactly((base + 20 * min) + " i1 c1 5.0 @" + (base + 20 * min - 1));
    }
}
