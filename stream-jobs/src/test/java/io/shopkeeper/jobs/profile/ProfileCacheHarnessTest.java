package io.shopkeeper.jobs.profile;

import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageLeft;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.rfm.RfmRescorePolicy;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

/**
 * The profiles' write-back cache ({@code --profile.cache-size}) changes no output: with a cache
 * that holds every visitor, one that holds a single visitor (every other step evicts and writes
 * back), and none (every step reads and writes RocksDB, as before the cache), the same events,
 * timers and rescores give the same updates, and a checkpoint taken between them (the cache written
 * back before the barrier) restores into a job that goes on exactly as one that never stopped.
 * Subtask 0 of 2 at max parallelism 128, on RocksDB.
 */
class ProfileCacheHarnessTest {
    private static final int MAX_PARALLELISM = 128;

    /** Visitors of subtask 0: three customers and an anonymous visitor. */
    private static final List<String> VISITORS = visitorsOfSubtask0(4);

    private static final List<Object> BEFORE = new ArrayList<>();
    private static final List<Object> AFTER = new ArrayList<>();

    /** Past every session's end and lifecycle check of the first part. */
    private static final long LATER = seconds(60 * 60 * 24 * 3).toEpochMilli();

    static {
        String a = VISITORS.get(0), b = VISITORS.get(1), c = VISITORS.get(2);
        String anon = VISITORS.get(3);
        BEFORE.add(cuts(1, 20.0));
        BEFORE.add(viewed(a, "sa", "i1", "c1", seconds(0)));
        BEFORE.add(viewed(b, "sb", "i2", "c2", seconds(5)));
        BEFORE.add(carted(a, "sa", "i1", "c1", seconds(10)));
        BEFORE.add(viewed(anon, "sx", "i3", "c1", seconds(12)));
        BEFORE.add(ordered(a, "sa", "o-1", seconds(20), line("i1", "c1", 2, 150.0)));
        BEFORE.add(viewed(c, "sc", "i1", "c1", seconds(25)));
        BEFORE.add(pageLeft(b, "sb", seconds(26)));
        BEFORE.add(viewed(b, "sb", "i4", "c2", seconds(30)));
        BEFORE.add(ordered(c, "sc", "o-2", seconds(40), line("i2", "c2", 1, 30.0)));
        BEFORE.add(seconds(60 * 60).toEpochMilli()); // a watermark: sessions end
        BEFORE.add(viewed(a, "sa2", "i5", "c3", seconds(60 * 60 + 10)));
        BEFORE.add(cuts(400, 200.0)); // moved materially: every profile rescored
        BEFORE.add(viewed(anon, "sx2", "i1", "c1", seconds(60 * 60 + 20)));
        AFTER.add(viewed(a, "sa2", "i6", "c3", seconds(60 * 60 + 30)));
        AFTER.add(ordered(b, "sb2", "o-3", seconds(60 * 60 + 40), line("i4", "c2", 1, 90.0)));
        AFTER.add(viewed(c, "sc2", "i2", "c2", seconds(60 * 60 + 50)));
        AFTER.add(cuts(800, 30.0));
        AFTER.add(viewed(anon, "sx2", "i2", "c2", seconds(60 * 60 + 60)));
        AFTER.add(LATER);
    }

    @Test
    void everyCacheSizeGivesTheUpdatesOfNoCacheAcrossACheckpoint() throws Exception {
        List<ProfileUpdate> reference = neverStopped(0);
        assertThat(reference).hasSizeGreaterThan(BEFORE.size() + AFTER.size());

        for (int cacheSize : new int[] {0, 1, ProfileFunction.BACKFILL_CACHE_SIZE}) {
            assertThat(neverStopped(cacheSize))
                    .as("cache of %d, never stopped", cacheSize)
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(reference);
            assertThat(restoredBetween(cacheSize))
                    .as("cache of %d, restored from a checkpoint", cacheSize)
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(reference);
        }
    }

    @Test
    void aCacheForTheBacklogOnlyGivesTheUpdatesOfNoCacheAcrossACheckpoint() throws Exception {
        List<ProfileUpdate> reference = neverStopped(0);
        assertThat(neverStopped(BACKLOG_ONLY))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(reference);
        assertThat(restoredBetween(BACKLOG_ONLY))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(reference);
    }

    @Test
    void theBacklogsCacheIsWrittenBackAndEmptiedOnceTheWatermarkIsLive() throws Exception {
        // The harness's processing clock stays at 0 (1970), before every event: before the first
        // watermark the operator counts as in a backlog, at any watermark after that as live.
        ProfileFunction function = function(BACKLOG_ONLY);
        try (ProfileHarness harness = harness(function)) {
            harness.open();
            feed(harness, BEFORE.subList(0, 10));
            assertThat(function.cachedProfiles()).as("in the backlog").isEqualTo(4);
            harness.watermark(seconds(60 * 60).toEpochMilli());
            String a = VISITORS.get(0);
            harness.processElement(
                    VisitorEvent.live(a, viewed(a, "sa2", "i7", "c3", seconds(60 * 60 + 15))),
                    seconds(60 * 60 + 15).toEpochMilli());
            assertThat(function.cachedProfiles()).as("live").isZero();
            OperatorSubtaskState checkpoint = harness.snapshot(1L, 1L);
            try (ProfileHarness restored = harness(0)) {
                restored.initializeState(checkpoint);
                restored.open();
                String c = VISITORS.get(2);
                restored.processElement(
                        VisitorEvent.live(c, viewed(c, "sc2", "i2", "c2", seconds(60 * 60 + 50))),
                        seconds(60 * 60 + 50).toEpochMilli());
                ProfileUpdate update = restored.extractOutputValues().get(0);
                assertThat(update.getProfile().getOrders())
                        .as("the backlog's order was written back")
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void theCheckpointHoldsWhatTheCacheHeldNotWhatItLastEvicted() throws Exception {
        OperatorSubtaskState checkpoint;
        try (ProfileHarness harness = harness(ProfileFunction.BACKFILL_CACHE_SIZE)) {
            harness.open();
            feed(harness, BEFORE);
            checkpoint = harness.snapshot(1L, 1L);
        }
        try (ProfileHarness restored = harness(0)) {
            restored.initializeState(checkpoint);
            restored.open();
            String a = VISITORS.get(0);
            restored.processElement(
                    VisitorEvent.live(a, viewed(a, "sa2", "i7", "c3", seconds(60 * 60 + 15))),
                    seconds(60 * 60 + 15).toEpochMilli());

            ProfileUpdate update = restored.extractOutputValues().get(0);
            assertThat(update.getProfilesDelta()).as("the profile was in the checkpoint").isZero();
            assertThat(update.getProfile().getEvents()).as("with all four events").isEqualTo(5);
            assertThat(update.getProfile().getOrders()).isEqualTo(1);
        }
    }

    private static List<ProfileUpdate> neverStopped(int cacheSize) throws Exception {
        try (ProfileHarness harness = harness(cacheSize)) {
            harness.open();
            feed(harness, BEFORE);
            feed(harness, AFTER);
            return harness.extractOutputValues();
        }
    }

    private static List<ProfileUpdate> restoredBetween(int cacheSize) throws Exception {
        List<ProfileUpdate> updates = new ArrayList<>();
        OperatorSubtaskState checkpoint;
        try (ProfileHarness first = harness(cacheSize)) {
            first.open();
            feed(first, BEFORE);
            checkpoint = first.snapshot(1L, 1L);
            updates.addAll(first.extractOutputValues());
        }
        try (ProfileHarness restored = harness(cacheSize)) {
            restored.initializeState(checkpoint);
            restored.open();
            feed(restored, AFTER);
            updates.addAll(restored.extractOutputValues());
        }
        return updates;
    }

    /** No cache live, {@link ProfileFunction#BACKFILL_CACHE_SIZE} in a backlog. */
    private static final int BACKLOG_ONLY = -1;

    private static ProfileFunction function(int cacheSize) {
        ProfileFunction function =
                new ProfileFunction(ProfileSettings.defaults(), SegmentEvaluator.defaults());
        if (cacheSize == BACKLOG_ONLY)
            function.withCacheSize(0, ProfileFunction.BACKFILL_CACHE_SIZE, Duration.ofSeconds(15));
        else function.withCacheSize(cacheSize);
        return function.withRescorePolicy(new RfmRescorePolicy(0.15, 7, 0));
    }

    private static ProfileHarness harness(int cacheSize) throws Exception {
        return harness(function(cacheSize));
    }

    private static ProfileHarness harness(ProfileFunction function) throws Exception {
        ProfileHarness harness = new ProfileHarness(function, MAX_PARALLELISM, 2, 0);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        return harness;
    }

    private static void feed(ProfileHarness harness, List<Object> inputs) throws Exception {
        for (Object input : inputs) {
            if (input instanceof ShopEvent e)
                harness.processElement(VisitorEvent.live(e.visitorKey(), e), e.eventTimeMillis());
            else if (input instanceof RfmCutPoints cuts) harness.processBroadcastElement(cuts, 0);
            else harness.watermark((Long) input);
        }
    }

    private static RfmCutPoints cuts(long sequence, double spend) {
        RfmCutPoints cuts = new RfmCutPoints();
        cuts.setSequence(sequence);
        cuts.setCustomers(100);
        cuts.setMonetary(List.of(spend, spend * 2, spend * 4, spend * 8));
        cuts.setFrequency(List.of(1.0, 1.0, 2.0, 3.0));
        cuts.setLastOrderDay(List.of(20_000.0, 20_300.0, 20_350.0, 20_380.0));
        return cuts;
    }

    private static List<String> visitorsOfSubtask0(int n) {
        List<String> visitors = new ArrayList<>();
        for (int i = 0; visitors.size() < n; i++) {
            String visitor = visitors.size() < n - 1 ? "cust-" + i : "anon-" + i;
            int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(visitor, MAX_PARALLELISM);
            if (KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
                            MAX_PARALLELISM, 2, keyGroup)
                    == 0) visitors.add(visitor);
        }
        return visitors;
    }
}
