package io.shopkeeper.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.offers.CampaignCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The item -> interested visitors index: price drops and restocks reach recent viewers only. */
class ItemInterestHarnessTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final String PRICE_DROP =
            "{\"id\":\"drop\",\"name\":\"Drop\",\"trigger\":{\"type\":\"price_drop\"},"
                    + "\"offer\":{\"kind\":\"message\",\"message\":\"Cheaper now\"},"
                    + "\"holdoutPercent\":0,\"status\":\"live\"}";

    private KeyedBroadcastOperatorTestHarness<String, ItemSignal, String, OfferMoment> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    /** On RocksDB, as in the job: state read back is a copy, map entries are single keys. */
    private static KeyedBroadcastOperatorTestHarness<String, ItemSignal, String, OfferMoment>
            newHarness() throws Exception {
        return newHarness(new ItemInterestFunction(Duration.ofDays(30), Duration.ofDays(400)));
    }

    private static KeyedBroadcastOperatorTestHarness<String, ItemSignal, String, OfferMoment>
            newHarness(KeyedBroadcastProcessFunction<String, ItemSignal, String, OfferMoment> f)
                    throws Exception {
        KeyedBroadcastOperatorTestHarness<String, ItemSignal, String, OfferMoment> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(f, List.of(CampaignBook.DEFINITIONS)),
                        ItemSignal::getItemId,
                        Types.STRING,
                        1,
                        1,
                        0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private void definePriceDrop() throws Exception {
        harness.processBroadcastElement(
                CampaignCodec.encode(
                        CampaignCodec.decode(PRICE_DROP).campaign().withVersion(1, T0)),
                0);
    }

    private static long at(Duration d) {
        return T0.plus(d).toEpochMilli();
    }

    private void process(ItemSignal s) throws Exception {
        harness.processElement(s, s.getAt());
    }

    @Test
    void aPriceDropReachesTheRecentViewersOfTheItemAcrossARestore() throws Exception {
        harness = newHarness();
        harness.open();
        process(ItemSignal.interest("i1", "cust-early", at(Duration.ZERO), 50.0));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBroadcastElement(
                CampaignCodec.encode(
                        CampaignCodec.decode(PRICE_DROP).campaign().withVersion(1, T0)),
                0);
        process(ItemSignal.interest("i1", "cust-a", at(Duration.ofDays(1)), 50.0));
        process(ItemSignal.interest("i1", "cust-old", at(Duration.ofDays(2)), 50.0));
        process(ItemSignal.interest("i2", "cust-b", at(Duration.ofDays(2)), 10.0));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        process(ItemSignal.update("i1", at(Duration.ofDays(3)), 40.0, true));
        process(ItemSignal.update("i1", at(Duration.ofDays(3)), 45.0, true)); // a rise: nothing
        List<OfferMoment> moments = harness.extractOutputValues();
        assertThat(moments)
                .extracting(
                        OfferMoment::getVisitorId,
                        OfferMoment::getItemTrigger,
                        OfferMoment::getDropPercent)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cust-a", "price_drop", 20.0),
                        org.assertj.core.groups.Tuple.tuple("cust-old", "price_drop", 20.0));
        assertThat(moments.get(0).getInterestAt()).isEqualTo(at(Duration.ofDays(1)));

        // Interest older than the window is forgotten.
        process(ItemSignal.update("i1", at(Duration.ofDays(32)), 30.0, true));
        assertThat(harness.extractOutputValues()).hasSize(3);
    }

    @Test
    void aPopularItemReachesItsMostRecentViewersOnlyOldestFirstAcrossARestore() throws Exception {
        harness = newHarness();
        harness.open();
        definePriceDrop();
        // 1,234 visitors, some of them twice: more than the map keeps before it is cut back.
        int visitors = ItemInterestFunction.COMPACT_AT + 234;
        for (int v = 0; v < visitors; v++)
            process(ItemSignal.interest("i1", "v" + v, at(Duration.ofSeconds(v)), 50.0));
        process(ItemSignal.interest("i1", "v3", at(Duration.ofSeconds(visitors)), 50.0));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        process(ItemSignal.update("i1", at(Duration.ofDays(1)), 40.0, true));
        List<OfferMoment> moments = harness.extractOutputValues();
        List<String> expected = new ArrayList<>();
        for (int v = visitors - ItemInterestFunction.MAX_VISITORS + 1; v < visitors; v++)
            expected.add("v" + v);
        expected.add("v3"); // viewed again last
        assertThat(moments)
                .extracting(OfferMoment::getVisitorId)
                .containsExactlyElementsOf(expected);
        assertThat(moments.get(moments.size() - 1).getInterestAt())
                .isEqualTo(at(Duration.ofSeconds(visitors)));
        assertThat(moments).allSatisfy(m -> assertThat(m.getDropPercent()).isEqualTo(20.0));
    }

    @Test
    void theIndexOfEarlierVersionsIsMovedIntoTheMapAtRestore() throws Exception {
        harness = newHarness(new LegacyIndexWriter());
        harness.open();
        process(ItemSignal.interest("i1", "cust-a", at(Duration.ofDays(1)), 50.0));
        process(ItemSignal.interest("i1", "cust-b", at(Duration.ofDays(2)), 50.0));
        OperatorSubtaskState savepoint = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(savepoint);
        harness.open();
        definePriceDrop();
        process(ItemSignal.interest("i1", "cust-c", at(Duration.ofDays(3)), 50.0));
        process(ItemSignal.update("i1", at(Duration.ofDays(4)), 25.0, true));
        assertThat(harness.extractOutputValues())
                .extracting(OfferMoment::getVisitorId, OfferMoment::getDropPercent)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cust-a", 50.0),
                        org.assertj.core.groups.Tuple.tuple("cust-b", 50.0),
                        org.assertj.core.groups.Tuple.tuple("cust-c", 50.0));
    }

    /** Writes the index as earlier versions did: one {@code item-interest} value per item. */
    static final class LegacyIndexWriter
            extends KeyedBroadcastProcessFunction<String, ItemSignal, String, OfferMoment> {
        private transient ValueState<ItemInterestFunction.ItemInterest> state;

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<ItemInterestFunction.ItemInterest> d =
                    new ValueStateDescriptor<>(
                            ItemInterestFunction.LEGACY_STATE,
                            TypeInformation.of(ItemInterestFunction.ItemInterest.class));
            d.enableTimeToLive(StateTtl.afterLastWrite(Duration.ofDays(400)));
            state = getRuntimeContext().getState(d);
        }

        @Override
        public void processElement(ItemSignal s, ReadOnlyContext ctx, Collector<OfferMoment> out)
                throws Exception {
            ItemInterestFunction.ItemInterest item = state.value();
            if (item == null) item = new ItemInterestFunction.ItemInterest();
            item.getVisitors().add(s.getVisitorId());
            item.getAts().add(s.getAt());
            item.setPrice(s.getPrice());
            state.update(item);
        }

        @Override
        public void processBroadcastElement(String json, Context ctx, Collector<OfferMoment> out) {}
    }
}
