package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.profile.Lifecycle;
import io.shopkeeper.jobs.profile.ProfileDocuments;
import io.shopkeeper.jobs.profile.ProfileUpdate;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.util.ArrayList;
import java.util.Set;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The profile steps the offers path reads, as {@link OfferMoment}s, and the item interest the
 * price-drop index reads, as {@link ItemSignal}s. Runs chained to the profile operator, so the
 * steps that matter to no trigger and no attribution (logins, replayed history, rescores without a
 * segment join) never cross the network.
 */
public final class OfferMoments {
    /** Event types that change what a trigger or an attribution sees. */
    static final Set<EventType> READ =
            Set.of(
                    EventType.PAGE_VIEW,
                    EventType.PRODUCT_VIEW,
                    EventType.SEARCH,
                    EventType.PAGE_LEAVE,
                    EventType.ADD_TO_CART,
                    EventType.REMOVE_FROM_CART,
                    EventType.CHECKOUT_START,
                    EventType.IMPRESSION,
                    EventType.CLICK,
                    EventType.ORDER_PLACED);

    private OfferMoments() {}

    /** The moment of a profile step, or null when it matters to no offer. */
    public static OfferMoment from(ProfileUpdate u) {
        OfferMoment m = new OfferMoment();
        m.setVisitorId(u.getVisitorId());
        m.setAt(u.getAt());
        switch (u.getKind()) {
            case FORGOTTEN -> {
                m.setKind(OfferMoment.Kind.FORGOTTEN);
                m.setAliases(new ArrayList<>(u.getAliases()));
                return m;
            }
            case MERGED_AWAY -> {
                m.setKind(OfferMoment.Kind.MERGED_AWAY);
                m.setMergedInto(u.getMergedInto());
                return m;
            }
            default -> {}
        }
        CustomerProfile p = u.getProfile();
        boolean relevant = false;
        ShopEvent e = u.getKind() == ProfileUpdate.Kind.EVENT ? u.getEvent() : null;
        if (e != null && u.isLive() && READ.contains(e.getType())) {
            relevant = true;
            m.setEventType(e.getType());
            m.setSessionId(e.getSessionId());
            m.setItemId(e.getItemId());
            m.setPageType(e.getPageType());
            m.setOfferId(e.getOfferId());
            m.setRecommendationId(e.getRecommendationId());
            m.setCouponCode(e.getCouponCode());
            m.setTotal(e.getTotal() == null ? 0 : e.getTotal());
            m.setDiscountTotal(e.getDiscountTotal() == null ? 0 : e.getDiscountTotal());
        }
        if (u.isSessionEnded()) {
            relevant = true;
            m.setSessionEnded(true);
            m.setSessionEndedAt(u.getSessionEndedAt());
        }
        if (p != null
                && p.getDrifting() != null
                && p.getDrifting().isFlagged()
                && p.getDrifting().getOnSince() == u.getAt()) {
            relevant = true;
            m.setDriftingOn(true);
        }
        if (p != null
                && e != null
                && Lifecycle.WON_BACK.equals(p.getLifecycle())
                && p.getLifecycleSince() == u.getAt()) {
            relevant = true;
            m.setWonBack(true);
        }
        for (SegmentChange change : u.getSegmentChanges()) {
            if (change.isJoined()) {
                relevant = true;
                m.getJoinedSegments().add(change.getSegment());
            }
        }
        if (!relevant) return null;
        if (p != null && mayTrigger(m)) {
            // The step built the document once (for Redis); the facts are read from it here,
            // chained, so the profile itself never crosses the network.
            m.setFacts(
                    ProfileFacts.of(
                            u.getDocument() != null ? u.getDocument() : ProfileDocuments.of(p)));
        }
        return m;
    }

    /** Steps a campaign may fire on carry the visitor's facts (they decide the audience). */
    static boolean mayTrigger(OfferMoment m) {
        if (m.isSessionEnded()
                || m.isDriftingOn()
                || m.isWonBack()
                || !m.getJoinedSegments().isEmpty()) return true;
        EventType t = m.getEventType();
        return t == EventType.PAGE_LEAVE
                || t == EventType.ADD_TO_CART
                || t == EventType.CHECKOUT_START
                || (t == EventType.PAGE_VIEW
                        && ("cart".equals(m.getPageType()) || "checkout".equals(m.getPageType())));
    }

    /** Interest in an item (a live view or cart) for the price-drop / back-in-stock index. */
    public static ItemSignal interest(ProfileUpdate u) {
        if (u.getKind() != ProfileUpdate.Kind.EVENT || !u.isLive()) return null;
        ShopEvent e = u.getEvent();
        if (e == null || e.getItemId() == null) return null;
        if (e.getType() != EventType.PRODUCT_VIEW && e.getType() != EventType.ADD_TO_CART)
            return null;
        return ItemSignal.interest(e.getItemId(), u.getVisitorId(), u.getAt(), e.getPrice());
    }

    /** Profile steps to moments. */
    public static final class ToMoments implements FlatMapFunction<ProfileUpdate, OfferMoment> {
        @Override
        public void flatMap(ProfileUpdate u, Collector<OfferMoment> out) {
            OfferMoment m = from(u);
            if (m != null) out.collect(m);
        }
    }

    /** Profile steps to item interest; catalog updates to item updates. */
    public static final class ToInterest implements FlatMapFunction<ProfileUpdate, ItemSignal> {
        @Override
        public void flatMap(ProfileUpdate u, Collector<ItemSignal> out) {
            ItemSignal s = interest(u);
            if (s != null) out.collect(s);
        }
    }

    /** Catalog events to item updates. */
    public static final class ToItemUpdates implements FlatMapFunction<ShopEvent, ItemSignal> {
        @Override
        public void flatMap(ShopEvent e, Collector<ItemSignal> out) {
            if (e.getType() == EventType.ITEM_UPDATE && e.getItemId() != null) {
                out.collect(
                        ItemSignal.update(
                                e.getItemId(),
                                e.getTimestamp().toEpochMilli(),
                                e.getPrice(),
                                e.getInStock()));
            }
        }
    }
}
