package io.shopkeeper.jobs.signals;

import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The price-sensitive and drifting signals. Pure logic (no Flink): the profile operator calls
 * {@link #observe} for every event of the visitor, {@link #sessionEnded} when the session's
 * inactivity timer fires, then re-evaluates both signals.
 *
 * <p>Contract: signals are re-evaluated on every relevant event and switch off again when the
 * evidence fades; {@code onSince} keeps the event time the flag last turned on.
 */
public final class SignalEngine implements Serializable {

    /** Folds one event into the evidence. {@code longTermCategories} is the profile's slow-decaying affinity. */
    public void observe(SignalEvidence evidence, ShopEvent event, Map<String, Double> longTermCategories) {
        switch (event.getType()) {
            case PAGE_VIEW -> evidence.setSessionPageViews(evidence.getSessionPageViews() + 1);
            case PRODUCT_VIEW -> {
                evidence.setSessionProductViews(evidence.getSessionProductViews() + 1);
                evidence.setLastProductViewAt(event.eventTimeMillis());
                evidence.setLastProductViewPrice(event.getPrice());
                if (event.getCategoryId() != null && !evidence.getSessionCategories().contains(event.getCategoryId())
                        && evidence.getSessionCategories().size() < 20) {
                    evidence.getSessionCategories().add(event.getCategoryId());
                }
            }
            case ADD_TO_CART -> evidence.setSessionCarts(evidence.getSessionCarts() + 1);
            case ORDER_PLACED -> {
                evidence.setOrders(evidence.getOrders() + 1);
                if (event.getCouponCode() != null) evidence.setCouponOrders(evidence.getCouponOrders() + 1);
                for (OrderLine line : event.getLines()) {
                    evidence.setOrderLines(evidence.getOrderLines() + 1);
                    if (line.discounted()) evidence.setDiscountedLines(evidence.getDiscountedLines() + 1);
                }
            }
            default -> {
            }
        }
    }

    /** Called when the visitor's session ends (event-time inactivity timer): in-session evidence is reset. */
    public void sessionEnded(SignalEvidence evidence, long at) {
        evidence.setSessionPageViews(0);
        evidence.setSessionProductViews(0);
        evidence.setSessionCarts(0);
        evidence.getSessionCategories().clear();
    }

    public SignalState priceSensitivity(SignalEvidence evidence, SignalState previous, long now) {
        List<String> reasons = new ArrayList<>();
        double score = 0;
        if (evidence.getOrderLines() >= 2 && evidence.getDiscountedLines() * 2 > evidence.getOrderLines()) {
            score += 0.6;
            reasons.add("discount_share_high");
        }
        if (evidence.getOrders() >= 2 && evidence.getCouponOrders() * 2 > evidence.getOrders()) {
            score += 0.4;
            reasons.add("coupon_share_high");
        }
        return next(previous, Math.min(1, score), reasons, now);
    }

    public SignalState drifting(SignalEvidence evidence, SignalState previous, long now) {
        List<String> reasons = new ArrayList<>();
        double score = 0;
        if (evidence.getSessionProductViews() >= 8 && evidence.getSessionCarts() == 0
                && evidence.getSessionCategories().size() >= 4) {
            score = 0.8;
            reasons.add("wandering_across_categories");
        }
        return next(previous, score, reasons, now);
    }

    private static SignalState next(SignalState previous, double score, List<String> reasons, long now) {
        boolean flagged = score >= 0.5;
        boolean wasOn = previous != null && previous.isFlagged();
        long onSince = flagged ? (wasOn ? previous.getOnSince() : now) : 0;
        return new SignalState(score, flagged, reasons, onSince);
    }
}
