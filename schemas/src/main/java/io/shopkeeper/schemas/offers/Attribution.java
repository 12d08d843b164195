package io.shopkeeper.schemas.offers;

import java.util.List;

/**
 * Which decision an impression, click or order belongs to. Impressions and clicks name the offer
 * ({@code offerId}). An order is attributed to the treated decision whose coupon it redeems; else
 * to the most recent decision, treated or held out alike, whose conversion window contains it and
 * that has not converted yet. An order is attributed to at most one decision and a decision
 * converts at most once, so nothing is counted twice.
 */
public final class Attribution {
    private Attribution() {}

    /**
     * A sent or held-out decision still within its conversion window.
     *
     * @param couponCode the code of a sent coupon, else null
     * @param windowEnd epoch millis: decision time plus the campaign's conversion window
     */
    public record Open(
            String offerId,
            String campaignId,
            boolean treated,
            String couponCode,
            long decidedAt,
            long windowEnd,
            boolean converted) {

        public Open convert() {
            return new Open(offerId, campaignId, treated, couponCode, decidedAt, windowEnd, true);
        }
    }

    /** The index in {@code open} of the decision an order is attributed to, or -1. */
    public static int order(List<Open> open, String couponCode, long orderAt) {
        if (couponCode != null) {
            for (int i = 0; i < open.size(); i++) {
                Open o = open.get(i);
                if (o.treated() && !o.converted() && couponCode.equals(o.couponCode())) return i;
            }
        }
        int best = -1;
        for (int i = 0; i < open.size(); i++) {
            Open o = open.get(i);
            if (o.converted() || orderAt < o.decidedAt() || orderAt >= o.windowEnd()) continue;
            if (best < 0 || o.decidedAt() > open.get(best).decidedAt()) best = i;
        }
        return best;
    }

    /** The index of the treated decision whose offer an impression or click names, or -1. */
    public static int engagement(List<Open> open, String offerId) {
        for (int i = 0; i < open.size(); i++) {
            if (open.get(i).treated() && open.get(i).offerId().equals(offerId)) return i;
        }
        return -1;
    }
}
