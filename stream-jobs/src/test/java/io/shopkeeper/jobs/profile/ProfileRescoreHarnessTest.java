package io.shopkeeper.jobs.profile;

import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.rfm.RfmRescorePolicy;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * New cut points that move materially rescore every profile of the subtask, with no event for them:
 * the profile is written and the membership change announced only where something changed.
 */
class ProfileRescoreHarnessTest {
    private static final ProfileSettings SETTINGS = ProfileSettings.defaults();

    /**
     * No rate limit unless a test says otherwise; the material-move threshold is the default one.
     */
    private static final RfmRescorePolicy EVERY_MATERIAL_MOVE = new RfmRescorePolicy(0.15, 7, 1);

    private static final List<Double> FREQUENCY = List.of(1.0, 1.0, 2.0, 3.0);
    private static final List<Double> LAST_ORDER_DAY =
            List.of(20_000.0, 20_300.0, 20_350.0, 20_380.0);

    private ProfileHarness harness;

    /** The Redis writes the updates so far turn into ({@link ProfileOutputs#redisWrites}). */
    private List<RedisWrite> writes() {
        return harness.extractOutputValues().stream()
                .flatMap(u -> ProfileOutputs.redisWrites(u).stream())
                .toList();
    }

    private List<SegmentChange> changes() {
        return harness.extractOutputValues().stream()
                .flatMap(u -> ProfileOutputs.segmentChanges(u).stream())
                .toList();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    private static ProfileHarness newHarness(RfmRescorePolicy policy, boolean rocksDb)
            throws Exception {
        ProfileFunction function =
                new ProfileFunction(SETTINGS, SegmentEvaluator.defaults())
                        .withRescorePolicy(policy);
        ProfileHarness h = new ProfileHarness(function);
        if (rocksDb) h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private void open(RfmRescorePolicy policy, boolean rocksDb) throws Exception {
        harness = newHarness(policy, rocksDb);
        harness.open();
    }

    private static RfmCutPoints cuts(long sequence, double... monetary) {
        RfmCutPoints cuts = new RfmCutPoints();
        cuts.setCustomers(100);
        cuts.setSequence(sequence);
        cuts.setMonetary(java.util.Arrays.stream(monetary).boxed().toList());
        cuts.setFrequency(FREQUENCY);
        cuts.setLastOrderDay(LAST_ORDER_DAY);
        return cuts;
    }

    private void process(ShopEvent event) throws Exception {
        harness.processElement(
                VisitorEvent.live(event.visitorKey(), event), event.eventTimeMillis());
    }

    private void broadcast(RfmCutPoints cuts) throws Exception {
        harness.processBroadcastElement(cuts, 0);
    }

    private void clearOutputs() {
        harness.getOutput().clear();
    }

    private List<RedisWrite> profileWrites() {
        return writes().stream().filter(w -> w.getProfile() != null).toList();
    }

    private List<String> segmentChanges() {
        return changes().stream()
                .map(c -> c.getVisitorId() + (c.isJoined() ? " +" : " -") + c.getSegment())
                .toList();
    }

    /** cust-big spent 300, cust-small 10; both placed their only order at the start. */
    private void twoCustomers() throws Exception {
        process(ordered("cust-big", "s1", "o1", seconds(0), line("i1", "shoes", 2, 150.0)));
        process(ordered("cust-small", "s2", "o2", seconds(5), line("i2", "socks", 1, 10.0)));
    }

    @Test
    void aQuietVipLeavesWhenTheStoreOutgrowsThemWithoutAnyNewEvent() throws Exception {
        leavesVip(false);
    }

    @Test
    void theRescoreWorksOnRocksDbToo() throws Exception {
        leavesVip(true);
    }

    private void leavesVip(boolean rocksDb) throws Exception {
        open(EVERY_MATERIAL_MOVE, rocksDb);
        twoCustomers();
        assertThat(profileWrites())
                .allMatch(w -> w.getProfile().getMonetaryScore() == null); // no distribution yet
        clearOutputs();

        // The first cut points ever rescore everyone: cust-big is in the top 20%.
        broadcast(cuts(1, 20, 40, 80, 160));
        assertThat(profileWrites())
                .extracting(RedisWrite::getKey)
                .containsExactlyInAnyOrder(
                        RedisKeys.profile("cust-big"), RedisKeys.profile("cust-small"));
        assertThat(segmentChanges()).containsExactly("cust-big +vip");
        clearOutputs();

        // The store grew: 300 is now in the fourth quintile. No event for anyone.
        long watermark = seconds(3600).toEpochMilli();
        harness.watermark(watermark);
        clearOutputs();
        broadcast(cuts(2, 50, 100, 200, 400));

        List<RedisWrite> writes = profileWrites();
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).getKey()).isEqualTo(RedisKeys.profile("cust-big"));
        assertThat(writes.get(0).getEventsApplied()).isZero();
        ProfileDocument big = writes.get(0).getProfile();
        assertThat(big.getMonetaryScore()).isEqualTo(4);
        assertThat(big.getSegments()).doesNotContain("vip");
        assertThat(segmentChanges()).containsExactly("cust-big -vip");
        SegmentChange leave = changes().get(0);
        assertThat(leave.getAt())
                .as("event time: the operator's watermark, not the wall clock")
                .isEqualTo(watermark);
        assertThat(writes())
                .anyMatch(
                        w ->
                                w.getOperation() == RedisWrite.Operation.SET_REMOVE
                                        && w.getKey().equals(RedisKeys.segmentMembers("vip"))
                                        && w.getMember().equals("cust-big"));
        assertThat(writes())
                .anyMatch(
                        w ->
                                w.getOperation() == RedisWrite.Operation.SET_REMOVE
                                        && w.getKey().equals(RedisKeys.memberships("cust-big"))
                                        && w.getMember().equals("vip"));

        // The state holds the new score: cust-big's next event does not announce the leave again.
        clearOutputs();
        process(viewed("cust-big", "s3", "i3", "shoes", seconds(3700)));
        assertThat(profileWrites().get(0).getProfile().getMonetaryScore()).isEqualTo(4);
        assertThat(segmentChanges()).isEmpty();
    }

    @Test
    void aMoveBelowTheThresholdRescoresNobody() throws Exception {
        open(EVERY_MATERIAL_MOVE, false);
        process(ordered("cust-edge", "s1", "o1", seconds(0), line("i1", "shoes", 1, 162.0)));
        broadcast(cuts(1, 20, 40, 80, 160));
        clearOutputs();

        // Every boundary 5% up: rescoring would take cust-edge (162 > 160, < 168) out of vip, but
        // the
        // move is not material, so nobody is read or written; cust-edge catches up at its next
        // event.
        broadcast(cuts(2, 21, 42, 84, 168));
        assertThat(writes()).isEmpty();
        assertThat(segmentChanges()).isEmpty();

        process(viewed("cust-edge", "s2", "i2", "shoes", seconds(60)));
        assertThat(profileWrites().get(0).getProfile().getMonetaryScore()).isEqualTo(4);
        assertThat(segmentChanges()).containsExactly("cust-edge -vip");
    }

    @Test
    void aMaterialMoveWaitsForTheRateLimitAndIsMeasuredFromTheLastFullRescore() throws Exception {
        open(new RfmRescorePolicy(0.15, 7, 3), false);
        twoCustomers();
        broadcast(cuts(1, 20, 40, 80, 160));
        clearOutputs();

        broadcast(
                cuts(
                        2, 50, 100, 200,
                        400)); // material, but only one update since the last full rescore
        broadcast(cuts(3, 50, 100, 200, 400));
        assertThat(writes()).isEmpty();

        broadcast(
                cuts(
                        4, 50, 100, 200,
                        400)); // three updates since: the held-back move is applied now
        assertThat(profileWrites())
                .extracting(RedisWrite::getKey)
                .containsExactly(RedisKeys.profile("cust-big"));
        assertThat(segmentChanges()).containsExactly("cust-big -vip");
    }

    @Test
    void anonymousAndExpiredVisitorsAreNotTouched() throws Exception {
        open(EVERY_MATERIAL_MOVE, false);
        harness.setStateTtlProcessingTime(0);
        process(ordered("cust-expired", "s0", "o0", seconds(0), line("i0", "shoes", 1, 500.0)));
        harness.setStateTtlProcessingTime(
                SETTINGS.profileTtl().toMillis() + 1); // cust-expired's state is past its TTL
        harness.setProcessingTime(SETTINGS.profileTtl().toMillis() + 1); // and in the cache
        process(viewed("anon-browsing", "s1", "i1", "shoes", seconds(10)));
        process(ordered("anon-gone", "s2", "o2", seconds(20), line("i2", "shoes", 1, 500.0)));
        process(ordered("cust-live", "s3", "o3", seconds(30), line("i3", "shoes", 1, 500.0)));
        // anon-gone never comes back: forgotten when the anonymous TTL passes.
        harness.watermark(seconds(20).plus(SETTINGS.anonymousTtl()).toEpochMilli());
        assertThat(writes())
                .anyMatch(
                        w ->
                                w.getKey().equals(RedisKeys.profile("anon-gone"))
                                        && w.payload() == null);
        process(
                viewed(
                        "anon-live",
                        "s4",
                        "i4",
                        "shoes",
                        seconds(40).plus(SETTINGS.anonymousTtl())));
        clearOutputs();

        broadcast(cuts(1, 20, 40, 80, 160));
        assertThat(profileWrites())
                .extracting(RedisWrite::getKey)
                .containsExactly(RedisKeys.profile("cust-live"));
        assertThat(segmentChanges()).containsExactly("cust-live +vip");
        assertThat(writes())
                .noneMatch(
                        w ->
                                w.getKey().contains("anon-")
                                        || w.getKey().contains("cust-expired")
                                        || "anon-gone".equals(w.getMember())
                                        || "cust-expired".equals(w.getMember()));
    }

    @Test
    void theLastRescoredCutPointsSurviveARestore() throws Exception {
        open(EVERY_MATERIAL_MOVE, false);
        twoCustomers();
        broadcast(cuts(1, 20, 40, 80, 160));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness(EVERY_MATERIAL_MOVE, false);
        harness.initializeState(snapshot);
        harness.open();
        broadcast(
                cuts(2, 21, 42, 84, 168)); // small against the restored "last rescored" cut points
        assertThat(writes()).isEmpty();

        broadcast(cuts(3, 50, 100, 200, 400));
        assertThat(profileWrites())
                .extracting(RedisWrite::getKey)
                .containsExactly(RedisKeys.profile("cust-big"));
        assertThat(segmentChanges()).containsExactly("cust-big -vip");
    }
}
