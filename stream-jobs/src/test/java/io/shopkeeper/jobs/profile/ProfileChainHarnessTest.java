package io.shopkeeper.jobs.profile;

import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The profile step chained after the event-time order ({@link ProfileHarness}): the cut points
 * reach every subtask whatever key groups it holds, and a savepoint of the two-input operator that
 * ran {@link ProfileFunction} before ({@code keyed.connect(cutPoints).process(function)}, uid
 * {@code profiles}) restores into it with its profiles, its cut points (broadcast state) and its
 * timers, and every visitor goes on exactly as one that never stopped.
 */
class ProfileChainHarnessTest {
    private static final ProfileSettings SETTINGS = ProfileSettings.defaults();

    private static RfmCutPoints cuts() {
        RfmCutPoints cuts = new RfmCutPoints();
        cuts.setCustomers(100);
        cuts.setMonetary(List.of(20.0, 40.0, 80.0, 160.0));
        cuts.setFrequency(List.of(1.0, 1.0, 2.0, 3.0));
        cuts.setLastOrderDay(List.of(20_000.0, 20_300.0, 20_350.0, 20_380.0));
        return cuts;
    }

    private static ProfileFunction function() {
        return new ProfileFunction(SETTINGS, SegmentEvaluator.defaults());
    }

    private static final List<ShopEvent> BEFORE =
            List.of(
                    viewed("cust-a", "s1", "i1", "c1", seconds(0)),
                    ordered("cust-a", "s1", "o-1", seconds(30), line("i1", "c1", 2, 150.0)),
                    viewed("anon-b", "s2", "i2", "c2", seconds(40)));
    private static final List<ShopEvent> AFTER =
            List.of(
                    viewed("cust-a", "s1", "i3", "c1", seconds(60)),
                    viewed("anon-b", "s2", "i1", "c1", seconds(70)));

    /** After the events: past every session's end, so the restored timers must fire. */
    private static final long LATER = seconds(60 * 60 * 24).toEpochMilli();

    @Test
    void aSavepointOfTheTwoInputProfileStepRestoresIntoTheChainedOne() throws Exception {
        List<ProfileUpdate> expected;
        try (ProfileHarness neverStopped = new ProfileHarness(function())) {
            neverStopped.setStateBackend(new EmbeddedRocksDBStateBackend());
            neverStopped.open();
            neverStopped.processBroadcastElement(cuts(), 0);
            for (ShopEvent e : BEFORE) send(neverStopped, e);
            int before = neverStopped.extractOutputValues().size();
            for (ShopEvent e : AFTER) send(neverStopped, e);
            neverStopped.watermark(LATER);
            List<ProfileUpdate> all = neverStopped.extractOutputValues();
            expected = all.subList(before, all.size());
        }

        OperatorSubtaskState savepoint;
        int timers;
        try (KeyedBroadcastOperatorTestHarness<String, VisitorEvent, RfmCutPoints, ProfileUpdate>
                old =
                        new KeyedBroadcastOperatorTestHarness<>(
                                new CoBroadcastWithKeyedOperator<>(
                                        function(), List.of(ProfileFunction.CUT_POINTS)),
                                VisitorEvent::getVisitorKey,
                                Types.STRING,
                                1,
                                1,
                                0)) {
            old.setStateBackend(new EmbeddedRocksDBStateBackend());
            old.open();
            old.processBroadcastElement(cuts(), 0);
            for (ShopEvent e : BEFORE)
                old.processElement(VisitorEvent.live(e.visitorKey(), e), e.eventTimeMillis());
            timers = old.numEventTimeTimers();
            savepoint = old.snapshot(1L, 1L);
        }
        assertThat(timers).as("each visitor's session end").isEqualTo(2);

        try (ProfileHarness restored = new ProfileHarness(function())) {
            restored.setStateBackend(new EmbeddedRocksDBStateBackend());
            restored.initializeState(savepoint);
            restored.open();
            assertThat(restored.numEventTimeTimers()).isEqualTo(timers);
            for (ShopEvent e : AFTER) send(restored, e);
            restored.watermark(LATER);
            List<ProfileUpdate> updates = restored.extractOutputValues();

            assertThat(updates).hasSize(expected.size()).hasSizeGreaterThan(AFTER.size());
            assertThat(updates).usingRecursiveFieldByFieldElementComparator().isEqualTo(expected);
            assertThat(updates.get(0).getDocument().getMonetaryScore())
                    .as("scored against the restored cut points")
                    .isEqualTo(5);
            assertThat(updates.get(0).getProfilesDelta()).as("not a new profile").isZero();
        }
    }

    @Test
    void theCutPointsReachEverySubtaskWhateverKeyGroupsItHolds() throws Exception {
        int maxParallelism = 128;
        for (int subtask = 0; subtask < 2; subtask++) {
            try (ProfileHarness harness =
                    new ProfileHarness(function(), maxParallelism, 2, subtask)) {
                harness.setStateBackend(new EmbeddedRocksDBStateBackend());
                harness.open();
                harness.processBroadcastElement(cuts(), 0);
                String customer = customerOfSubtask(subtask, maxParallelism);
                send(
                        harness,
                        ordered(customer, "s1", "o-1", seconds(0), line("i1", "c1", 2, 150.0)));

                List<ProfileUpdate> updates = harness.extractOutputValues();
                assertThat(updates).hasSize(1);
                assertThat(updates.get(0).getDocument().getMonetaryScore())
                        .as("subtask %d scored against the cut points", subtask)
                        .isEqualTo(5);
            }
        }
    }

    /** A customer id whose key group the subtask holds (of 2, at {@code maxParallelism}). */
    private static String customerOfSubtask(int subtask, int maxParallelism) {
        for (int i = 0; ; i++) {
            String customer = "cust-" + i;
            int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(customer, maxParallelism);
            if (KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(maxParallelism, 2, keyGroup)
                    == subtask) return customer;
        }
    }

    private static void send(ProfileHarness harness, ShopEvent e) throws Exception {
        harness.processElement(VisitorEvent.live(e.visitorKey(), e), e.eventTimeMillis());
    }
}
