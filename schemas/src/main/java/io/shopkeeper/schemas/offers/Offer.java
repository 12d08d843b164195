package io.shopkeeper.schemas.offers;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shopkeeper.schemas.offers.Campaign.Channel;
import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import java.time.Duration;
import java.time.Instant;

/**
 * An offer sent to a visitor: stored for the storefront at {@code sk:offers:{visitor}} (onsite) or
 * published to the {@code offers} topic (outbound). {@code items} is filled by the API for a
 * recommendations offer, from the visitor's list at the time it is served.
 *
 * @param reason the trigger that caused it, e.g. {@code left_at_price:i26}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Offer(
        String offerId,
        String visitorId,
        String campaignId,
        long campaignVersion,
        OfferKind kind,
        Channel channel,
        String couponCode,
        Double discountPercent,
        Double discountAmount,
        String message,
        String headline,
        java.util.List<String> items,
        Instant createdAt,
        Instant expiresAt,
        String reason) {

    /** The offer {@code campaign} makes, decided at {@code at} under {@code offerId}. */
    public static Offer of(
            String offerId, String visitorId, Campaign campaign, String reason, Instant at) {
        Campaign.OfferSpec spec = campaign.offer();
        Duration validFor = spec.validForDuration();
        return new Offer(
                offerId,
                visitorId,
                campaign.id(),
                campaign.version(),
                spec.kind(),
                campaign.channel(),
                spec.kind() == OfferKind.COUPON ? OfferIds.couponCode(offerId) : null,
                spec.discountPercent(),
                spec.discountAmount(),
                spec.message(),
                spec.headline(),
                null,
                at,
                at.plus(validFor),
                reason);
    }

    /** This offer with its coupon code masked ({@link OfferIds#mask}). */
    public Offer withCouponCodeMasked() {
        if (couponCode == null) return this;
        return new Offer(
                offerId,
                visitorId,
                campaignId,
                campaignVersion,
                kind,
                channel,
                OfferIds.mask(couponCode),
                discountPercent,
                discountAmount,
                message,
                headline,
                items,
                createdAt,
                expiresAt,
                reason);
    }

    public Offer withItems(java.util.List<String> newItems) {
        return new Offer(
                offerId,
                visitorId,
                campaignId,
                campaignVersion,
                kind,
                channel,
                couponCode,
                discountPercent,
                discountAmount,
                message,
                headline,
                newItems,
                createdAt,
                expiresAt,
                reason);
    }
}
