package io.shopkeeper.jobs.profile;

import static io.shopkeeper.jobs.testing.ShopEvents.T0;
import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.checkoutStarted;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageLeft;
import static io.shopkeeper.jobs.testing.ShopEvents.pageView;
import static io.shopkeeper.jobs.testing.ShopEvents.searched;
import static io.shopkeeper.jobs.testing.ShopEvents.sortedBy;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

/**
 * A visitor's events released at once (a backlog: {@code EventTimeOrder} lets a watermark release
 * many sessions of one visitor before Flink fires any timer) give exactly the updates the same
 * events give live, where the watermark passes every session's end before the next session starts:
 * each session ends at its end timer with its signals evaluated there, quiet customers move on in
 * their lifecycle, an anonymous visitor past the anonymous TTL is forgotten first. Each step is
 * compared: kind, time, session ended, both flags, segment changes, event and session counts. On
 * RocksDB, as in the job.
 */
class ProfileBacklogHarnessTest {
    private static final ProfileSettings SETTINGS = ProfileSettings.defaults();
    private static final long GAP = SETTINGS.sessionGap().toMillis();

    private static ProfileHarness newHarness() throws Exception {
        ProfileFunction function = new ProfileFunction(SETTINGS, SegmentEvaluator.defaults());
        var harness = new ProfileHarness(function);
        // As in the job: every read is a copy, so each emitted update keeps its own profile.
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        return harness;
    }

    /**
     * A bargain hunter's weeks, as a customer: a session left at the checkout total (the price flag
     * turns on at that session's end), a sort by price, coupon searches, an order, then 40 quiet
     * days (at risk) and a return.
     */
    private static List<ShopEvent> bargainHunter(String visitor) {
        List<ShopEvent> events = new ArrayList<>();
        Instant s1 = T0;
        events.add(viewed(visitor, "s1", "i1", "shoes", s1));
        events.add(carted(visitor, "s1", "i1", "shoes", s1.plusSeconds(30)));
        events.add(checkoutStarted(visitor, "s1", s1.plusSeconds(60)));
        events.add(pageLeft(visitor, "s1", s1.plusSeconds(65)));
        Instant s2 = s1.plus(Duration.ofHours(3));
        events.add(sortedBy(visitor, "s2", "price_asc", s2));
        events.add(viewed(visitor, "s2", "i2", "shoes", s2.plusSeconds(5)));
        events.add(pageLeft(visitor, "s2", s2.plusSeconds(8)));
        Instant s3 = s1.plus(Duration.ofDays(1));
        events.add(searched(visitor, "s3", "shoes coupon", 12, s3));
        events.add(viewed(visitor, "s3", "i3", "shoes", s3.plusSeconds(20)));
        events.add(ordered(visitor, "s3", "o1", s3.plusSeconds(90), line("i3", "shoes", 1, 20)));
        Instant s4 = s3.plus(Duration.ofDays(40));
        events.add(pageView(visitor, "s4", "home", s4));
        events.add(viewed(visitor, "s4", "i4", "bags", s4.plusSeconds(15)));
        return events;
    }

    /** Live: the watermark reaches each event's time before the event. */
    private static List<String> live(List<ShopEvent> events) throws Exception {
        try (var harness = newHarness()) {
            harness.open();
            for (ShopEvent e : events) {
                harness.watermark(e.eventTimeMillis() - 1);
                process(harness, e);
            }
            harness.watermark(lastSessionEnd(events));
            return steps(harness.extractOutputValues());
        }
    }

    /** Backlog: every event first, then one watermark past the last session's end. */
    private static List<String> backlog(List<ShopEvent> events) throws Exception {
        try (var harness = newHarness()) {
            harness.open();
            for (ShopEvent e : events) process(harness, e);
            harness.watermark(lastSessionEnd(events));
            return steps(harness.extractOutputValues());
        }
    }

    private static long lastSessionEnd(List<ShopEvent> events) {
        return events.get(events.size() - 1).eventTimeMillis() + GAP;
    }

    private static void process(ProfileHarness harness, ShopEvent e) throws Exception {
        harness.processElement(VisitorEvent.live(e.visitorKey(), e), e.eventTimeMillis());
    }

    /** Each update in words: what the job writes and says about it. */
    private static List<String> steps(List<ProfileUpdate> updates) {
        return updates.stream()
                .map(
                        u -> {
                            CustomerProfile p = u.getProfile();
                            return u.getKind()
                                    + " at "
                                    + Duration.ofMillis(u.getAt() - T0.toEpochMilli())
                                    + (u.isSessionEnded() ? " ended " + u.getEndedSessionId() : "")
                                    + (p == null
                                            ? ""
                                            : " events="
                                                    + p.getEvents()
                                                    + " sessions="
                                                    + p.getSessions()
                                                    + " price="
                                                    + p.getPriceSensitive().isFlagged()
                                                    + " drift="
                                                    + p.getDrifting().isFlagged()
                                                    + " lifecycle="
                                                    + p.getLifecycle())
                                    + " "
                                    + ProfileOutputs.segmentChanges(u).stream()
                                            .map(c -> (c.isJoined() ? "+" : "-") + c.getSegment())
                                            .toList();
                        })
                .toList();
    }

    @Test
    void aBacklogGivesTheLiveStepsSessionEndsAndLifecycleIncluded() throws Exception {
        List<ShopEvent> events = bargainHunter("cust-bargain");
        List<String> live = live(events);

        assertThat(backlog(events)).containsExactlyElementsOf(live);
        // The scenario is worth comparing: the flag turns on at the first session's end timer,
        // and the quiet weeks move the customer to at risk on a timer, before the return.
        String firstEnd = "TIMER at " + Duration.ofSeconds(65).plusMillis(GAP) + " ended s1";
        assertThat(live)
                .filteredOn(s -> s.startsWith(firstEnd))
                .singleElement()
                .asString()
                .contains("price=true", "+price_sensitive");
        assertThat(live).anyMatch(s -> s.startsWith("TIMER") && s.contains("+at_risk"));
    }

    @Test
    void timersFiredBeforeAnEventAreNotFiredAgainByTheWatermark() throws Exception {
        List<ShopEvent> events = bargainHunter("cust-bargain");
        try (var live = newHarness();
                var backlog = newHarness()) {
            live.open();
            backlog.open();
            for (ShopEvent e : events) {
                live.watermark(e.eventTimeMillis() - 1);
                process(live, e);
                process(backlog, e);
            }
            int written = backlog.extractOutputValues().size();
            // The watermark passes the times already fired: nothing happens again.
            backlog.watermark(events.get(events.size() - 1).eventTimeMillis() - 1);
            assertThat(backlog.extractOutputValues()).hasSize(written);
            // The timers left (some set before the visitor's steps moved later) give the same
            // steps from here on as live's.
            int liveWritten = live.extractOutputValues().size();
            long yearLater = events.get(events.size() - 1).eventTimeMillis() + 365L * 86_400_000;
            live.watermark(yearLater);
            backlog.watermark(yearLater);
            List<String> liveSteps = steps(live.extractOutputValues());
            List<String> backlogSteps = steps(backlog.extractOutputValues());
            List<String> liveAfter = liveSteps.subList(liveWritten, liveSteps.size());
            assertThat(liveAfter).isNotEmpty();
            assertThat(backlogSteps.subList(written, backlogSteps.size()))
                    .containsExactlyElementsOf(liveAfter);
        }
    }

    @Test
    void aBacklogSpanningARestoreGivesTheLiveSteps() throws Exception {
        List<ShopEvent> events = bargainHunter("cust-bargain");
        int half = 5; // restored in the middle of the second session
        List<String> restored = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var harness = newHarness()) {
            harness.open();
            for (ShopEvent e : events.subList(0, half)) process(harness, e);
            snapshot = harness.snapshot(1L, 1L);
            restored.addAll(steps(harness.extractOutputValues()));
        }
        try (var harness = newHarness()) {
            harness.initializeState(snapshot);
            harness.open();
            for (ShopEvent e : events.subList(half, events.size())) process(harness, e);
            harness.watermark(lastSessionEnd(events));
            restored.addAll(steps(harness.extractOutputValues()));
        }
        assertThat(restored).containsExactlyElementsOf(live(events));
    }

    @Test
    void anAnonymousVisitorPastTheAnonymousTtlIsForgottenBeforeTheirNextEvent() throws Exception {
        Instant back = T0.plus(SETTINGS.anonymousTtl()).plus(Duration.ofDays(1));
        List<ShopEvent> events =
                List.of(
                        viewed("anon-away", "s1", "i1", "shoes", T0),
                        viewed("anon-away", "s2", "i2", "shoes", back));
        List<String> backlog = backlog(events);

        assertThat(backlog).containsExactlyElementsOf(live(events));
        assertThat(backlog)
                .anyMatch(s -> s.startsWith("FORGOTTEN"))
                .anyMatch(s -> s.startsWith("EVENT") && s.contains("events=1 sessions=1"));
    }
}
