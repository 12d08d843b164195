package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.launcher.personas.Persona;
import io.shopkeeper.launcher.personas.PersonaLabel;
import io.shopkeeper.launcher.personas.PlantedVisitor;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mapping the job's segment changes onto a visitor's events, and the outcome computed from it. */
class SignalJobRunTest {
    private static final long GAP = 30 * 60_000L;
    private static final long HOUR = 3_600_000L;

    /** Two sessions: events 0..2 at 0, 1, 2 min; events 3..4 at 3 h, 3 h + 1 min. */
    private static PlantedVisitor visitor(int priceOnset, String onsetSession) {
        List<ShopEvent> events = new ArrayList<>();
        long[] times = {0, 60_000, 120_000, 3 * HOUR, 3 * HOUR + 60_000};
        for (int i = 0; i < times.length; i++) {
            ShopEvent e = new ShopEvent();
            e.setEventId("e" + i);
            e.setType(EventType.PAGE_VIEW);
            e.setTimestamp(Instant.ofEpochMilli(1_000_000_000_000L + times[i]));
            e.setSessionId(i < 3 ? "s1" : "s2");
            e.setCustomerId("c");
            events.add(e);
        }
        return new PlantedVisitor(
                new PersonaLabel(
                        "c",
                        Persona.EXIT_AT_PRICE,
                        priceOnset,
                        onsetSession,
                        -1,
                        null,
                        onsetSession),
                events);
    }

    private static SegmentChange change(PlantedVisitor v, boolean joined, long at) {
        return new SegmentChange("c", SignalJobRun.PRICE_SEGMENT, joined, at);
    }

    @Test
    void changeAtSessionEndTimerBelongsToThatSession() {
        PlantedVisitor v = visitor(0, "s1");
        long end1 = v.events().get(2).eventTimeMillis() + GAP;
        SignalJobRun.MappingStats stats = new SignalJobRun.MappingStats();
        List<SignalBenchmark.FlagStep> steps =
                SignalJobRun.timeline(
                        v, List.of(change(v, true, end1)), SignalJobRun.PRICE_SEGMENT, GAP, stats);

        // after e0, e1, e2, end of s1, after e3, e4, end of s2
        assertThat(steps)
                .extracting(SignalBenchmark.FlagStep::on)
                .containsExactly(false, false, false, true, true, true, true);
        assertThat(steps.get(3).sessionEnd()).isTrue();
        assertThat(steps.get(3).sessionId()).isEqualTo("s1");
        assertThat(stats.atSessionEnd).isEqualTo(1);
        assertThat(stats.elsewhere).isZero();

        SignalBenchmark.Outcome o = SignalBenchmark.outcome(steps, 0, "s1", 2);
        assertThat(o.flaggedAfterOnset()).isTrue();
        assertThat(o.eventsToFlag()).isEqualTo(3);
        assertThat(o.withinOnsetSession()).isTrue();
        assertThat(o.byBehaviourSessionEnd()).isTrue();
    }

    @Test
    void changeAtAnEventIsThatEventAndLeavingTurnsTheFlagOff() {
        PlantedVisitor v = visitor(3, "s2");
        long e1 = v.events().get(1).eventTimeMillis();
        long e4 = v.events().get(4).eventTimeMillis();
        SignalJobRun.MappingStats stats = new SignalJobRun.MappingStats();
        // Given out of order on purpose: the topic has two partitions.
        List<SignalBenchmark.FlagStep> steps =
                SignalJobRun.timeline(
                        v,
                        List.of(
                                change(v, true, e4),
                                change(v, true, e1),
                                change(v, false, e1 + 60_000)),
                        SignalJobRun.PRICE_SEGMENT,
                        GAP,
                        stats);

        assertThat(steps)
                .extracting(SignalBenchmark.FlagStep::on)
                .containsExactly(false, true, false, false, false, true, true);
        assertThat(stats.atEvent).isEqualTo(3);
        assertThat(stats.notToggling).isZero();

        SignalBenchmark.Outcome o = SignalBenchmark.outcome(steps, 3, "s2", 4);
        assertThat(o.flaggedBeforeOnset()).isTrue();
        assertThat(o.eventsToFlag()).isEqualTo(2);
        assertThat(o.withinOnsetSession()).isTrue();
    }

    @Test
    void sessionEndedReadsTheStoredProfile() {
        assertThat(SignalJobRun.sessionEnded("{\"lastSeen\":5,\"currentSessionId\":null}", 5))
                .isTrue();
        assertThat(SignalJobRun.sessionEnded("{\"lastSeen\":5}", 5)).isTrue();
        assertThat(SignalJobRun.sessionEnded("{\"lastSeen\":5,\"currentSessionId\":\"s\"}", 5))
                .isFalse();
        assertThat(SignalJobRun.sessionEnded("{\"lastSeen\":4}", 5)).isFalse();
        assertThat(SignalJobRun.sessionEnded(null, 5)).isFalse();
    }
}
