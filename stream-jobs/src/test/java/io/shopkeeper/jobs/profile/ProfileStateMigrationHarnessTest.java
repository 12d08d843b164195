package io.shopkeeper.jobs.profile;

import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * Upgrading across the profile's hand-written serializer: a savepoint whose profiles were written
 * by Flink's POJO serializer (every version before it) restores on RocksDB, the profiles are
 * migrated, and each visitor goes on exactly as if nothing had changed.
 */
class ProfileStateMigrationHarnessTest {
    private static final ProfileSettings SETTINGS = JobConfig.builder().build().profileSettings();

    /** The profile operator's state as earlier versions declared it: a POJO, same name and TTL. */
    static final class PojoProfileWriter
            extends KeyedProcessFunction<String, VisitorEvent, ProfileUpdate> {
        private final VisitorStep step = new VisitorStep(SETTINGS, SegmentEvaluator.defaults());
        private transient ValueState<CustomerProfile> profiles;

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<CustomerProfile> descriptor =
                    new ValueStateDescriptor<>("profile", CustomerProfile.class);
            descriptor.enableTimeToLive(StateTtl.afterLastWrite(SETTINGS.profileTtl()));
            profiles = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(VisitorEvent event, Context ctx, Collector<ProfileUpdate> out)
                throws Exception {
            CustomerProfile profile = profiles.value();
            if (profile == null) profile = new CustomerProfile();
            step.onEvent(ctx.getCurrentKey(), profile, event.getEvent(), true, null);
            profiles.update(profile);
        }
    }

    @Test
    void profilesWrittenByThePojoSerializerAreMigratedAndCarryOn() throws Exception {
        List<ShopEvent> before =
                List.of(
                        viewed("cust-m", "s1", "i1", "c1", seconds(0)),
                        viewed("cust-m", "s1", "i2", "c2", seconds(20)),
                        ordered("cust-m", "s1", "o-1", seconds(40), line("i2", "c2", 1, 19.5)));
        ShopEvent after = viewed("cust-m", "s1", "i3", "c1", seconds(60));

        OperatorSubtaskState savepoint;
        try (KeyedOneInputStreamOperatorTestHarness<String, VisitorEvent, ProfileUpdate> old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PojoProfileWriter()),
                        VisitorEvent::getVisitorKey,
                        Types.STRING,
                        1,
                        1,
                        0)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            for (ShopEvent e : before)
                old.processElement(VisitorEvent.live("cust-m", e), e.eventTimeMillis());
            savepoint = old.snapshot(1L, 1L);
        }

        try (ProfileHarness harness =
                new ProfileHarness(new ProfileFunction(SETTINGS, SegmentEvaluator.defaults()))) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
            harness.initializeState(savepoint);
            harness.open();
            harness.processElement(VisitorEvent.live("cust-m", after), after.eventTimeMillis());

            List<ProfileUpdate> updates = harness.extractOutputValues();
            assertThat(updates).hasSize(1);
            assertThat(updates.get(0).getProfilesDelta()).as("not a new profile").isZero();
            CustomerProfile migrated = updates.get(0).getProfile();
            assertThat(migrated.getEvents()).isEqualTo(4);
            assertThat(migrated.getOrders()).isEqualTo(1);
            assertThat(migrated.getRecentViews()).containsExactly("i3", "i2", "i1");
            assertThat(migrated)
                    .usingRecursiveComparison()
                    .isEqualTo(replayed("cust-m", before, after));
        }
    }

    /** The profile the same events give without any restore. */
    private static CustomerProfile replayed(
            String visitor, List<ShopEvent> before, ShopEvent after) {
        VisitorStep step = new VisitorStep(SETTINGS, SegmentEvaluator.defaults());
        CustomerProfile profile = new CustomerProfile();
        for (ShopEvent e : before) step.onEvent(visitor, profile, e, true, null);
        step.onEvent(visitor, profile, after, true, null);
        return profile;
    }
}
