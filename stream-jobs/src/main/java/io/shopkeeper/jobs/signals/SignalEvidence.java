package io.shopkeeper.jobs.signals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence kept per visitor for the price-sensitive and drifting signals (part of the profile's
 * keyed state): in-session counters reset when a session ends, and bounded long-term tallies.
 */
public class SignalEvidence {
    // In-session evidence.
    private int sessionPageViews;
    private int sessionProductViews;
    private int sessionCarts;
    private List<String> sessionCategories = new ArrayList<>();
    private long lastProductViewAt;
    private Double lastProductViewPrice;

    // Long-term evidence.
    private int orderLines;
    private int discountedLines;
    private int couponOrders;
    private int orders;
    private Map<String, Double> shortTermCategories = new HashMap<>();

    public SignalEvidence() {
    }

    public int getSessionPageViews() { return sessionPageViews; }
    public void setSessionPageViews(int v) { this.sessionPageViews = v; }
    public int getSessionProductViews() { return sessionProductViews; }
    public void setSessionProductViews(int v) { this.sessionProductViews = v; }
    public int getSessionCarts() { return sessionCarts; }
    public void setSessionCarts(int v) { this.sessionCarts = v; }
    public List<String> getSessionCategories() { return sessionCategories; }
    public void setSessionCategories(List<String> v) { this.sessionCategories = v; }
    public long getLastProductViewAt() { return lastProductViewAt; }
    public void setLastProductViewAt(long v) { this.lastProductViewAt = v; }
    public Double getLastProductViewPrice() { return lastProductViewPrice; }
    public void setLastProductViewPrice(Double v) { this.lastProductViewPrice = v; }
    public int getOrderLines() { return orderLines; }
    public void setOrderLines(int v) { this.orderLines = v; }
    public int getDiscountedLines() { return discountedLines; }
    public void setDiscountedLines(int v) { this.discountedLines = v; }
    public int getCouponOrders() { return couponOrders; }
    public void setCouponOrders(int v) { this.couponOrders = v; }
    public int getOrders() { return orders; }
    public void setOrders(int v) { this.orders = v; }
    public Map<String, Double> getShortTermCategories() { return shortTermCategories; }
    public void setShortTermCategories(Map<String, Double> v) { this.shortTermCategories = v; }
}
