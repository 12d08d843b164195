package io.shopkeeper.jobs.offers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.type.TypeReference;
import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One visitor's offers state, kept and checkpointed together with the decisions it caps: assigned
 * decisions (for the caps), open decisions (for attribution, until their conversion window ends),
 * pending cart reminders, what the session shows now (the product page on screen, the cart), and
 * the latest profile facts for triggers that come from items. Every list is bounded (see {@link
 * OfferDecisionFunction}). Flink writes it with {@link OfferStateSerializer} (state written by the
 * POJO serializer of earlier versions is migrated on restore); JSON on the handover topic.
 */
@TypeInfo(OfferStateSerializer.Factory.class)
public class OfferState {
    private static final TypeReference<Map<String, Object>> FACTS = new TypeReference<>() {};

    private List<AssignedEntry> assigned = new ArrayList<>();
    private List<OpenEntry> open = new ArrayList<>();
    private List<PendingCart> pendingCarts = new ArrayList<>();
    private List<String> cartItems = new ArrayList<>();
    private String productOnScreen;

    /**
     * The latest facts as JSON text, where they are kept as text: state written by the POJO
     * serializer of earlier versions, a handover, facts with values JSON would not read back as
     * themselves. Else null, and {@link #factValues} holds them.
     */
    private String facts;

    /** The latest facts as values that read back from JSON as themselves, or null. */
    private Map<String, Object> factValues;

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
                && factValues == null
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

    /**
     * The latest profile facts seen, for cart timers and item triggers, as a read of their JSON
     * gives them (earlier versions kept them as JSON): a new map each call, or null when none were
     * kept or their JSON does not read.
     */
    public Map<String, Object> facts() {
        if (factValues != null) return new LinkedHashMap<>(factValues);
        if (facts == null) return null;
        try {
            return EventCodec.mapper().readValue(facts, FACTS);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Keeps {@code facts} as the latest ones. Values that read back from JSON as themselves
     * (strings, booleans, ints, finite doubles, nulls) are kept as they are, so no step pays for
     * JSON; any other as JSON text (as earlier versions kept them all), which {@link #facts()}
     * reads exactly as before.
     */
    public void keepFacts(Map<String, Object> facts) {
        if (readBackAsThemselves(facts)) {
            this.factValues = new LinkedHashMap<>(facts);
            this.facts = null;
        } else {
            this.facts = EventCodec.encodeToString(facts);
            this.factValues = null;
        }
    }

    /** Whether a JSON write and read of {@code facts} gives an equal map, values of equal types. */
    static boolean readBackAsThemselves(Map<String, Object> facts) {
        for (Map.Entry<String, Object> fact : facts.entrySet()) {
            if (fact.getKey() == null) return false;
            Object value = fact.getValue();
            if (value == null
                    || value instanceof String
                    || value instanceof Boolean
                    || value instanceof Integer) continue;
            if (value instanceof Double d && Double.isFinite(d)) continue;
            return false;
        }
        return true;
    }

    /** The facts as values (see {@link #keepFacts}), or null; for the serializer. */
    @JsonIgnore
    Map<String, Object> getFactValues() {
        return factValues;
    }

    @JsonIgnore
    void setFactValues(Map<String, Object> factValues) {
        this.factValues = factValues;
        if (factValues != null) this.facts = null;
    }

    /**
     * The latest facts as JSON text, or null: their form on the handover topic (the same as earlier
     * versions wrote).
     */
    public String getFacts() {
        if (facts == null && factValues != null) return EventCodec.encodeToString(factValues);
        return facts;
    }

    /** Keeps facts given as JSON text (a handover; read when a decision needs them). */
    public void setFacts(String facts) {
        this.facts = facts;
        this.factValues = null;
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
        if (facts == null && factValues == null) {
            facts = other.facts;
            factValues = other.factValues == null ? null : new LinkedHashMap<>(other.factValues);
        }
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
