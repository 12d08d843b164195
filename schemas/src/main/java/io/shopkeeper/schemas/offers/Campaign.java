package io.shopkeeper.schemas.offers;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;

/**
 * A marketing campaign: when to act (trigger), on whom (audience), with what (offer), through which
 * channel, how often at most (cap), against which holdout, and for how long a conversion counts.
 * Built and checked only by {@link CampaignCodec}; durations keep the ISO-8601 text they were
 * written with and are read through the {@code ...Duration()} accessors.
 *
 * @param version set by the API: 1 on creation, +1 on every change (status changes included)
 * @param updatedAt set by the API at every change
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Campaign(
        String id,
        String name,
        Trigger trigger,
        String audience,
        OfferSpec offer,
        boolean allowFullPriceCustomers,
        Channel channel,
        Cap cap,
        int holdoutPercent,
        String conversionWindow,
        int priority,
        Status status,
        Instant startsAt,
        Instant endsAt,
        long version,
        Instant updatedAt) {

    /** What makes the campaign consider a visitor; see {@link TriggerType}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(
            TriggerType type, String after, String within, Double minDropPercent, String segment) {

        /** {@code cart_abandoned}: how long without an order after the cart or checkout. */
        public Duration afterDuration() {
            return after == null ? null : Duration.parse(after);
        }

        /**
         * {@code price_drop}, {@code back_in_stock}: how recent the interest in the item must be.
         */
        public Duration withinDuration() {
            return within == null ? null : Duration.parse(within);
        }
    }

    /**
     * What the visitor gets. A {@code coupon} has exactly one of {@code discountPercent} and {@code
     * discountAmount}; {@code validFor} bounds every offer's life.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OfferSpec(
            OfferKind kind,
            Double discountPercent,
            Double discountAmount,
            String validFor,
            String message,
            String headline) {

        public Duration validForDuration() {
            return Duration.parse(validFor);
        }
    }

    /**
     * At most {@code perCustomer} decisions to send (sent or held out) per visitor per {@code per}.
     */
    public record Cap(int perCustomer, String per) {
        public Duration perDuration() {
            return Duration.parse(per);
        }
    }

    public enum TriggerType {
        /** Leaves on a product page after seeing the price, nothing in the cart. */
        @JsonProperty("left_at_price")
        LEFT_AT_PRICE,
        /** Cart or checkout reached, no order (nor an emptied cart) within {@code after}. */
        @JsonProperty("cart_abandoned")
        CART_ABANDONED,
        /** The drifting flag turns on. */
        @JsonProperty("drifting")
        DRIFTING,
        /** A lapsed or at-risk customer returns (lifecycle moves to won back). */
        @JsonProperty("came_back")
        CAME_BACK,
        /**
         * An item viewed or carted within {@code within} drops by at least {@code minDropPercent}.
         */
        @JsonProperty("price_drop")
        PRICE_DROP,
        /** An item viewed or carted within {@code within} comes back in stock. */
        @JsonProperty("back_in_stock")
        BACK_IN_STOCK,
        /** The visitor enters {@code segment}. */
        @JsonProperty("segment_joined")
        SEGMENT_JOINED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum OfferKind {
        @JsonProperty("coupon")
        COUPON,
        @JsonProperty("message")
        MESSAGE,
        /** A guided list: the visitor's recommendations under a headline. */
        @JsonProperty("recommendations")
        RECOMMENDATIONS;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Channel {
        /** Served by the API to the storefront ({@code GET /v1/offers}). */
        @JsonProperty("onsite")
        ONSITE,
        /** Published to the {@code offers} topic for an e-mail or push system. */
        @JsonProperty("outbound")
        OUTBOUND;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Status {
        @JsonProperty("draft")
        DRAFT,
        @JsonProperty("live")
        LIVE,
        @JsonProperty("paused")
        PAUSED,
        @JsonProperty("ended")
        ENDED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Duration conversionWindowDuration() {
        return Duration.parse(conversionWindow);
    }

    /** Whether the campaign acts at {@code at}: live, and inside {@code startsAt..endsAt}. */
    public boolean isActiveAt(Instant at) {
        return status == Status.LIVE
                && (startsAt == null || !at.isBefore(startsAt))
                && (endsAt == null || at.isBefore(endsAt));
    }

    public Campaign withStatus(Status newStatus) {
        return new Campaign(
                id,
                name,
                trigger,
                audience,
                offer,
                allowFullPriceCustomers,
                channel,
                cap,
                holdoutPercent,
                conversionWindow,
                priority,
                newStatus,
                startsAt,
                endsAt,
                version,
                updatedAt);
    }

    /** This definition as the API stores it: {@code version} and {@code updatedAt} set. */
    public Campaign withVersion(long newVersion, Instant at) {
        return new Campaign(
                id,
                name,
                trigger,
                audience,
                offer,
                allowFullPriceCustomers,
                channel,
                cap,
                holdoutPercent,
                conversionWindow,
                priority,
                status,
                startsAt,
                endsAt,
                newVersion,
                at);
    }
}
