package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.schemas.ProfileDocument;
import java.util.ArrayList;
import java.util.HashMap;

/**
 * The one place the job turns its state ({@link CustomerProfile}, working fields included) into the
 * {@link ProfileDocument} it writes to Redis and evaluates segments on: the served fields copied,
 * the session statistics derived. Nothing else of the state leaves the operator.
 */
public final class ProfileDocuments {
    private ProfileDocuments() {}

    public static ProfileDocument of(CustomerProfile p) {
        ProfileDocument d = new ProfileDocument();
        d.setVisitorId(p.getVisitorId());
        d.setCustomerId(p.getCustomerId());
        d.setAnonymousIds(new ArrayList<>(p.getAnonymousIds()));
        d.setFirstSeen(p.getFirstSeen());
        d.setLastSeen(p.getLastSeen());
        d.setEvents(p.getEvents());
        d.setSessions(p.getSessions());
        d.setCurrentSessionId(p.getCurrentSessionId());
        d.setRecentViews(new ArrayList<>(p.getRecentViews()));
        d.setRecentCarts(new ArrayList<>(p.getRecentCarts()));
        d.setPurchasedItems(new ArrayList<>(p.getPurchasedItems()));
        d.setCategoryAffinity(new HashMap<>(p.getCategoryAffinity()));
        d.setBrandAffinity(new HashMap<>(p.getBrandAffinity()));
        d.setAffinityAsOf(p.getAffinityAsOf());
        d.setOrders(p.getOrders());
        d.setSpend(p.getSpend());
        d.setLastOrderAt(p.getLastOrderAt());
        d.setRecencyDays(p.getRecencyDays());
        d.setRecencyScore(p.getRecencyScore());
        d.setFrequencyScore(p.getFrequencyScore());
        d.setMonetaryScore(p.getMonetaryScore());
        d.setAverageOrderValue(p.getAverageOrderValue());
        d.setEstimatedLifetimeValue(p.getEstimatedLifetimeValue());
        d.setDiscountShare(p.getDiscountShare());
        d.setCouponShare(p.getCouponShare());
        d.setRepeatPurchaseRate(p.getRepeatPurchaseRate());
        d.setTenureDays(p.getTenureDays());
        d.setLifecycle(p.getLifecycle());
        d.setLifecycleSince(p.getLifecycleSince());
        d.setPriceSensitive(signal(p.getPriceSensitive()));
        d.setDrifting(signal(p.getDrifting()));
        d.setSegments(new ArrayList<>(p.getSegments()));
        sessionStatistics(p, d);
        return d;
    }

    /**
     * Averages over completed sessions; before the first one ends, the session in progress (its
     * pages and product views; no duration or bounce yet).
     */
    private static void sessionStatistics(CustomerProfile p, ProfileDocument d) {
        int completed = p.getCompletedSessions();
        if (completed == 0) {
            d.setAvgPagesPerSession(p.getSessionEvents());
            d.setAvgProductViewsPerSession(p.getSessionProductViews());
            return;
        }
        d.setAvgPagesPerSession(
                CustomerProfile.round((double) p.getCompletedSessionEvents() / completed));
        d.setAvgProductViewsPerSession(
                CustomerProfile.round((double) p.getCompletedSessionProductViews() / completed));
        d.setAvgSessionSeconds(
                CustomerProfile.round(p.getCompletedSessionMillis() / 1000.0 / completed));
        d.setBounceRate(CustomerProfile.round((double) p.getBouncedSessions() / completed));
    }

    private static ProfileDocument.Signal signal(SignalState s) {
        return s == null
                ? null
                : new ProfileDocument.Signal(
                        s.getScore(),
                        s.isFlagged(),
                        new ArrayList<>(s.getReasons()),
                        s.getOnSince());
    }
}
