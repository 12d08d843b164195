package io.shopkeeper.jobs.items;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.jobs.visitor.RankingRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Upgrading across the item model's hand-written serializer: a savepoint whose models were written
 * by Flink's POJO serializer (every version before it) restores on RocksDB, the models are
 * migrated, and every item answers and learns exactly as if nothing had changed; the migrated state
 * restores again.
 */
class ItemModelStateMigrationHarnessTest {
    private static final SessionRecommender RECOMMENDER =
            new SessionRecommender(RecommenderConfig.defaults());
    private static final Duration TTL = Duration.ofDays(30);
    private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e", "f", "g", "h");

    /** The item models' state as earlier versions declared it: a POJO, same name and TTL. */
    static final class PojoModelWriter
            extends KeyedProcessFunction<String, ItemMessage, NeighboursReply> {
        private transient ValueState<ItemModel> models;

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<ItemModel> descriptor =
                    new ValueStateDescriptor<>("item-model", ItemModel.class);
            descriptor.enableTimeToLive(StateTtl.afterLastWrite(TTL));
            models = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(ItemMessage message, Context ctx, Collector<NeighboursReply> out)
                throws Exception {
            ItemModel model = models.value();
            if (model == null) model = new ItemModel();
            for (ItemUpdate update : message.getUpdates())
                RECOMMENDER.apply(model, update, message.getEventTime());
            models.update(model);
        }
    }

    @Test
    void modelsWrittenByThePojoSerializerAreMigratedAndCarryOn() throws Exception {
        Random random = new Random(17);
        List<ItemMessage> before = sessions(random, 0, 40);
        List<ItemMessage> after = sessions(random, 40, 20);

        OperatorSubtaskState savepoint;
        try (var old = harness(new KeyedProcessOperator<>(new PojoModelWriter()))) {
            old.open();
            for (ItemMessage m : before) old.processElement(m, m.getEventTime());
            savepoint = old.snapshot(1L, 1L);
        }

        List<byte[]> migrated;
        OperatorSubtaskState again;
        try (var upgraded = harness(operator())) {
            upgraded.initializeState(savepoint);
            upgraded.open();
            for (ItemMessage m : after) upgraded.processElement(m, m.getEventTime());
            migrated = answers(upgraded);
            again = upgraded.snapshot(2L, 2L);
        }
        List<byte[]> restoredAgain;
        try (var restored = harness(operator())) {
            restored.initializeState(again);
            restored.open();
            restoredAgain = answers(restored);
        }

        List<byte[]> expected;
        try (var fresh = harness(operator())) {
            fresh.open();
            for (ItemMessage m : before) fresh.processElement(m, m.getEventTime());
            for (ItemMessage m : after) fresh.processElement(m, m.getEventTime());
            expected = answers(fresh);
        }
        assertThat(expected).hasSize(ITEMS.size());
        assertThat(expected.get(0).length).as("a learned snapshot").isGreaterThan(100);
        assertThat(migrated).containsExactlyElementsOf(expected);
        assertThat(restoredAgain).containsExactlyElementsOf(expected);
    }

    /** A small cache, so models are read from and written back to RocksDB throughout. */
    private static ItemModelOperator operator() {
        return new ItemModelOperator(RECOMMENDER, TTL, Duration.ofHours(1), Duration.ZERO, 2);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemMessage, NeighboursReply>
            harness(OneInputStreamOperator<ItemMessage, NeighboursReply> operator)
                    throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, ItemMessage::getItemId, Types.STRING, 1, 1, 0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** Each item's snapshot bytes as a request gets them, in the order of {@link #ITEMS}. */
    private static List<byte[]> answers(
            KeyedOneInputStreamOperatorTestHarness<String, ItemMessage, NeighboursReply> h)
            throws Exception {
        int from = h.extractOutputValues().size();
        for (String item : ITEMS) {
            RankingRequest request =
                    new RankingRequest("v", new ArrayList<>(List.of(item)), new ArrayList<>(), 1L);
            h.processElement(ItemMessage.lookup(item, request), 1L);
        }
        List<NeighboursReply> replies = h.extractOutputValues();
        return replies.subList(from, replies.size()).stream()
                .map(NeighboursReply::getEncodedNeighbours)
                .toList();
    }

    /**
     * The learning steps of {@code count} random sessions, grouped per item as the job sends them.
     */
    private static List<ItemMessage> sessions(Random random, int first, int count) {
        List<ItemMessage> messages = new ArrayList<>();
        long time = 1_700_000_000_000L + first * 3_600_000L;
        for (int s = first; s < first + count; s++) {
            List<String> session = new ArrayList<>();
            int length = 2 + random.nextInt(6);
            for (int i = 0; i < length; i++) {
                session.add(ITEMS.get(random.nextInt(ITEMS.size())));
                time += 1_000 + random.nextInt(120_000);
                Map<String, ItemMessage> byItem = new LinkedHashMap<>();
                for (ItemUpdate update : RECOMMENDER.updatesFor("v" + s + "/s", session)) {
                    final long at = time;
                    byItem.computeIfAbsent(update.getItemId(), item -> new ItemMessage(item, at))
                            .getUpdates()
                            .add(update);
                }
                messages.addAll(byItem.values());
            }
        }
        return messages;
    }
}
