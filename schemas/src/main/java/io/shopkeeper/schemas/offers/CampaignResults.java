package io.shopkeeper.schemas.offers;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a campaign earned, computed from its counters ({@code sk:campaign-results:{campaign}}, a
 * HASH of the {@link #FIELDS} the job increments): decisions by outcome, the treated group (offers
 * sent: impressions, clicks, conversions, revenue, discount given) and the held-out group
 * (conversions, revenue), and the uplift of the conversion rate with its 95% Newcombe interval.
 * Incremental revenue is the treated revenue minus what the treated group would have spent at the
 * held-out group's revenue per visitor.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignResults(
        String campaignId,
        long eligible,
        long capped,
        long notEligible,
        Group treated,
        Group holdout,
        Double uplift,
        Uplift.Interval upliftCi95,
        double incrementalRevenue,
        double discountGiven) {

    public static final String SENT = "sent";
    public static final String HELD_OUT = "held_out";
    public static final String CAPPED = "capped";
    public static final String NOT_ELIGIBLE = "not_eligible";
    public static final String IMPRESSIONS = "treated.impressions";
    public static final String CLICKS = "treated.clicks";
    public static final String TREATED_CONVERSIONS = "treated.conversions";
    public static final String TREATED_REVENUE = "treated.revenue";
    public static final String HOLDOUT_CONVERSIONS = "holdout.conversions";
    public static final String HOLDOUT_REVENUE = "holdout.revenue";
    public static final String DISCOUNT = "treated.discount";

    /** Every counter field. */
    public static final java.util.List<String> FIELDS =
            java.util.List.of(
                    SENT,
                    HELD_OUT,
                    CAPPED,
                    NOT_ELIGIBLE,
                    IMPRESSIONS,
                    CLICKS,
                    TREATED_CONVERSIONS,
                    TREATED_REVENUE,
                    HOLDOUT_CONVERSIONS,
                    HOLDOUT_REVENUE,
                    DISCOUNT);

    /** One group: its size (decisions), engagement (treated only), conversions and revenue. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(
            long visitors,
            Long impressions,
            Long clicks,
            long conversions,
            Double conversionRate,
            double revenue) {}

    /** The results from the counters (missing fields are 0). */
    public static CampaignResults from(String campaignId, Map<String, String> counters) {
        long sent = count(counters, SENT);
        long heldOut = count(counters, HELD_OUT);
        long capped = count(counters, CAPPED);
        long treatedConversions = count(counters, TREATED_CONVERSIONS);
        long holdoutConversions = count(counters, HOLDOUT_CONVERSIONS);
        double treatedRevenue = amount(counters, TREATED_REVENUE);
        double holdoutRevenue = amount(counters, HOLDOUT_REVENUE);
        Uplift.Difference d = Uplift.of(treatedConversions, sent, holdoutConversions, heldOut);
        double incremental =
                heldOut > 0 ? treatedRevenue - holdoutRevenue * sent / heldOut : treatedRevenue;
        return new CampaignResults(
                campaignId,
                sent + heldOut + capped,
                capped,
                count(counters, NOT_ELIGIBLE),
                new Group(
                        sent,
                        count(counters, IMPRESSIONS),
                        count(counters, CLICKS),
                        treatedConversions,
                        d.treatedRate(),
                        round(treatedRevenue)),
                new Group(
                        heldOut,
                        null,
                        null,
                        holdoutConversions,
                        d.holdoutRate(),
                        round(holdoutRevenue)),
                d.uplift(),
                d.ci95(),
                round(incremental),
                round(amount(counters, DISCOUNT)));
    }

    private static long count(Map<String, String> counters, String field) {
        String v = counters.get(field);
        if (v == null) return 0;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return (long) amount(counters, field);
        }
    }

    private static double amount(Map<String, String> counters, String field) {
        String v = counters.get(field);
        if (v == null) return 0;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
