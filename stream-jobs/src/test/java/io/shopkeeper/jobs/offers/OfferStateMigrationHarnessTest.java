package io.shopkeeper.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.offers.OfferState.PendingCart;
import io.shopkeeper.jobs.profile.ProfileDocuments;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.offers.CampaignCodec;
import io.shopkeeper.schemas.offers.Caps;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Upgrading across the offer state's hand-written serializer: a savepoint whose offer states were
 * written by Flink's POJO serializer (every version before it, facts as JSON text) restores on
 * RocksDB, the states are migrated, and a pending reminder fires with the kept facts, caps still
 * count, and the migrated state restores again.
 */
class OfferStateMigrationHarnessTest {
    private static final Duration TTL = Duration.ofDays(400);
    private static final long T0 = OfferDecisionHarnessTest.T0.toEpochMilli();

    /** {@link OfferState} as Flink's POJO serializer wrote it before (its type, recorded). */
    static TypeSerializer<OfferState> pojoSerializer() throws Exception {
        List<PojoField> fields = new ArrayList<>();
        for (String name :
                List.of(
                        "assigned",
                        "open",
                        "pendingCarts",
                        "cartItems",
                        "productOnScreen",
                        "facts",
                        "offersExpireAt",
                        "lastOrderAt")) {
            Field f = OfferState.class.getDeclaredField(name);
            fields.add(new PojoField(f, TypeExtractor.createTypeInfo(f.getGenericType())));
        }
        PojoTypeInfo<OfferState> info = new PojoTypeInfo<>(OfferState.class, fields);
        assertThat(info.toString())
                .isEqualTo(
                        "PojoType<io.shopkeeper.jobs.offers.OfferState, fields = [assigned:"
                                + " NullableList<PojoType<io.shopkeeper.jobs.offers.OfferState$AssignedEntry,"
                                + " fields = [at: Long, campaignId: String]>>, cartItems:"
                                + " NullableList<String>, facts: String, lastOrderAt: Long,"
                                + " offersExpireAt: Long, open:"
                                + " NullableList<PojoType<io.shopkeeper.jobs.offers.OfferState$OpenEntry,"
                                + " fields = [campaignId: String, converted: Boolean, couponCode:"
                                + " String, decidedAt: Long, offerId: String, treated: Boolean,"
                                + " windowEnd: Long]>>, pendingCarts:"
                                + " NullableList<PojoType<io.shopkeeper.jobs.offers.OfferState$PendingCart,"
                                + " fields = [campaignId: String, fireAt: Long]>>,"
                                + " productOnScreen: String]>");
        TypeSerializer<OfferState> serializer =
                info.createSerializer(
                        new org.apache.flink.api.common.serialization.SerializerConfigImpl());
        assertThat(serializer).isInstanceOf(PojoSerializer.class);
        return serializer;
    }

    /** The decision operator's state as earlier versions declared it: same name, TTL, timers. */
    static final class PojoStateWriter extends KeyedProcessFunction<String, OfferState, Void> {
        private transient ValueState<OfferState> states;

        @Override
        public void open(OpenContext openContext) throws Exception {
            ValueStateDescriptor<OfferState> descriptor =
                    new ValueStateDescriptor<>("offers", pojoSerializer());
            descriptor.enableTimeToLive(StateTtl.afterLastWrite(TTL));
            states = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(OfferState s, Context ctx, Collector<Void> out)
                throws Exception {
            states.update(s);
            for (PendingCart p : s.getPendingCarts())
                ctx.timerService().registerEventTimeTimer(p.getFireAt());
        }
    }

    @Test
    void statesWrittenByThePojoSerializerAreMigratedAndCarryOn() throws Exception {
        String facts =
                EventCodec.encodeToString(
                        ProfileFacts.of(
                                ProfileDocuments.of(
                                        OfferDecisionHarnessTest.profile("cust-c", true))));
        OfferState carted = new OfferState();
        carted.getCartItems().add("i1");
        carted.getPendingCarts().add(new PendingCart("cart-reminder", T0 + 1_800_000));
        carted.setFacts(facts);
        OfferState capped = new OfferState();
        capped.getAssigned().add(new OfferState.AssignedEntry("bargain-coupon", T0));
        capped.setProductOnScreen("i2");
        capped.setFacts(facts);

        OperatorSubtaskState savepoint;
        try (KeyedOneInputStreamOperatorTestHarness<String, OfferState, Void> old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PojoStateWriter()),
                        s -> s.getProductOnScreen() == null ? "cust-c" : "cust-a",
                        Types.STRING,
                        1,
                        1,
                        0)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            old.processElement(carted, T0);
            old.processElement(capped, T0);
            savepoint = old.snapshot(1L, 1L);
        }

        OperatorSubtaskState migrated;
        try (var harness = operator(savepoint)) {
            OfferMoment left = OfferDecisionHarnessTest.left("cust-a", true, 3605);
            harness.processElement(left, left.getAt());
            harness.watermark(T0 + 1_800_000);
            assertThat(decisions(harness.extractOutputValues()))
                    .containsExactly("cust-a capped campaign_cap", "cust-c sent cart_abandoned");
            migrated = harness.snapshot(2L, 2L);
        }

        // The migrated state (now in the new form) restores again: the cap still counts.
        try (var harness = operator(migrated)) {
            OfferMoment viewed = OfferDecisionHarnessTest.viewed("cust-a", "i3", 7190);
            harness.processElement(viewed, viewed.getAt());
            OfferMoment left = OfferDecisionHarnessTest.left("cust-a", true, 7200);
            harness.processElement(left, left.getAt());
            assertThat(decisions(harness.extractOutputValues()))
                    .containsExactly("cust-a capped campaign_cap");
        }
    }

    private static org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<
                    String, OfferMoment, String, RedisWrite>
            operator(OperatorSubtaskState restored) throws Exception {
        var harness =
                new org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<
                        String, OfferMoment, String, RedisWrite>(
                        new org.apache.flink.streaming.api.operators.co
                                .CoBroadcastWithKeyedOperator<>(
                                new OfferDecisionFunction(
                                        new Caps.Global(3, Duration.ofDays(7)), 0, TTL),
                                List.of(CampaignBook.DEFINITIONS)),
                        OfferMoment::getVisitorId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.initializeState(restored);
        harness.open();
        for (String c :
                List.of(OfferDecisionHarnessTest.BARGAIN, OfferDecisionHarnessTest.REMINDER))
            harness.processBroadcastElement(
                    CampaignCodec.encode(
                            CampaignCodec.decode(c)
                                    .campaign()
                                    .withVersion(1, OfferDecisionHarnessTest.T0)),
                    0);
        return harness;
    }

    /** Each decision as "visitor outcome reason", in the order written. */
    private static List<String> decisions(List<RedisWrite> writes) throws Exception {
        List<String> decisions = new ArrayList<>();
        for (RedisWrite w : writes) {
            if (w.getOperation() != RedisWrite.Operation.SORTED_ADD) continue;
            Decision d = EventCodec.mapper().readValue(w.getMember(), Decision.class);
            String visitor = w.getKey().substring(RedisKeys.offerHistory("").length());
            decisions.add(visitor + " " + d.outcome().wireName() + " " + d.reason());
        }
        return decisions;
    }
}
