package io.shopkeeper.jobs.identity;

import io.shopkeeper.schemas.ShopEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * What the identity operator keeps per anonymous id: the customer it is linked to, or, until then,
 * the visitor's most recent events (capped) to move into the customer's profile at login.
 */
public class AnonymousHistory {
    private String customerId;
    private List<ShopEvent> pending = new ArrayList<>();

    public AnonymousHistory() {
    }

    public String getCustomerId() { return customerId; }
    public void setCustomerId(String customerId) { this.customerId = customerId; }
    public List<ShopEvent> getPending() { return pending; }
    public void setPending(List<ShopEvent> pending) { this.pending = pending; }
}
