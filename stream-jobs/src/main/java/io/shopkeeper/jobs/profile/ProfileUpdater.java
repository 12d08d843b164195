package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The pure rules that fold one event into a profile: recency lists, time-decayed affinities, orders
 * and spend. No Flink here, so the rules are unit-tested directly and reused by the operator.
 */
public final class ProfileUpdater implements Serializable {
    public static final int MAX_SESSION_ITEMS = 20;
    public static final int MAX_RECENT_VIEWS = 20;
    public static final int MAX_RECENT_CARTS = 10;
    public static final int MAX_PURCHASED = 20;
    public static final int MAX_AFFINITIES = 10;
    public static final int MAX_ANONYMOUS_IDS = 5;
    public static final int MAX_RECENT_EVENT_IDS = 16;
    private static final long DAY = Duration.ofDays(1).toMillis();

    /** Interest weights: a cart says more than a view, an order more than a cart. */
    public static final double VIEW_WEIGHT = 1, CART_WEIGHT = 3, ORDER_WEIGHT = 5;

    private final long affinityHalfLifeMillis;
    private final long sessionGapMillis;

    public ProfileUpdater(Duration affinityHalfLife, Duration sessionGap) {
        this.affinityHalfLifeMillis = affinityHalfLife.toMillis();
        this.sessionGapMillis = sessionGap.toMillis();
    }

    /** Folds {@code event} into {@code profile} (created by the caller for a new visitor). */
    public void apply(CustomerProfile profile, ShopEvent event) {
        long at = event.eventTimeMillis();
        if (profile.getVisitorId() == null) {
            profile.setVisitorId(event.visitorKey());
            profile.setFirstSeen(at);
        }
        if (event.getCustomerId() != null) profile.setCustomerId(event.getCustomerId());
        if (event.getAnonymousId() != null
                && !profile.getAnonymousIds().contains(event.getAnonymousId())) {
            pushFront(profile.getAnonymousIds(), event.getAnonymousId(), MAX_ANONYMOUS_IDS);
        }
        profile.setFirstSeen(Math.min(profile.getFirstSeen(), at));
        profile.setEvents(profile.getEvents() + 1);
        if (event.getSessionId() != null
                && event.getSessionId().equals(profile.getCurrentSessionId())) {
            // A page_leave is not a page: it lengthens the session (lastSeen) but does not make a
            // bounce a visit.
            if (event.getType() != EventType.PAGE_LEAVE)
                profile.setSessionEvents(profile.getSessionEvents() + 1);
            if (event.getType() == EventType.PRODUCT_VIEW)
                profile.setSessionProductViews(profile.getSessionProductViews() + 1);
        }
        profile.setLastSeen(Math.max(profile.getLastSeen(), at));

        switch (event.getType()) {
            case PRODUCT_VIEW -> {
                pushFront(profile.getRecentViews(), event.getItemId(), MAX_RECENT_VIEWS);
                appendSessionItem(profile, event.getItemId());
                addInterest(profile, event.getCategoryId(), event.getBrand(), VIEW_WEIGHT, at);
            }
            case ADD_TO_CART -> {
                pushFront(profile.getRecentCarts(), event.getItemId(), MAX_RECENT_CARTS);
                appendSessionItem(profile, event.getItemId());
                addInterest(profile, event.getCategoryId(), event.getBrand(), CART_WEIGHT, at);
            }
            case REMOVE_FROM_CART -> profile.getRecentCarts().remove(event.getItemId());
            case ORDER_PLACED -> {
                profile.setOrders(profile.getOrders() + 1);
                profile.setSpend(profile.getSpend() + event.getTotal());
                profile.setLastOrderAt(Math.max(profile.getLastOrderAt(), at));
                if (event.getCouponCode() != null)
                    profile.setCouponOrders(profile.getCouponOrders() + 1);
                for (OrderLine line : event.getLines()) {
                    profile.setOrderLines(profile.getOrderLines() + 1);
                    if (line.discounted())
                        profile.setDiscountedLines(profile.getDiscountedLines() + 1);
                    pushFront(profile.getPurchasedItems(), line.getItemId(), MAX_PURCHASED);
                    profile.getRecentCarts().remove(line.getItemId());
                    addInterest(
                            profile,
                            line.getCategoryId(),
                            null,
                            ORDER_WEIGHT * line.getQuantity(),
                            at);
                }
            }
            case ORDER_CANCELLED -> {
                profile.setOrders(Math.max(0, profile.getOrders() - 1));
                profile.setSpend(Math.max(0, profile.getSpend() - event.getTotal()));
            }
            default -> {}
        }
    }

    /**
     * True when {@code event} opens a new session: another session id, or the same one after more
     * than the session gap of inactivity. Orders from back-office systems carry no session.
     */
    public boolean startsNewSession(CustomerProfile profile, ShopEvent event) {
        String sessionId = event.getSessionId();
        if (sessionId == null) return false;
        return !sessionId.equals(profile.getCurrentSessionId())
                || event.eventTimeMillis() - profile.getLastSeen() > sessionGapMillis;
    }

    /**
     * True for a page_leave that belongs to no running session (another session id, or sent after
     * the session gap: a tab left open for an hour, then closed). It says nothing about a dwell and
     * must not open a session of its own, so the caller drops it.
     */
    public boolean isLateLeave(CustomerProfile profile, ShopEvent event) {
        return event.getType() == EventType.PAGE_LEAVE
                && (event.getSessionId() == null
                        || !event.getSessionId().equals(profile.getCurrentSessionId())
                        || event.eventTimeMillis() - profile.getLastSeen() > sessionGapMillis);
    }

    public void beginSession(CustomerProfile profile, ShopEvent event) {
        profile.setSessions(profile.getSessions() + 1);
        profile.setCurrentSessionId(event.getSessionId());
        profile.setSessionStartedAt(event.eventTimeMillis());
        profile.setSessionEvents(0);
        profile.setSessionProductViews(0);
        profile.getSessionItems().clear();
    }

    /** Ends the session in progress, if any, adding it to the session statistics. */
    public void endSession(CustomerProfile profile) {
        if (profile.getCurrentSessionId() == null) return;
        profile.setCompletedSessions(profile.getCompletedSessions() + 1);
        profile.setCompletedSessionEvents(
                profile.getCompletedSessionEvents() + profile.getSessionEvents());
        profile.setCompletedSessionProductViews(
                profile.getCompletedSessionProductViews() + profile.getSessionProductViews());
        profile.setCompletedSessionMillis(
                profile.getCompletedSessionMillis()
                        + Math.max(0, profile.getLastSeen() - profile.getSessionStartedAt()));
        if (profile.getSessionEvents() <= 1)
            profile.setBouncedSessions(profile.getBouncedSessions() + 1);
        profile.setCurrentSessionId(null);
        profile.setSessionEvents(0);
        profile.setSessionProductViews(0);
        profile.getSessionItems().clear();
    }

    /** True if the event was already folded in (a redelivery); otherwise remembers its id. */
    public boolean alreadyApplied(CustomerProfile profile, String eventId) {
        List<String> ids = profile.getRecentEventIds();
        if (ids.contains(eventId)) return true;
        ids.add(eventId);
        if (ids.size() > MAX_RECENT_EVENT_IDS) ids.remove(0);
        return false;
    }

    /**
     * Recomputes the derived value figures as of {@code now}: RFM scores against the store's cut
     * points (left null while the distribution is unknown), average order value, discount and
     * coupon shares, repeat-purchase rate, tenure, and a lifetime-value estimate: what was spent
     * plus two more years at the customer's order rate and basket, scaled by the lifecycle's
     * retention.
     */
    public void derive(CustomerProfile p, RfmCutPoints cuts, long now) {
        p.setTenureDays(CustomerProfile.round((double) Math.max(0, now - p.getFirstSeen()) / DAY));
        p.setDiscountShare(
                p.getOrderLines() == 0
                        ? 0
                        : CustomerProfile.round(
                                (double) p.getDiscountedLines() / p.getOrderLines()));
        p.setCouponShare(
                p.getOrders() == 0
                        ? 0
                        : CustomerProfile.round((double) p.getCouponOrders() / p.getOrders()));
        if (p.getOrders() == 0) {
            p.setAverageOrderValue(0);
            p.setEstimatedLifetimeValue(0);
            p.setRepeatPurchaseRate(0);
            p.setRecencyDays(null);
            p.setRecencyScore(null);
            p.setFrequencyScore(null);
            p.setMonetaryScore(null);
            return;
        }
        double aov = p.getSpend() / p.getOrders();
        p.setAverageOrderValue(CustomerProfile.round(aov));
        p.setRepeatPurchaseRate(
                CustomerProfile.round((double) (p.getOrders() - 1) / p.getOrders()));
        double years = Math.max(p.getTenureDays(), 30) / 365.0;
        double ordersPerYear = p.getOrders() / years;
        p.setEstimatedLifetimeValue(
                CustomerProfile.round(
                        p.getSpend()
                                + aov * ordersPerYear * 2 * Lifecycle.retention(p.getLifecycle())));
        p.setRecencyDays((int) (Math.max(0, now - p.getLastOrderAt()) / DAY));
        if (cuts == null || cuts.isEmpty()) return;
        p.setRecencyScore(
                RfmCutPoints.score(cuts.getLastOrderDay(), (double) (p.getLastOrderAt() / DAY)));
        p.setFrequencyScore(RfmCutPoints.score(cuts.getFrequency(), p.getOrders()));
        p.setMonetaryScore(RfmCutPoints.score(cuts.getMonetary(), p.getSpend()));
    }

    /** Decays the affinities to {@code now} (event time); affinities only ever decay forward. */
    public void decayTo(CustomerProfile profile, long now) {
        long elapsed = now - profile.getAffinityAsOf();
        if (elapsed > 0 && profile.getAffinityAsOf() > 0) {
            double factor = Math.pow(0.5, (double) elapsed / affinityHalfLifeMillis);
            profile.getCategoryAffinity().replaceAll((k, v) -> roundAffinity(v * factor));
            profile.getBrandAffinity().replaceAll((k, v) -> roundAffinity(v * factor));
        }
        if (now > profile.getAffinityAsOf()) profile.setAffinityAsOf(now);
    }

    private void appendSessionItem(CustomerProfile profile, String itemId) {
        List<String> items = profile.getSessionItems();
        items.add(itemId);
        if (items.size() > MAX_SESSION_ITEMS) items.remove(0);
    }

    private void addInterest(
            CustomerProfile profile, String category, String brand, double weight, long at) {
        decayTo(profile, at);
        if (at < profile.getAffinityAsOf()) {
            // A late or replayed event counts as much as it would have had it arrived in order.
            weight *=
                    Math.pow(
                            0.5,
                            (double) (profile.getAffinityAsOf() - at) / affinityHalfLifeMillis);
        }
        if (category != null) addCapped(profile.getCategoryAffinity(), category, weight);
        if (brand != null) addCapped(profile.getBrandAffinity(), brand, weight);
    }

    /** Three decimals are plenty for a ranking weight and keep the profile small. */
    private static double roundAffinity(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void addCapped(Map<String, Double> affinities, String key, double weight) {
        affinities.merge(key, weight, (a, b) -> roundAffinity(a + b));
        if (affinities.size() > MAX_AFFINITIES) {
            affinities.entrySet().stream()
                    .filter(e -> !e.getKey().equals(key))
                    .min(
                            Map.Entry.<String, Double>comparingByValue()
                                    .thenComparing(Map.Entry.comparingByKey()))
                    .ifPresent(weakest -> affinities.remove(weakest.getKey()));
        }
    }

    private static void pushFront(List<String> list, String value, int cap) {
        list.remove(value);
        list.add(0, value);
        while (list.size() > cap) list.remove(list.size() - 1);
    }
}
