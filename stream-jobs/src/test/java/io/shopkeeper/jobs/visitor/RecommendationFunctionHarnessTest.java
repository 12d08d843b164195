package io.shopkeeper.jobs.visitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemNeighbours;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.jobs.types.WriteBackCoProcessOperator;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The visitor's list is ranked from the latest neighbours of every item of the current session,
 * across a restore, and the neighbours of items that left the session are dropped (on RocksDB, as
 * in the job). Run by the job's operator, which has the function keep its bookkeeping on the heap
 * until a barrier; the subclasses run it with room for one visitor on the heap ({@link
 * RecommendationFunctionEvictingHarnessTest}) and by Flink's own operator, writing through ({@link
 * RecommendationFunctionWriteThroughHarnessTest}).
 */
class RecommendationFunctionHarnessTest {
    private static final SessionRecommender RECOMMENDER = new SessionRecommender();
    private static final Duration TTL = Duration.ofHours(1);
    private static final int SIZE = 5;

    private final Map<String, ItemModel> models = new HashMap<>();
    private KeyedTwoInputStreamOperatorTestHarness<
                    String, NeighboursReply, ForgetVisitor, RedisWrite>
            harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    /** The operator that runs the function: the job's. */
    KeyedCoProcessOperator<String, NeighboursReply, ForgetVisitor, RedisWrite> operator(
            RecommendationFunction function) {
        return new WriteBackCoProcessOperator<>(function);
    }

    private void open(OperatorSubtaskState restore) throws Exception {
        open(restore, 0);
    }

    private void open(OperatorSubtaskState restore, long wallClock) throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        operator(
                                new RecommendationFunction(RECOMMENDER, SIZE, TTL)
                                        .withTombstonesOnHeap(1)),
                        (NeighboursReply r) -> r.getRequest().getVisitorId(),
                        ForgetVisitor::getVisitorId,
                        Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.setProcessingTime(wallClock);
        if (restore != null) harness.initializeState(restore);
        harness.open();
    }

    /** Item models trained on sessions over items i0..i29, so every item has neighbours. */
    private void train() {
        for (int s = 0; s < 60; s++) {
            List<String> session = new ArrayList<>();
            for (int k = 0; k < 5; k++) session.add("i" + ((s * 7 + k * 3) % 30));
            for (int n = 1; n <= session.size(); n++)
                for (ItemUpdate u : RECOMMENDER.updatesFor("t" + s + "/s", session.subList(0, n)))
                    RECOMMENDER.apply(
                            models.computeIfAbsent(u.getItemId(), x -> new ItemModel()),
                            u,
                            1000L * s + n);
        }
    }

    private ItemNeighbours neighbours(String item) {
        return RECOMMENDER.neighbours(item, models.getOrDefault(item, new ItemModel()));
    }

    private RedisWrite view(String visitor, String session, List<String> items, long at)
            throws Exception {
        List<RedisWrite> out = reply(visitor, session, items, at);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    /**
     * What the operator writes for the visitor's reply to the view of the last of {@code items}.
     */
    private List<RedisWrite> reply(String visitor, String session, List<String> items, long at)
            throws Exception {
        RankingRequest request = new RankingRequest(visitor, items, List.of(), at);
        request.setSessionId(visitor + "/" + session);
        harness.processElement1(
                new NeighboursReply(request, neighbours(items.get(items.size() - 1))), at);
        List<RedisWrite> out = new ArrayList<>(harness.extractOutputValues());
        harness.getOutput().clear();
        return out;
    }

    /** A checkpoint as the task takes it: the barrier is prepared, then the state snapshot. */
    private OperatorSubtaskState checkpoint(long id) throws Exception {
        harness.prepareSnapshotPreBarrier(id);
        return harness.snapshot(id, id);
    }

    /** The list ranked from every session item's neighbours, as the operator should rank it. */
    private static List<String> expected(
            String visitor, String session, List<String> items, Map<String, ItemNeighbours> n) {
        List<String> ids = new ArrayList<>();
        for (ScoredItem i :
                RECOMMENDER.rankForVisitor(visitor + "/" + session, items, n::get, SIZE)) {
            ids.add(i.getItemId());
        }
        return ids;
    }

    private List<String> heldItems(String visitor) throws Exception {
        MapStateDescriptor<String, byte[]> descriptor =
                new MapStateDescriptor<>(
                        RecommendationFunction.NEIGHBOURS_STATE,
                        Types.STRING,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        descriptor.enableTimeToLive(StateTtl.afterLastWrite(TTL));
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(visitor);
        MapState<String, byte[]> map =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
        List<String> keys = new ArrayList<>();
        for (String key : map.keys()) keys.add(key);
        keys.sort(null);
        return keys;
    }

    @Test
    void theListComesFromEverySessionItemAndItemsThatLeftTheSessionAreDropped() throws Exception {
        train();
        open(null);
        Map<String, ItemNeighbours> latest = new HashMap<>();
        List<String> session = new ArrayList<>();
        for (String item : List.of("i1", "i4", "i7")) {
            session.add(item);
            latest.put(item, neighbours(item));
            RedisWrite write = view("v1", "s1", new ArrayList<>(session), 10_000L);
            assertThat(write.getKey()).isEqualTo(RedisKeys.recommendations("v1"));
            assertThat(write.getList().getItems())
                    .extracting(ScoredItem::getItemId)
                    .isNotEmpty()
                    .containsExactlyElementsOf(expected("v1", "s1", session, latest));
        }
        view("v2", "s1", List.of("i2"), 10_000L);
        assertThat(heldItems("v1")).containsExactly("i1", "i4", "i7");

        OperatorSubtaskState snapshot = checkpoint(1);
        harness.close();
        open(snapshot);
        session.add("i10");
        latest.put("i10", neighbours("i10"));
        assertThat(view("v1", "s1", new ArrayList<>(session), 20_000L).getList().getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactlyElementsOf(expected("v1", "s1", session, latest));
        assertThat(heldItems("v1")).containsExactly("i1", "i10", "i4", "i7");

        // A new session: only its items are kept.
        assertThat(view("v1", "s2", List.of("i13"), 3_600_000L).getList().getItems())
                .extracting(ScoredItem::getItemId)
                .containsExactlyElementsOf(
                        expected("v1", "s2", List.of("i13"), Map.of("i13", neighbours("i13"))));
        assertThat(heldItems("v1")).containsExactly("i13");
        assertThat(heldItems("v2")).containsExactly("i2");

        harness.processElement2(new ForgetVisitor("v1", List.of(), 3_700_000L), 3_700_000L);
        assertThat(heldItems("v1")).isEmpty();
    }

    @Test
    void aForgetOutlivesARestoreAndTheHeapsRoomUntilItsStateExpires() throws Exception {
        train();
        open(null);
        view("v1", "s1", List.of("i1"), 10_000L);
        harness.processElement2(new ForgetVisitor("v1", List.of("a1"), 20_000L), 20_000L);
        harness.getOutput().clear();
        assertThat(reply("v1", "s1", List.of("i1", "i4"), 15_000L))
                .as("a reply of an event before the forget")
                .isEmpty();
        // Room for one forget on the heap: v2's pushes v1's out, which is then read from the state.
        harness.processElement2(new ForgetVisitor("v2", List.of(), 20_000L), 20_000L);
        harness.getOutput().clear();
        assertThat(reply("v1", "s1", List.of("i1", "i4"), 16_000L)).isEmpty();
        assertThat(reply("v2", "s1", List.of("i1"), 17_000L)).isEmpty();

        OperatorSubtaskState snapshot = checkpoint(1);
        harness.close();
        open(snapshot, 60_000L);
        assertThat(reply("v1", "s1", List.of("i1", "i4", "i7"), 19_000L))
                .as("after the restore, the forget is read from the state")
                .isEmpty();
        assertThat(heldItems("v1")).isEmpty();
        assertThat(view("v1", "s2", List.of("i10"), 21_000L).getKey())
                .isEqualTo(RedisKeys.recommendations("v1"));

        // Once the tombstones have expired (TTL, processing time) an old event ranks again.
        harness.setProcessingTime(60_000L + TTL.toMillis() + 1);
        assertThat(reply("v1", "s1", List.of("i1", "i4"), 15_000L)).hasSize(1);
    }
}
