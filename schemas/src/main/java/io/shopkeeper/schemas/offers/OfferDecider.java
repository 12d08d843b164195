package io.shopkeeper.schemas.offers;

import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import io.shopkeeper.schemas.offers.Decision.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rules of one decision moment: a trigger fired for a visitor, and these live campaigns listen
 * to it. In order of priority (highest first, then id):
 *
 * <ol>
 *   <li>not eligible: the audience condition does not match ({@code audience}); a coupon for a
 *       visitor who is not price-sensitive, unless the campaign allows full-price customers ({@code
 *       full_price_customer});
 *   <li>capped: another campaign already took this moment ({@code lower_priority}), the campaign's
 *       own cap ({@code campaign_cap}) or the global cap ({@code global_cap});
 *   <li>held out: the global holdout ({@code global_holdout}), then the campaign's ({@code
 *       holdout}); the decision is recorded as the offer that would have been sent;
 *   <li>sent.
 * </ol>
 *
 * At most one campaign is assigned (sent or held out) per moment, so a visitor gets one offer, not
 * one per listening campaign; the holdout comes after eligibility and caps, so both groups are
 * eligible and capped the same way. Pure: the caller owns the history.
 */
public final class OfferDecider {
    private final Caps.Global globalCap;
    private final double globalHoldoutPercent;

    public OfferDecider(Caps.Global globalCap, double globalHoldoutPercent) {
        this.globalCap = globalCap;
        this.globalHoldoutPercent = globalHoldoutPercent;
    }

    /** A decision and, when it is sent or held out, the offer (sent or that would have been). */
    public record Result(Decision decision, Offer offer) {}

    /**
     * Decides for every campaign listening to this moment.
     *
     * @param facts the visitor's profile facts now ({@link ProfileFacts})
     * @param history the visitor's earlier assigned decisions (for the caps)
     * @param trigger what fired, e.g. {@code left_at_price:i26}
     */
    public List<Result> decide(
            String visitorId,
            List<Campaign> campaigns,
            Map<String, Object> facts,
            List<Caps.Assigned> history,
            String trigger,
            Instant at) {
        List<Campaign> ordered =
                campaigns.stream()
                        .filter(c -> c.isActiveAt(at))
                        .sorted(
                                Comparator.comparingInt(Campaign::priority)
                                        .reversed()
                                        .thenComparing(Campaign::id))
                        .toList();
        List<Result> results = new ArrayList<>(ordered.size());
        boolean taken = false;
        for (Campaign c : ordered) {
            String notEligible = notEligibleReason(c, facts);
            if (notEligible != null) {
                results.add(result(visitorId, c, Outcome.NOT_ELIGIBLE, notEligible, trigger, at));
                continue;
            }
            String capped = taken ? "lower_priority" : Caps.capReason(c, globalCap, history, at);
            if (capped != null) {
                results.add(result(visitorId, c, Outcome.CAPPED, capped, trigger, at));
                continue;
            }
            taken = true;
            String offerId = offerId(visitorId, c, history, at);
            Offer offer = Offer.of(offerId, visitorId, c, trigger, at);
            Decision decision;
            if (Holdout.isHeldOut(Holdout.GLOBAL, visitorId, globalHoldoutPercent)) {
                decision =
                        decision(
                                visitorId,
                                c,
                                Outcome.HELD_OUT,
                                "global_holdout",
                                trigger,
                                offerId,
                                at);
            } else if (Holdout.isHeldOut(c.id(), visitorId, c.holdoutPercent())) {
                decision =
                        decision(visitorId, c, Outcome.HELD_OUT, "holdout", trigger, offerId, at);
            } else {
                decision =
                        decision(
                                visitorId,
                                c,
                                Outcome.SENT,
                                c.trigger().type().wireName(),
                                trigger,
                                offerId,
                                at);
            }
            results.add(new Result(decision, offer));
        }
        return results;
    }

    /** Null when the visitor is eligible for the campaign, else the reason. */
    public static String notEligibleReason(Campaign c, Map<String, Object> facts) {
        if (!Audience.of(c.audience()).matches(facts)) return "audience";
        if (c.offer().kind() == OfferKind.COUPON
                && !c.allowFullPriceCustomers()
                && !Boolean.TRUE.equals(facts.get("priceSensitive"))) {
            return "full_price_customer";
        }
        return null;
    }

    private static String offerId(
            String visitorId, Campaign c, List<Caps.Assigned> history, Instant at) {
        var per = c.cap().perDuration();
        long window = OfferIds.window(at, per);
        int sequence = 0;
        for (Caps.Assigned a : history) {
            if (a.campaignId().equals(c.id())
                    && OfferIds.window(Instant.ofEpochMilli(a.at()), per) == window) sequence++;
        }
        return OfferIds.offerId(visitorId, c.id(), c.version(), window, sequence);
    }

    private static Result result(
            String visitorId,
            Campaign c,
            Outcome outcome,
            String reason,
            String trigger,
            Instant at) {
        return new Result(decision(visitorId, c, outcome, reason, trigger, null, at), null);
    }

    private static Decision decision(
            String visitorId,
            Campaign c,
            Outcome outcome,
            String reason,
            String trigger,
            String offerId,
            Instant at) {
        return new Decision(
                visitorId,
                c.id(),
                c.version(),
                outcome,
                reason,
                trigger,
                offerId,
                at.toEpochMilli());
    }
}
