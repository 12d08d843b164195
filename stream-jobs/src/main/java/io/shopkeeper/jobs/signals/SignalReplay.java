package io.shopkeeper.jobs.signals;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.profile.ProfileSettings;
import io.shopkeeper.jobs.profile.ProfileUpdate;
import io.shopkeeper.jobs.profile.VisitorStep;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.schemas.ShopEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replays one visitor's events through the profile operator's own {@link VisitorStep}, without
 * Flink: every event, and every timer the operator would have set, fired in event time before the
 * first event after it (as a watermark passing it would). The last session's end timer fires after
 * the last event. Anonymous expiry is not replayed (a replay is one visitor's whole history). Used
 * by the signal benchmark, the signal explainer and tests.
 */
public final class SignalReplay {

    /**
     * One evaluation: after event {@code eventIndex} (or at its session's end), both signals, and
     * the profile (live: read it in the listener).
     */
    public record Step(
            int eventIndex,
            long at,
            boolean sessionEnd,
            String sessionId,
            SignalState priceSensitive,
            SignalState drifting,
            CustomerProfile profile) {}

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

    private final VisitorStep step;

    public SignalReplay(ProfileSettings settings) {
        this.step = new VisitorStep(settings, SegmentEvaluator.defaults());
    }

    /** The job's defaults (30-minute sessions, 14-day affinity half-life, ...). */
    public static SignalReplay defaults() {
        return new SignalReplay(ProfileSettings.defaults());
    }

    /** Replays {@code events} (one visitor, event-time order); {@code listener} may be null. */
    public Result replay(List<ShopEvent> events, Listener listener) {
        Listener out = listener != null ? listener : s -> {};
        CustomerProfile profile = new CustomerProfile();
        TreeSet<Long> timers = new TreeSet<>();
        String visitor = events.isEmpty() ? null : events.get(0).visitorKey();
        int maxBytes = 0;
        for (int i = 0; i < events.size(); i++) {
            ShopEvent e = events.get(i);
            long at = e.eventTimeMillis();
            // Dropped before anything else, as in the operator (where any timer before it has fired
            // already: the outcome is the same).
            if (step.isLateLeave(profile, e)) continue;
            fireTimers(visitor, profile, timers, at, i - 1, out);
            SignalState priceBefore = profile.getPriceSensitive();
            SignalState driftBefore = profile.getDrifting();
            long previousLastSeen = profile.getLastSeen();
            long previousLifecycleCheck = profile.getNextLifecycleCheck();
            ProfileUpdate update = step.onEvent(visitor, profile, e, true, null);
            if (update == null) continue;
            if (update.isSessionEnded()) {
                out.onStep(
                        new Step(
                                i - 1,
                                at,
                                true,
                                update.getEndedSessionId(),
                                priceBefore,
                                driftBefore,
                                profile));
            }
            reschedule(profile, timers, previousLastSeen, previousLifecycleCheck);
            out.onStep(
                    new Step(
                            i,
                            at,
                            false,
                            profile.getCurrentSessionId(),
                            profile.getPriceSensitive(),
                            profile.getDrifting(),
                            profile));
            if ((i & 63) == 0 || i == events.size() - 1)
                maxBytes = Math.max(maxBytes, SignalSizes.jsonBytes(profile.getEvidence()));
        }
        if (profile.getCurrentSessionId() != null) {
            long end = profile.getLastSeen() + step.settings().sessionGap().toMillis();
            fireTimers(visitor, profile, timers, end + 1, events.size() - 1, out);
        }
        maxBytes = Math.max(maxBytes, SignalSizes.jsonBytes(profile.getEvidence()));
        return new Result(
                profile,
                profile.getEvidence(),
                profile.getPriceSensitive(),
                profile.getDrifting(),
                maxBytes);
    }

    /** Fires, in time order, every pending timer before {@code before}, as the operator would. */
    private void fireTimers(
            String visitor,
            CustomerProfile profile,
            TreeSet<Long> timers,
            long before,
            int eventIndex,
            Listener out) {
        while (!timers.isEmpty() && timers.first() < before) {
            long t = timers.pollFirst();
            if (step.expires(profile, t)) continue; // anonymous expiry: not replayed
            long previousLifecycleCheck = profile.getNextLifecycleCheck();
            ProfileUpdate update = step.onTimer(visitor, profile, t, null);
            if (update == null) continue;
            if (profile.getNextLifecycleCheck() != previousLifecycleCheck
                    && profile.getNextLifecycleCheck() > 0) {
                timers.add(profile.getNextLifecycleCheck());
            }
            if (update.isSessionEnded()) {
                out.onStep(
                        new Step(
                                eventIndex,
                                t,
                                true,
                                update.getEndedSessionId(),
                                profile.getPriceSensitive(),
                                profile.getDrifting(),
                                profile));
            }
        }
    }

    /** The operator's timer moves after an event: delete the times no longer needed, add new. */
    private void reschedule(
            CustomerProfile profile,
            TreeSet<Long> timers,
            long previousLastSeen,
            long previousLifecycleCheck) {
        Set<Long> before =
                new HashSet<>(step.timerTimes(profile, previousLastSeen, previousLifecycleCheck));
        Set<Long> after =
                step.timerTimes(profile, profile.getLastSeen(), profile.getNextLifecycleCheck());
        for (long t : before) if (!after.contains(t)) timers.remove(t);
        for (long t : after) if (!before.contains(t)) timers.add(t);
    }
}
