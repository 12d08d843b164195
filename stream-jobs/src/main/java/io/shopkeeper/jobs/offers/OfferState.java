package io.shopkeeper.jobs.offers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * One visitor's offers state, kept and checkpointed together with the decisions it caps: assigned
 * decisions (for the caps), open decisions (for attribution, until their conversion window ends),
 * pending cart reminders, what the session shows now (the product page on screen, the cart), and
 * the latest profile facts for triggers that come from items. Every list is bounded (see {@link
 * OfferDecisionFunction}). A Flink POJO.
 */
public class OfferState {
    private List<AssignedEntry> assigned = new ArrayList<>();
    private List<OpenEntry> open = new ArrayList<>();
    private List<PendingCart> pendingCarts = new ArrayList<>();
    private List<String> cartItems = new ArrayList<>();
    private String productOnScreen;
    private String facts;
    private long offersExpireAt;
    private long lastOrderAt;

    public OfferState() {}

    /** Nothing to remember: the state can be cleared. */
    @JsonIgnore
    public boolean isEmpty() {
        return assigned.isEmpty()
                && open.isEmpty()
                && pendingCarts.isEmpty()
                && cartItems.isEmpty()
                && productOnScreen == null
                && facts == null
                && lastOrderAt == 0;
    }

    public List<AssignedEntry> getAssigned() {
        return assigned;
    }

    public void setAssigned(List<AssignedEntry> assigned) {
        this.assigned = assigned;
    }

    public List<OpenEntry> getOpen() {
        return open;
    }

    public void setOpen(List<OpenEntry> open) {
        this.open = open;
    }

    public List<PendingCart> getPendingCarts() {
        return pendingCarts;
    }

    public void setPendingCarts(List<PendingCart> pendingCarts) {
        this.pendingCarts = pendingCarts;
    }

    /** Items in the cart now (add, remove; an order empties it). */
    public List<String> getCartItems() {
        return cartItems;
    }

    public void setCartItems(List<String> cartItems) {
        this.cartItems = cartItems;
    }

    /** The product page the visitor is on now (their latest page), or null. */
    public String getProductOnScreen() {
        return productOnScreen;
    }

    public void setProductOnScreen(String productOnScreen) {
        this.productOnScreen = productOnScreen;
    }

    /** The latest profile facts seen (JSON), for cart timers and item triggers. */
    public String getFacts() {
        return facts;
    }

    public void setFacts(String facts) {
        this.facts = facts;
    }

    /** When the last onsite offer expires (the offers key expires with it). */
    public long getOffersExpireAt() {
        return offersExpireAt;
    }

    public void setOffersExpireAt(long offersExpireAt) {
        this.offersExpireAt = offersExpireAt;
    }

    /**
     * Event time of the visitor's latest order, kept {@code OfferDecisionFunction.ORDER_KEPT}: a
     * cart step read after it (orders travel on their own topic) but made before it is already
     * closed by it, and arms no reminder. 0 when none is kept.
     */
    public long getLastOrderAt() {
        return lastOrderAt;
    }

    public void setLastOrderAt(long lastOrderAt) {
        this.lastOrderAt = lastOrderAt;
    }

    /**
     * Takes in what {@code other} (a stitched anonymous id's state) remembers, as if this visitor
     * had done it: its caps, open decisions, pending reminders, cart and last order. Idempotent (an
     * entry already here is not added again), so a handover read twice changes nothing. Returns the
     * reminders added (their timers must be registered).
     */
    public List<PendingCart> merge(OfferState other) {
        for (AssignedEntry a : other.assigned) {
            if (assigned.stream().noneMatch(x -> x.at == a.at && x.campaignId.equals(a.campaignId)))
                assigned.add(new AssignedEntry(a.campaignId, a.at));
        }
        assigned.sort(java.util.Comparator.comparingLong(AssignedEntry::getAt));
        for (OpenEntry o : other.open) {
            OpenEntry mine =
                    open.stream().filter(x -> x.offerId.equals(o.offerId)).findFirst().orElse(null);
            if (mine == null) open.add(o);
            else if (o.converted) mine.converted = true;
        }
        List<PendingCart> added = new ArrayList<>();
        for (PendingCart p : other.pendingCarts) {
            if (pendingCarts.stream().noneMatch(x -> x.campaignId.equals(p.campaignId))) {
                PendingCart copy = new PendingCart(p.campaignId, p.fireAt);
                pendingCarts.add(copy);
                added.add(copy);
            }
        }
        for (String item : other.cartItems) if (!cartItems.contains(item)) cartItems.add(item);
        if (productOnScreen == null) productOnScreen = other.productOnScreen;
        if (facts == null) facts = other.facts;
        lastOrderAt = Math.max(lastOrderAt, other.lastOrderAt);
        return added;
    }

    /** An assigned (sent or held-out) decision: counts against caps. */
    public static class AssignedEntry {
        private String campaignId;
        private long at;

        public AssignedEntry() {}

        public AssignedEntry(String campaignId, long at) {
            this.campaignId = campaignId;
            this.at = at;
        }

        public String getCampaignId() {
            return campaignId;
        }

        public void setCampaignId(String campaignId) {
            this.campaignId = campaignId;
        }

        public long getAt() {
            return at;
        }

        public void setAt(long at) {
            this.at = at;
        }
    }

    /** A decision within its conversion window ({@code Attribution.Open} as state). */
    public static class OpenEntry {
        private String offerId;
        private String campaignId;
        private boolean treated;
        private String couponCode;
        private long decidedAt;
        private long windowEnd;
        private boolean converted;

        public OpenEntry() {}

        public String getOfferId() {
            return offerId;
        }

        public void setOfferId(String offerId) {
            this.offerId = offerId;
        }

        public String getCampaignId() {
            return campaignId;
        }

        public void setCampaignId(String campaignId) {
            this.campaignId = campaignId;
        }

        public boolean isTreated() {
            return treated;
        }

        public void setTreated(boolean treated) {
            this.treated = treated;
        }

        public String getCouponCode() {
            return couponCode;
        }

        public void setCouponCode(String couponCode) {
            this.couponCode = couponCode;
        }

        public long getDecidedAt() {
            return decidedAt;
        }

        public void setDecidedAt(long decidedAt) {
            this.decidedAt = decidedAt;
        }

        public long getWindowEnd() {
            return windowEnd;
        }

        public void setWindowEnd(long windowEnd) {
            this.windowEnd = windowEnd;
        }

        public boolean isConverted() {
            return converted;
        }

        public void setConverted(boolean converted) {
            this.converted = converted;
        }
    }

    /** A cart reminder due at {@code fireAt} unless an order or an emptied cart cancels it. */
    public static class PendingCart {
        private String campaignId;
        private long fireAt;

        public PendingCart() {}

        public PendingCart(String campaignId, long fireAt) {
            this.campaignId = campaignId;
            this.fireAt = fireAt;
        }

        public String getCampaignId() {
            return campaignId;
        }

        public void setCampaignId(String campaignId) {
            this.campaignId = campaignId;
        }

        public long getFireAt() {
            return fireAt;
        }

        public void setFireAt(long fireAt) {
            this.fireAt = fireAt;
        }
    }
}
