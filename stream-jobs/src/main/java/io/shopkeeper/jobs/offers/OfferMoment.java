package io.shopkeeper.jobs.offers;

import io.shopkeeper.schemas.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What the offer decisions need to know about one step of one visitor: the event (type, item, page,
 * offer or recommendation it names, the order's coupon and total), whether a session ended, the
 * drifting flag turned on, the visitor came back or joined segments; or an item the visitor was
 * interested in dropped in price or came back in stock ({@link Kind#ITEM}). Small on purpose: the
 * visitor's facts (about twenty values, not the profile) travel only with the steps that may
 * trigger a campaign ({@link #getFacts()}).
 *
 * <p>Never changed after it is emitted; between operators it travels with its own serializer
 * ({@link OfferMomentSerializer}).
 */
@TypeInfo(OfferMomentSerializer.Factory.class)
public class OfferMoment {
    /** What the moment is. */
    public enum Kind {
        /** A step of the visitor's profile (an event or a timer). */
        STEP,
        /** An item the visitor looked at dropped in price or came back in stock. */
        ITEM,
        /** The visitor was stitched to a customer: this key's offers state ends. */
        MERGED_AWAY,
        /** The visitor is forgotten: their offers, decisions and attribution state go. */
        FORGOTTEN,
        /** A stitched anonymous id's offer state, for the customer ({@link OfferHandover}). */
        HANDOVER
    }

    private Kind kind = Kind.STEP;
    private String visitorId;
    private long at;
    private EventType eventType;
    private String sessionId;
    private String itemId;
    private String pageType;
    private String offerId;
    private String recommendationId;
    private String couponCode;
    private double total;
    private double discountTotal;
    private boolean sessionEnded;
    private long sessionEndedAt;
    private boolean driftingOn;
    private boolean wonBack;
    private List<String> joinedSegments = new ArrayList<>();
    private List<String> aliases = new ArrayList<>();
    private Map<String, Object> facts;
    private String itemTrigger;
    private double dropPercent;
    private long interestAt;
    private String mergedInto;
    private OfferState handover;

    public OfferMoment() {}

    /**
     * {@code item_trigger} ({@code price_drop} or {@code back_in_stock}) of an item for a visitor.
     */
    public static OfferMoment item(
            String visitorId,
            String itemTrigger,
            String itemId,
            double dropPercent,
            long interestAt,
            long at) {
        OfferMoment m = new OfferMoment();
        m.kind = Kind.ITEM;
        m.visitorId = visitorId;
        m.itemTrigger = itemTrigger;
        m.itemId = itemId;
        m.dropPercent = dropPercent;
        m.interestAt = interestAt;
        m.at = at;
        return m;
    }

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    /** Event time of the step, epoch millis. */
    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    /** The applied event's type; null for a timer step. */
    public EventType getEventType() {
        return eventType;
    }

    public void setEventType(EventType eventType) {
        this.eventType = eventType;
    }

    public String getSessionId() {
        return sessionId;
    }

    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getPageType() {
        return pageType;
    }

    public void setPageType(String pageType) {
        this.pageType = pageType;
    }

    public String getOfferId() {
        return offerId;
    }

    public void setOfferId(String offerId) {
        this.offerId = offerId;
    }

    public String getRecommendationId() {
        return recommendationId;
    }

    public void setRecommendationId(String recommendationId) {
        this.recommendationId = recommendationId;
    }

    public String getCouponCode() {
        return couponCode;
    }

    public void setCouponCode(String couponCode) {
        this.couponCode = couponCode;
    }

    public double getTotal() {
        return total;
    }

    public void setTotal(double total) {
        this.total = total;
    }

    public double getDiscountTotal() {
        return discountTotal;
    }

    public void setDiscountTotal(double discountTotal) {
        this.discountTotal = discountTotal;
    }

    /** A session ended in this step (before the event, when the event started a new one). */
    public boolean isSessionEnded() {
        return sessionEnded;
    }

    public void setSessionEnded(boolean sessionEnded) {
        this.sessionEnded = sessionEnded;
    }

    public long getSessionEndedAt() {
        return sessionEndedAt;
    }

    public void setSessionEndedAt(long sessionEndedAt) {
        this.sessionEndedAt = sessionEndedAt;
    }

    /** The drifting flag turned on in this step. */
    public boolean isDriftingOn() {
        return driftingOn;
    }

    public void setDriftingOn(boolean driftingOn) {
        this.driftingOn = driftingOn;
    }

    /** A lapsed customer returned in this step (lifecycle moved to won back). */
    public boolean isWonBack() {
        return wonBack;
    }

    public void setWonBack(boolean wonBack) {
        this.wonBack = wonBack;
    }

    public List<String> getJoinedSegments() {
        return joinedSegments;
    }

    public void setJoinedSegments(List<String> joinedSegments) {
        this.joinedSegments = joinedSegments;
    }

    /** Anonymous ids stitched to a forgotten visitor (their offers go too). */
    public List<String> getAliases() {
        return aliases;
    }

    public void setAliases(List<String> aliases) {
        this.aliases = aliases;
    }

    /**
     * The visitor's facts after the step ({@code ProfileFacts.of} the step's profile document: what
     * audiences are written in), on steps that may trigger a campaign; else null.
     */
    public Map<String, Object> getFacts() {
        return facts;
    }

    public void setFacts(Map<String, Object> facts) {
        this.facts = facts;
    }

    /** {@link Kind#ITEM}: {@code price_drop} or {@code back_in_stock}. */
    public String getItemTrigger() {
        return itemTrigger;
    }

    public void setItemTrigger(String itemTrigger) {
        this.itemTrigger = itemTrigger;
    }

    public double getDropPercent() {
        return dropPercent;
    }

    public void setDropPercent(double dropPercent) {
        this.dropPercent = dropPercent;
    }

    /** {@link Kind#ITEM}: when the visitor last viewed or carted the item. */
    public long getInterestAt() {
        return interestAt;
    }

    public void setInterestAt(long interestAt) {
        this.interestAt = interestAt;
    }

    /** {@link Kind#MERGED_AWAY}: the customer the anonymous id was stitched to. */
    public String getMergedInto() {
        return mergedInto;
    }

    public void setMergedInto(String mergedInto) {
        this.mergedInto = mergedInto;
    }

    /** {@link Kind#HANDOVER}: the anonymous id's offer state. */
    public OfferState getHandover() {
        return handover;
    }

    public void setHandover(OfferState handover) {
        this.handover = handover;
    }
}
