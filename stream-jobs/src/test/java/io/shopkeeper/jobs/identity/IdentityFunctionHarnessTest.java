package io.shopkeeper.jobs.identity;

import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityFunctionHarnessTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, VisitorEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, VisitorEvent>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IdentityFunction(Duration.ofDays(30))),
                ShopEvent::getAnonymousId,
                Types.STRING);
    }

    private void process(ShopEvent e) throws Exception {
        harness.processElement(e, e.eventTimeMillis());
    }

    private static ShopEvent login(String anonymousId, String customerId, long second) {
        ShopEvent e = viewed(anonymousId, "s-" + anonymousId, "x", "c", seconds(second));
        e.setType(EventType.LOGIN);
        e.setItemId(null);
        e.setCategoryId(null);
        e.setCustomerId(customerId);
        return e;
    }

    private List<String> routed() {
        return harness.extractOutputValues().stream()
                .map(
                        v ->
                                v.getKind()
                                        + ":"
                                        + v.getVisitorKey()
                                        + (v.getEvent().getItemId() == null
                                                ? ""
                                                : ":" + v.getEvent().getItemId()))
                .toList();
    }

    @Test
    void anonymousHistoryMovesIntoTheCustomerAtLoginAndLaterCookieEventsFollow() throws Exception {
        process(viewed("anon-a", "s1", "i1", "c1", seconds(0)));
        process(viewed("anon-a", "s1", "i2", "c1", seconds(10)));
        process(login("anon-a", "cust-1", 20));
        process(viewed("anon-a", "s1", "i3", "c1", seconds(30)));

        assertThat(routed())
                .containsExactly(
                        "EVENT:anon-a:i1",
                        "EVENT:anon-a:i2",
                        "REPLAY:cust-1:i1",
                        "REPLAY:cust-1:i2",
                        "MERGED_AWAY:anon-a",
                        "EVENT:cust-1",
                        "EVENT:cust-1:i3");
        assertThat(harness.extractOutputValues().get(6).getEvent().getCustomerId())
                .isEqualTo("cust-1");
    }

    @Test
    void idsPushedOffTheHeapKeepTheirPendingEventsAndLinks() throws Exception {
        process(viewed("anon-a", "s1", "i1", "c1", seconds(0)));
        process(viewed("anon-a", "s1", "i2", "c1", seconds(1)));
        process(login("anon-b", "cust-b", 2));
        for (int i = 0; i < IdentityFunction.IDS_ON_HEAP; i++)
            process(viewed("anon-other-" + i, "s", "i9", "c1", seconds(3)));
        harness.getOutput().clear();

        process(login("anon-a", "cust-a", 4));
        process(viewed("anon-b", "s2", "i3", "c1", seconds(5)));
        assertThat(routed())
                .containsExactly(
                        "REPLAY:cust-a:i1",
                        "REPLAY:cust-a:i2",
                        "MERGED_AWAY:anon-a",
                        "EVENT:cust-a",
                        "EVENT:cust-b:i3");
    }

    @Test
    void twoDevicesOfOneCustomerEndInOneProfile() throws Exception {
        process(viewed("anon-phone", "s1", "i1", "c1", seconds(0)));
        process(viewed("anon-laptop", "s2", "i2", "c1", seconds(5)));
        process(login("anon-phone", "cust-1", 10));
        process(login("anon-laptop", "cust-1", 20));

        assertThat(routed())
                .filteredOn(r -> r.startsWith("REPLAY"))
                .containsExactly("REPLAY:cust-1:i1", "REPLAY:cust-1:i2");
        assertThat(routed())
                .filteredOn(r -> r.startsWith("MERGED_AWAY"))
                .containsExactly("MERGED_AWAY:anon-phone", "MERGED_AWAY:anon-laptop");
    }

    @Test
    void anEarlierAnonymousEventArrivingAfterTheLoginGoesStraightToTheCustomer() throws Exception {
        process(login("anon-a", "cust-1", 20));
        process(
                viewed(
                        "anon-a",
                        "s1",
                        "i0",
                        "c1",
                        seconds(5))); // older, delivered late from another partition

        assertThat(routed())
                .containsExactly("MERGED_AWAY:anon-a", "EVENT:cust-1", "EVENT:cust-1:i0");
    }

    @Test
    void aSecondLoginDoesNotReplayHistoryAgain() throws Exception {
        process(viewed("anon-a", "s1", "i1", "c1", seconds(0)));
        process(login("anon-a", "cust-1", 10));
        process(login("anon-a", "cust-1", 20));
        assertThat(routed())
                .filteredOn(r -> r.startsWith("REPLAY"))
                .containsExactly("REPLAY:cust-1:i1");
    }

    @Test
    void theLinkSurvivesSnapshotAndRestore() throws Exception {
        process(login("anon-a", "cust-1", 10));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();

        process(viewed("anon-a", "s1", "i5", "c1", seconds(30)));
        assertThat(routed()).containsExactly("EVENT:cust-1:i5");
    }

    @Test
    void pendingHistoryIsCapped() throws Exception {
        for (int i = 0; i < IdentityFunction.MAX_PENDING + 20; i++)
            process(viewed("anon-a", "s1", "i" + i, "c1", seconds(i)));
        process(login("anon-a", "cust-1", 1000));
        assertThat(routed())
                .filteredOn(r -> r.startsWith("REPLAY"))
                .hasSize(IdentityFunction.MAX_PENDING)
                .first()
                .isEqualTo("REPLAY:cust-1:i20");
    }

    /**
     * The state an earlier version kept per anonymous id: the same names and TTL, the ring's events
     * in Flink's POJO form.
     */
    private static final class EarlierVersion
            extends KeyedProcessFunction<String, ShopEvent, VisitorEvent> {
        static final TypeInformation<ShopEvent> POJO_EVENT = TypeInformation.of(ShopEvent.class);
        private transient ValueState<Long> pendingCount;
        private transient MapState<Integer, ShopEvent> pendingRing;

        @Override
        public void open(OpenContext openContext) {
            var ttl = StateTtl.afterLastWrite(Duration.ofDays(30));
            ValueStateDescriptor<Long> count =
                    new ValueStateDescriptor<>("pending-count", Types.LONG);
            count.enableTimeToLive(ttl);
            MapStateDescriptor<Integer, ShopEvent> ring =
                    new MapStateDescriptor<>("pending-events", Types.INT, POJO_EVENT);
            ring.enableTimeToLive(ttl);
            ValueStateDescriptor<String> link =
                    new ValueStateDescriptor<>("linked-customer", Types.STRING);
            link.enableTimeToLive(ttl);
            getRuntimeContext().getState(link);
            pendingCount = getRuntimeContext().getState(count);
            pendingRing = getRuntimeContext().getMapState(ring);
        }

        @Override
        public void processElement(ShopEvent event, Context ctx, Collector<VisitorEvent> out)
                throws Exception {
            long count = pendingCount.value() == null ? 0 : pendingCount.value();
            pendingRing.put((int) (count % IdentityFunction.MAX_PENDING), event);
            pendingCount.update(count + 1);
        }
    }

    @Test
    void anonymousEventsAnEarlierVersionKeptAsPojosAreMigratedAndReplayedAtLogin()
            throws Exception {
        assertThat(EarlierVersion.POJO_EVENT.createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(PojoSerializer.class);
        ShopEvent first = viewed("anon-a", "s1", "i1", "c1", seconds(0));
        ShopEvent second = viewed("anon-a", "s1", "i2", "c1", seconds(10));
        second.setPrice(12.5);
        OperatorSubtaskState savepoint;
        try (KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, VisitorEvent> old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new EarlierVersion()),
                        ShopEvent::getAnonymousId,
                        Types.STRING)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            old.processElement(first, first.eventTimeMillis());
            old.processElement(second, second.eventTimeMillis());
            savepoint = old.snapshot(1L, 1L);
        }
        harness.close();
        harness = newHarness();
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.initializeState(savepoint);
        harness.open();

        process(login("anon-a", "cust-1", 20));
        process(viewed("anon-a", "s1", "i3", "c1", seconds(30)));

        assertThat(routed())
                .containsExactly(
                        "REPLAY:cust-1:i1",
                        "REPLAY:cust-1:i2",
                        "MERGED_AWAY:anon-a",
                        "EVENT:cust-1",
                        "EVENT:cust-1:i3");
        ShopEvent replayed = harness.extractOutputValues().get(1).getEvent();
        assertThat(replayed.getEventId()).isEqualTo(second.getEventId());
        assertThat(replayed.getPrice()).isEqualTo(12.5);
        assertThat(replayed.getCustomerId()).isEqualTo("cust-1");
    }
}
