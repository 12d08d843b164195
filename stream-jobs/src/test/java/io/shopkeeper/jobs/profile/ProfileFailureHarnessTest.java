package io.shopkeeper.jobs.profile;

import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.segments.SegmentDefinition;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: nothing makes the profile operator throw. An event the step fails on (here: a segment
 * condition that divides by zero for customers with orders) is dead-lettered with the reason and
 * counted; the visitor's state is as before the event, and later events are processed.
 */
class ProfileFailureHarnessTest {

    @Test
    void anEventTheStepFailsOnIsDeadLetteredAndTheVisitorGoesOn() throws Exception {
        SegmentEvaluator failing =
                new SegmentEvaluator(
                        List.of(
                                new SegmentDefinition(
                                        "broken",
                                        "fails for customers with orders",
                                        "orders > 0 && 1 / (orders - orders) > 0")));
        ProfileFunction function =
                new ProfileFunction(JobConfig.builder().build().profileSettings(), failing);
        try (ProfileHarness harness = new ProfileHarness(function)) {
            // As in production: RocksDB hands the operator a copy of the state, so a step that
            // fails half-way leaves nothing behind.
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
            harness.open();
            ShopEvent first = viewed("cust-x", "s1", "i1", "c1", seconds(0));
            ShopEvent order = ordered("cust-x", "s1", "o-1", seconds(10), line("i1", "c1", 1, 9.0));
            ShopEvent after = viewed("cust-x", "s1", "i2", "c1", seconds(20));
            for (ShopEvent e : List.of(first, order, after)) {
                harness.processElement(VisitorEvent.live("cust-x", e), e.eventTimeMillis());
            }

            List<ProfileUpdate> updates = harness.extractOutputValues();
            assertThat(updates).hasSize(2);
            CustomerProfile last = updates.get(1).getProfile();
            assertThat(last.getRecentViews()).containsExactly("i2", "i1");
            assertThat(last.getOrders()).isZero();

            List<DeadLetter> failed =
                    harness.getSideOutput(ProfileFunction.FAILED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).getReason()).startsWith("profiles: ");
            assertThat(failed.get(0).getPayload()).contains("\"orderId\":\"o-1\"");
            assertThat(failed.get(0).getSourceTopic()).isEqualTo("orders");
            assertThat(harness.getSideOutput(EventsDone.TAG))
                    .as("the failed event is done, for the progress counter")
                    .hasSize(1);
        }
    }
}
