package io.shopkeeper.jobs.profile;

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
    public static final int MAX_PURCHASED = 30;
    public static final int MAX_AFFINITIES = 12;
    public static final int MAX_ANONYMOUS_IDS = 5;
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
        if (event.getAnonymousId() != null && !profile.getAnonymousIds().contains(event.getAnonymousId())) {
            pushFront(profile.getAnonymousIds(), event.getAnonymousId(), MAX_ANONYMOUS_IDS);
        }
        profile.setFirstSeen(Math.min(profile.getFirstSeen(), at));
        profile.setEvents(profile.getEvents() + 1);
        trackSession(profile, event, at);
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
                for (OrderLine line : event.getLines()) {
                    pushFront(profile.getPurchasedItems(), line.getItemId(), MAX_PURCHASED);
                    profile.getRecentCarts().remove(line.getItemId());
                    addInterest(profile, line.getCategoryId(), null, ORDER_WEIGHT * line.getQuantity(), at);
                }
            }
            case ORDER_CANCELLED -> {
                profile.setOrders(Math.max(0, profile.getOrders() - 1));
                profile.setSpend(Math.max(0, profile.getSpend() - event.getTotal()));
            }
            default -> {
            }
        }
    }

    /** Ends the current session (called when the inactivity timer fires). */
    public void endSession(CustomerProfile profile) {
        profile.setCurrentSessionId(null);
        profile.getSessionItems().clear();
    }

    /** Decays the affinities to {@code now} (event time); affinities only ever decay forward. */
    public void decayTo(CustomerProfile profile, long now) {
        long elapsed = now - profile.getAffinityAsOf();
        if (elapsed > 0 && profile.getAffinityAsOf() > 0) {
            double factor = Math.pow(0.5, (double) elapsed / affinityHalfLifeMillis);
            profile.getCategoryAffinity().replaceAll((k, v) -> v * factor);
            profile.getBrandAffinity().replaceAll((k, v) -> v * factor);
        }
        if (now > profile.getAffinityAsOf()) profile.setAffinityAsOf(now);
    }

    private void trackSession(CustomerProfile profile, ShopEvent event, long at) {
        String sessionId = event.getSessionId();
        if (sessionId == null) return; // orders may come from back-office systems without a session
        boolean newSession = !sessionId.equals(profile.getCurrentSessionId())
                || at - profile.getLastSeen() > sessionGapMillis;
        if (newSession) {
            profile.setSessions(profile.getSessions() + 1);
            profile.setCurrentSessionId(sessionId);
            profile.getSessionItems().clear();
        }
    }

    private void appendSessionItem(CustomerProfile profile, String itemId) {
        List<String> items = profile.getSessionItems();
        items.add(itemId);
        if (items.size() > MAX_SESSION_ITEMS) items.remove(0);
    }

    private void addInterest(CustomerProfile profile, String category, String brand, double weight, long at) {
        decayTo(profile, at);
        if (category != null) addCapped(profile.getCategoryAffinity(), category, weight);
        if (brand != null) addCapped(profile.getBrandAffinity(), brand, weight);
    }

    private static void addCapped(Map<String, Double> affinities, String key, double weight) {
        affinities.merge(key, weight, Double::sum);
        if (affinities.size() > MAX_AFFINITIES) {
            affinities.entrySet().stream().filter(e -> !e.getKey().equals(key))
                    .min(Map.Entry.comparingByValue())
                    .ifPresent(weakest -> affinities.remove(weakest.getKey()));
        }
    }

    private static void pushFront(List<String> list, String value, int cap) {
        list.remove(value);
        list.add(0, value);
        while (list.size() > cap) list.remove(list.size() - 1);
    }
}
