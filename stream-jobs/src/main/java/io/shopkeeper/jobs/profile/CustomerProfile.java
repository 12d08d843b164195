package io.shopkeeper.jobs.profile;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Shopkeeper knows about one visitor (a customer, or an anonymous visitor before they are
 * known): kept in keyed state and written to Redis as JSON for the API. Every collection is capped
 * (see {@link ProfileUpdater}) so a profile stays well under 2 KB serialized.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CustomerProfile {
    private String visitorId;
    private String customerId;
    private List<String> anonymousIds = new ArrayList<>();
    private long firstSeen;
    private long lastSeen;
    private long events;
    private int sessions;
    private String currentSessionId;
    /** Items viewed or carted in the current session, oldest first. */
    private List<String> sessionItems = new ArrayList<>();
    /** Most recent first. */
    private List<String> recentViews = new ArrayList<>();
    /** Most recent first. */
    private List<String> recentCarts = new ArrayList<>();
    /** Most recent first. */
    private List<String> purchasedItems = new ArrayList<>();
    /** Time-decayed interest per category, as of {@link #affinityAsOf}. */
    private Map<String, Double> categoryAffinity = new HashMap<>();
    private Map<String, Double> brandAffinity = new HashMap<>();
    private long affinityAsOf;
    private int orders;
    private double spend;
    private long lastOrderAt;

    public CustomerProfile() {
    }

    public String getVisitorId() { return visitorId; }
    public void setVisitorId(String visitorId) { this.visitorId = visitorId; }
    public String getCustomerId() { return customerId; }
    public void setCustomerId(String customerId) { this.customerId = customerId; }
    public List<String> getAnonymousIds() { return anonymousIds; }
    public void setAnonymousIds(List<String> anonymousIds) { this.anonymousIds = anonymousIds; }
    public long getFirstSeen() { return firstSeen; }
    public void setFirstSeen(long firstSeen) { this.firstSeen = firstSeen; }
    public long getLastSeen() { return lastSeen; }
    public void setLastSeen(long lastSeen) { this.lastSeen = lastSeen; }
    public long getEvents() { return events; }
    public void setEvents(long events) { this.events = events; }
    public int getSessions() { return sessions; }
    public void setSessions(int sessions) { this.sessions = sessions; }
    public String getCurrentSessionId() { return currentSessionId; }
    public void setCurrentSessionId(String currentSessionId) { this.currentSessionId = currentSessionId; }
    public List<String> getSessionItems() { return sessionItems; }
    public void setSessionItems(List<String> sessionItems) { this.sessionItems = sessionItems; }
    public List<String> getRecentViews() { return recentViews; }
    public void setRecentViews(List<String> recentViews) { this.recentViews = recentViews; }
    public List<String> getRecentCarts() { return recentCarts; }
    public void setRecentCarts(List<String> recentCarts) { this.recentCarts = recentCarts; }
    public List<String> getPurchasedItems() { return purchasedItems; }
    public void setPurchasedItems(List<String> purchasedItems) { this.purchasedItems = purchasedItems; }
    public Map<String, Double> getCategoryAffinity() { return categoryAffinity; }
    public void setCategoryAffinity(Map<String, Double> categoryAffinity) { this.categoryAffinity = categoryAffinity; }
    public Map<String, Double> getBrandAffinity() { return brandAffinity; }
    public void setBrandAffinity(Map<String, Double> brandAffinity) { this.brandAffinity = brandAffinity; }
    public long getAffinityAsOf() { return affinityAsOf; }
    public void setAffinityAsOf(long affinityAsOf) { this.affinityAsOf = affinityAsOf; }
    public int getOrders() { return orders; }
    public void setOrders(int orders) { this.orders = orders; }
    public double getSpend() { return spend; }
    public void setSpend(double spend) { this.spend = spend; }
    public long getLastOrderAt() { return lastOrderAt; }
    public void setLastOrderAt(long lastOrderAt) { this.lastOrderAt = lastOrderAt; }
}
