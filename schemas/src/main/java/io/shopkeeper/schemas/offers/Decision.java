package io.shopkeeper.schemas.offers;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * One decision about one visitor for one campaign, kept for the audit ({@code
 * sk:offer-history:{visitor}}) and counted in the campaign's results.
 *
 * @param offerId the offer's deterministic id; also set when held out (the offer that would have
 *     been sent), null when not eligible or capped
 * @param trigger what fired, e.g. {@code left_at_price:i26}
 * @param reason why this outcome, e.g. {@code audience}, {@code full_price_customer}, {@code
 *     campaign_cap}, {@code global_cap}, {@code lower_priority}, {@code holdout}, {@code
 *     global_holdout}
 * @param at event time of the decision, epoch millis
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(
        String visitorId,
        String campaignId,
        long campaignVersion,
        Outcome outcome,
        String reason,
        String trigger,
        String offerId,
        long at) {

    public enum Outcome {
        @JsonProperty("sent")
        SENT,
        @JsonProperty("held_out")
        HELD_OUT,
        @JsonProperty("capped")
        CAPPED,
        @JsonProperty("not_eligible")
        NOT_ELIGIBLE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Sent and held-out decisions are the two measured groups and count against caps. */
        public boolean isAssigned() {
            return this == SENT || this == HELD_OUT;
        }
    }
}
