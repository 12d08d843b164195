package io.shopkeeper.jobs.signals;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.profile.ProfileUpdater;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Drives the {@link SignalEngine} over one visitor's events the way the profile operator does,
 * without Flink: for every event the profile rules, then {@code observe} with the profile's
 * category affinity, then both evaluations; the session-end timer ({@code lastSeen + sessionGap} in
 * event time, or a new session id) calls {@code sessionEnded} followed by both evaluations. The
 * last session's timer fires after the last event. Used by the signal benchmark and tests.
 */
public final class SignalReplay {

    /**
     * One evaluation: after event {@code eventIndex} (or at its session's end timer), both signals.
     */
    public record Step(
            int eventIndex,
            long at,
            boolean sessionEnd,
            String sessionId,
            SignalState priceSensitive,
            SignalState drifting) {}

    /** Receives every evaluation in order. */
    @FunctionalInterface
    public interface Listener {
        void onStep(Step step);
    }

    /** The visitor's state at the end of a replay. */
    public record Result(
            CustomerProfile profile,
            SignalEvidence evidence,
            SignalState priceSensitive,
            SignalState drifting,
            int maxEvidenceBytes) {}

    private final SignalEngine engine;
    private final Duration sessionGap;
    private final Duration affinityHalfLife;

    public SignalReplay(SignalEngine engine, Duration sessionGap, Duration affinityHalfLife) {
        this.engine = engine;
        this.sessionGap = sessionGap;
        this.affinityHalfLife = affinityHalfLife;
    }

    /** The operator's defaults: 30-minute sessions, 14-day affinity half-life. */
    public static SignalReplay defaults() {
        return new SignalReplay(new SignalEngine(), Duration.ofMinutes(30), Duration.ofDays(14));
    }

    /** Replays {@code events} (one visitor, event-time order); {@code listener} may be null. */
    public Result replay(List<ShopEvent> events, Listener listener) {
        ProfileUpdater updater = new ProfileUpdater(affinityHalfLife, sessionGap);
        CustomerProfile profile = new CustomerProfile();
        SignalEvidence evidence = new SignalEvidence();
        SignalState price = new SignalState();
        SignalState drift = new SignalState();
        long gap = sessionGap.toMillis();
        String session = null;
        long lastSeen = 0;
        int maxBytes = 0;
        for (int i = 0; i < events.size(); i++) {
            ShopEvent e = events.get(i);
            long at = e.eventTimeMillis();
            // As the operator does (ProfileUpdater.isLateLeave): a page_leave outside the running
            // session is dropped.
            boolean inSession =
                    session != null && session.equals(e.getSessionId()) && at - lastSeen <= gap;
            if (e.getType() == EventType.PAGE_LEAVE && !inSession) continue;
            boolean timerDue = session != null && lastSeen > 0 && at > lastSeen + gap;
            boolean newSessionId =
                    session != null
                            && e.getSessionId() != null
                            && !Objects.equals(session, e.getSessionId());
            if (timerDue || newSessionId) {
                long end = timerDue ? lastSeen + gap : at;
                engine.sessionEnded(evidence, end);
                updater.endSession(profile);
                price = engine.priceSensitivity(evidence, price, end);
                drift = engine.drifting(evidence, drift, end);
                if (listener != null)
                    listener.onStep(new Step(i - 1, end, true, session, price, drift));
                session = null;
            }
            updater.apply(profile, e);
            engine.observe(evidence, e, profile.getCategoryAffinity());
            price = engine.priceSensitivity(evidence, price, at);
            drift = engine.drifting(evidence, drift, at);
            if (e.getSessionId() != null) session = e.getSessionId();
            lastSeen = Math.max(lastSeen, at);
            if (listener != null) listener.onStep(new Step(i, at, false, session, price, drift));
            if ((i & 63) == 0 || i == events.size() - 1)
                maxBytes = Math.max(maxBytes, SignalSizes.jsonBytes(evidence));
        }
        if (session != null) {
            long end = lastSeen + gap;
            engine.sessionEnded(evidence, end);
            updater.endSession(profile);
            price = engine.priceSensitivity(evidence, price, end);
            drift = engine.drifting(evidence, drift, end);
            if (listener != null)
                listener.onStep(new Step(events.size() - 1, end, true, session, price, drift));
        }
        maxBytes = Math.max(maxBytes, SignalSizes.jsonBytes(evidence));
        return new Result(profile, evidence, price, drift, maxBytes);
    }
}
