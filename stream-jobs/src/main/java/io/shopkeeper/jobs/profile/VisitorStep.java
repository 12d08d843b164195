package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.signals.SignalEngine;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The per-visitor rules, one step at a time and without Flink: an event ({@link #onEvent}) or a
 * timer ({@link #onTimer}) goes in with the visitor's profile, the profile is changed in place and
 * what happened comes out as a {@link ProfileUpdate}. The profile operator, the signal replay and
 * the signal explainer all drive this one class, so they cannot drift apart.
 *
 * <p>Order within an event: drop a late {@code page_leave} or a redelivery; lifecycle activity; end
 * the running session on a new session (id or gap); the profile rules; the signal evidence (with
 * the profile's category affinity); both signal evaluations; the lifecycle stage; derived figures
 * and segments. A session-end timer ends the session and evaluates both signals.
 */
public final class VisitorStep implements Serializable {
    private final ProfileSettings settings;
    private final SegmentEvaluator segments;
    private final ProfileUpdater updater;
    private final Lifecycle lifecycle;
    private final SignalEngine signals;

    public VisitorStep(ProfileSettings settings, SegmentEvaluator segments) {
        this.settings = settings;
        this.segments = segments;
        this.updater = new ProfileUpdater(settings.affinityHalfLife(), settings.sessionGap());
        this.lifecycle =
                new Lifecycle(settings.newPeriod(), settings.atRiskAfter(), settings.lapsedAfter());
        this.signals = new SignalEngine(settings.sessionGap());
    }

    public ProfileSettings settings() {
        return settings;
    }

    /**
     * Applies {@code event} to {@code profile} (a new {@link CustomerProfile} for a new visitor).
     * Returns {@code null} when the event changes nothing: a {@code page_leave} outside the running
     * session, or an event already applied.
     */
    public ProfileUpdate onEvent(
            String visitor,
            CustomerProfile profile,
            ShopEvent event,
            boolean live,
            RfmCutPoints cuts) {
        if (updater.isLateLeave(profile, event)
                || updater.alreadyApplied(profile, event.getEventId())) return null;
        long at = event.eventTimeMillis();
        long previousLastSeen = profile.getLastSeen();
        ProfileUpdate update = new ProfileUpdate(ProfileUpdate.Kind.EVENT, visitor, at, profile);
        update.setEvent(event);
        update.setLive(live);

        lifecycle.onActivity(profile, at);
        if (updater.startsNewSession(profile, event)) {
            if (profile.getCurrentSessionId() != null) {
                update.setSessionEnded(true);
                update.setEndedSessionId(profile.getCurrentSessionId());
                update.setSessionEndedAt(previousLastSeen);
            }
            endSession(profile, previousLastSeen);
            updater.beginSession(profile, event);
        }
        updater.apply(profile, event);
        signals.observe(profile.getEvidence(), event, profile.getCategoryAffinity());
        evaluateSignals(profile, at);
        lifecycle.update(profile, Math.max(at, profile.getLastSeen()));
        refresh(profile, cuts, profile.getLastSeen(), visitor, update);
        return update;
    }

    /**
     * True for a {@code page_leave} that belongs to no running session: {@link #onEvent} drops it.
     */
    public boolean isLateLeave(CustomerProfile profile, ShopEvent event) {
        return updater.isLateLeave(profile, event);
    }

    /**
     * True when the timer at {@code timestamp} is the anonymous visitor's expiry: no event for
     * {@code anonymousTtl}. The caller forgets the visitor.
     */
    public boolean expires(CustomerProfile profile, long timestamp) {
        return profile.getCustomerId() == null
                && timestamp == profile.getLastSeen() + settings.anonymousTtl().toMillis();
    }

    /**
     * A timer at {@code timestamp}: the session's end and/or the next lifecycle check. Returns
     * {@code null} when neither is due (a timer left from an earlier time).
     */
    public ProfileUpdate onTimer(
            String visitor, CustomerProfile profile, long timestamp, RfmCutPoints cuts) {
        boolean sessionEnded =
                timestamp == profile.getLastSeen() + settings.sessionGap().toMillis()
                        && profile.getCurrentSessionId() != null;
        boolean lifecycleDue = timestamp == profile.getNextLifecycleCheck();
        if (!sessionEnded && !lifecycleDue) return null;
        ProfileUpdate update =
                new ProfileUpdate(ProfileUpdate.Kind.TIMER, visitor, timestamp, profile);
        if (sessionEnded) {
            update.setSessionEnded(true);
            update.setEndedSessionId(profile.getCurrentSessionId());
            update.setSessionEndedAt(timestamp);
            endSession(profile, timestamp);
            evaluateSignals(profile, timestamp);
        }
        lifecycle.update(profile, timestamp);
        refresh(profile, cuts, timestamp, visitor, update);
        return update;
    }

    /**
     * Rescores {@code profile} against new cut points as of {@code now}. Returns {@code null} when
     * neither its RFM scores nor its segments changed (the caller then keeps the stored profile).
     */
    public ProfileUpdate rescore(
            String visitor, CustomerProfile profile, RfmCutPoints cuts, long now) {
        if (profile.getOrders() == 0) return null;
        Integer recency = profile.getRecencyScore();
        Integer frequency = profile.getFrequencyScore();
        Integer monetary = profile.getMonetaryScore();
        List<String> segmentsBefore = new ArrayList<>(profile.getSegments());
        ProfileUpdate update = new ProfileUpdate(ProfileUpdate.Kind.RESCORE, visitor, now, profile);
        refresh(profile, cuts, now, visitor, update);
        if (Objects.equals(recency, profile.getRecencyScore())
                && Objects.equals(frequency, profile.getFrequencyScore())
                && Objects.equals(monetary, profile.getMonetaryScore())
                && segmentsBefore.equals(profile.getSegments())) {
            return null;
        }
        return update;
    }

    /**
     * The earliest time before {@code before} at which one of {@code profile}'s timers would act
     * (its session's end while one runs, its next lifecycle check, an anonymous visitor's expiry),
     * or {@link Long#MAX_VALUE} when none is due before then. Each such timer, once fired, is no
     * longer due at that time, so firing them in turn ends. No allocation: called per event.
     */
    public long firstTimerBefore(CustomerProfile profile, long before) {
        long first = Long.MAX_VALUE;
        long lastSeen = profile.getLastSeen();
        if (lastSeen > 0) {
            if (profile.getCurrentSessionId() != null)
                first = Math.min(first, lastSeen + settings.sessionGap().toMillis());
            if (profile.getCustomerId() == null)
                first = Math.min(first, lastSeen + settings.anonymousTtl().toMillis());
        }
        if (profile.getNextLifecycleCheck() > 0)
            first = Math.min(first, profile.getNextLifecycleCheck());
        return first < before ? first : Long.MAX_VALUE;
    }

    /**
     * When the profile operator's one timer for the visitor is set: the earliest time one of its
     * timers acts ({@link #firstTimerBefore}), or {@link Long#MAX_VALUE} for none.
     */
    public long nextTimer(CustomerProfile profile) {
        return firstTimerBefore(profile, Long.MAX_VALUE);
    }

    /**
     * Every time at which one of {@code profile}'s timers may act when last seen at {@code
     * lastSeen} with its next lifecycle check at {@code lifecycleCheck}: session end, anonymous
     * expiry, lifecycle check ({@link io.shopkeeper.jobs.signals.SignalReplay} keeps one timer per
     * time; the operator keeps only the earliest, {@link #nextTimer}: the same steps at the same
     * times).
     */
    public Set<Long> timerTimes(CustomerProfile profile, long lastSeen, long lifecycleCheck) {
        Set<Long> times = new HashSet<>(4);
        if (lastSeen > 0) {
            times.add(lastSeen + settings.sessionGap().toMillis());
            if (profile.getCustomerId() == null)
                times.add(lastSeen + settings.anonymousTtl().toMillis());
        }
        if (lifecycleCheck > 0) times.add(lifecycleCheck);
        return times;
    }

    private void endSession(CustomerProfile profile, long at) {
        if (profile.getCurrentSessionId() == null) return;
        signals.sessionEnded(profile.getEvidence(), at);
        updater.endSession(profile);
    }

    private void evaluateSignals(CustomerProfile profile, long at) {
        profile.setPriceSensitive(
                signals.priceSensitivity(profile.getEvidence(), profile.getPriceSensitive(), at));
        profile.setDrifting(signals.drifting(profile.getEvidence(), profile.getDrifting(), at));
    }

    /**
     * Derived figures and segment memberships; adds every membership change to the update, and the
     * profile's document as of the end of the step (built once here for the segments, reused for
     * Redis).
     */
    private void refresh(
            CustomerProfile profile,
            RfmCutPoints cuts,
            long now,
            String visitor,
            ProfileUpdate update) {
        updater.derive(profile, cuts, now);
        ProfileDocument document = ProfileDocuments.of(profile);
        update.setDocument(document);
        List<SegmentChange> changes = update.getSegmentChanges();
        int fingerprint = ProfileFacts.fingerprint(document);
        if (fingerprint == profile.getSegmentFactsFingerprint() && profile.getEvents() > 1) return;
        profile.setSegmentFactsFingerprint(fingerprint);
        List<String> current = segments.segmentsOf(document);
        List<String> before = profile.getSegments();
        for (String segment : before) {
            if (!current.contains(segment))
                changes.add(new SegmentChange(visitor, segment, false, now));
        }
        for (String segment : current) {
            if (!before.contains(segment))
                changes.add(new SegmentChange(visitor, segment, true, now));
        }
        profile.setSegments(new ArrayList<>(current));
        document.setSegments(new ArrayList<>(current));
    }
}
