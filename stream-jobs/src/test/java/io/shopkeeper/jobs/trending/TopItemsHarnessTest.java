package io.shopkeeper.jobs.trending;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.ScoredItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The top-N step publishes, per group and window, the group's best totals (score descending, then
 * item id), whatever order the totals arrive in, across a restore. On RocksDB, as in the job.
 */
class TopItemsHarnessTest {
    static final int SIZE = 5;
    static final long MIN = 60_000;

    private KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, RedisWrite> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, RedisWrite>
            harness(OperatorSubtaskState restore) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ItemInteraction, RedisWrite> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new TopItemsFunction(SIZE, group -> "sk:trending:cat:" + group)),
                        ItemInteraction::getCategoryId,
                        Types.STRING);
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
        rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        h.setStateBackend(rocksDb);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    private static ItemInteraction total(String item, String category, double w, long end) {
        ItemInteraction t = new ItemInteraction(item, category, w);
        t.setWindowEnd(end);
        return t;
    }

    private Map<String, List<String>> published() {
        Map<String, List<String>> lists = new TreeMap<>();
        for (RedisWrite write : harness.extractOutputValues()) {
            RecommendationList list = write.getList();
            List<String> items = new ArrayList<>();
            for (ScoredItem item : list.getItems()) {
                items.add(item.getItemId() + "=" + item.getScore() + " " + item.getReason());
            }
            assertThat(lists.put(write.getKey() + "@" + list.getUpdatedAt(), items)).isNull();
        }
        harness.getOutput().clear();
        return lists;
    }

    @Test
    void eachWindowPublishesItsBestTotalsWhateverTheirOrderAcrossARestore() throws Exception {
        Random random = new Random(11);
        harness = harness(null);
        Map<String, List<ItemInteraction>> sent = new HashMap<>();
        Map<String, List<String>> lists = new TreeMap<>();
        long watermark = 0;
        for (int round = 0; round < 40; round++) {
            long end = (round + 1) * 5 * MIN;
            for (int i = 0; i < 300; i++) {
                // Windows still pending (this one and the next), many equal scores.
                long at = end + (random.nextInt(3) == 0 ? 5 * MIN : 0);
                String category = "c" + random.nextInt(3);
                ItemInteraction t =
                        total("i" + random.nextInt(60), category, 1 + random.nextInt(12), at);
                String key = category + "@" + at;
                List<ItemInteraction> earlier = sent.computeIfAbsent(key, k -> new ArrayList<>());
                // One total per item and window, as the pane totals send them.
                if (earlier.stream().anyMatch(e -> e.getItemId().equals(t.getItemId()))) continue;
                earlier.add(t);
                harness.processElement(t, at - 1);
            }
            if (round == 20) {
                OperatorSubtaskState snapshot = harness.snapshot(1, 1);
                harness.close();
                harness = harness(snapshot);
            }
            watermark = end;
            harness.processWatermark(new Watermark(watermark));
            lists.putAll(published());
        }
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        lists.putAll(published());

        Map<String, List<String>> expected = new TreeMap<>();
        sent.forEach(
                (key, totals) -> {
                    String[] parts = key.split("@");
                    expected.put(
                            "sk:trending:cat:" + parts[0] + "@" + parts[1],
                            totals.stream()
                                    .sorted(
                                            Comparator.comparingDouble(ItemInteraction::getWeight)
                                                    .reversed()
                                                    .thenComparing(ItemInteraction::getItemId))
                                    .limit(SIZE)
                                    .map(
                                            t ->
                                                    t.getItemId()
                                                            + "="
                                                            + t.getWeight()
                                                            + " trending_in:"
                                                            + parts[0])
                                    .toList());
                });
        assertThat(lists).hasSize(3 * 41).isEqualTo(expected);
    }

    @Test
    void theStoreWideListSaysTrending() throws Exception {
        harness = harness(null);
        harness.processElement(total("i1", TopItemsFunction.ALL, 2, 5 * MIN), 5 * MIN - 1);
        harness.processWatermark(new Watermark(5 * MIN));
        assertThat(published())
                .containsExactly(
                        Map.entry("sk:trending:cat:all@" + 5 * MIN, List.of("i1=2.0 trending")));
    }

    /**
     * An upstream subtask that was idle fires its windows only when the watermark reaches it, after
     * the others moved this step's watermark past those windows: its totals come after the window
     * is due. They are merged into the window's list and published at once, and no later watermark
     * is needed for that (an idle store may send none).
     */
    @Test
    void totalsArrivingAfterTheirWindowIsDueArePublishedAtOnceInTheWindowsList() throws Exception {
        harness = harness(null);
        harness.processWatermark(new Watermark(10 * MIN));
        harness.processElement(total("t1", "c9", 4, 5 * MIN), 5 * MIN - 1);
        assertThat(published())
                .containsExactly(
                        Map.entry(
                                "sk:trending:cat:c9@" + 5 * MIN, List.of("t1=4.0 trending_in:c9")));
        harness.processElement(total("t2", "c9", 6, 5 * MIN), 5 * MIN - 1);
        assertThat(published())
                .containsExactly(
                        Map.entry(
                                "sk:trending:cat:c9@" + 5 * MIN,
                                List.of("t2=6.0 trending_in:c9", "t1=4.0 trending_in:c9")));
        // An older window than the list out is not published over it.
        harness.processElement(total("t3", "c9", 9, 4 * MIN), 4 * MIN - 1);
        harness.processWatermark(new Watermark(11 * MIN));
        assertThat(published()).isEmpty();
    }

    /**
     * A late total of a window published on time joins that list, across a restore: the list is not
     * replaced by one holding the late total alone.
     */
    @Test
    void aLateTotalJoinsTheListPublishedOnTimeAcrossARestore() throws Exception {
        harness = harness(null);
        harness.processElement(total("i1", "c1", 3, 5 * MIN), 5 * MIN - 1);
        harness.processElement(total("i2", "c1", 2, 5 * MIN), 5 * MIN - 1);
        harness.processWatermark(new Watermark(5 * MIN));
        assertThat(published())
                .containsExactly(
                        Map.entry(
                                "sk:trending:cat:c1@" + 5 * MIN,
                                List.of("i1=3.0 trending_in:c1", "i2=2.0 trending_in:c1")));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();
        harness = harness(snapshot);
        harness.processWatermark(new Watermark(5 * MIN));
        harness.processElement(total("i3", "c1", 2.5, 5 * MIN), 5 * MIN - 1);
        harness.processWatermark(new Watermark(6 * MIN));
        assertThat(published())
                .containsExactly(
                        Map.entry(
                                "sk:trending:cat:c1@" + 5 * MIN,
                                List.of(
                                        "i1=3.0 trending_in:c1",
                                        "i3=2.5 trending_in:c1",
                                        "i2=2.0 trending_in:c1")));
        // A late total that ranks after a full list changes nothing.
        for (int i = 4; i < 4 + SIZE; i++) {
            harness.processElement(total("i" + i, "c1", 10 + i, 5 * MIN), 5 * MIN - 1);
        }
        harness.getOutput().clear();
        harness.processElement(total("i0", "c1", 1, 5 * MIN), 5 * MIN - 1);
        assertThat(published()).isEmpty();
    }
}
