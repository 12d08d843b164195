package io.shopkeeper.api.offers;

import io.javalin.http.Context;
import io.shopkeeper.api.access.AccessGuard;
import io.shopkeeper.api.http.ApiException;
import io.shopkeeper.api.http.Params;
import io.shopkeeper.schemas.RedisKeys;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /v1/offers?customer=ID}: the visitor's active onsite offers (coupon codes masked
 * unless the request speaks for the visitor, {@link AccessGuard#speaksFor}); {@code GET
 * /v1/customers/{id}/offers/history}: every recent decision about the visitor with its reason
 * ({@code n} 1..{@value io.shopkeeper.schemas.RedisKeys#OFFER_HISTORY_KEPT}); {@code GET
 * /v1/recommendations/results?since=yyyy-MM-dd}: per strategy and context, impressions, clicks,
 * click-through rate, orders and revenue (default: the last 7 days, at most {@value
 * OfferService#MAX_RESULT_DAYS}).
 */
public final class OffersController {
    static final int DEFAULT_RESULT_DAYS = 7;

    private final OfferService offers;
    private final java.time.Clock clock;

    public OffersController(OfferService offers, java.time.Clock clock) {
        this.offers = offers;
        this.clock = clock;
    }

    /** Coupon codes in full only to a request that speaks for the visitor, else masked. */
    public void offers(Context ctx) {
        String customer = Params.requiredQueryId(ctx, "customer");
        ctx.json(offers.offers(customer, AccessGuard.speaksFor(ctx, customer)));
    }

    public void history(Context ctx) {
        String id = Params.pathId(ctx, "id");
        int n =
                Params.intInRange(
                        ctx, "n", 1, RedisKeys.OFFER_HISTORY_KEPT, RedisKeys.OFFER_HISTORY_KEPT);
        ctx.json(offers.history(id, n));
    }

    public void recommendationResults(Context ctx) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String raw = ctx.queryParam("since");
        LocalDate since = today.minusDays(DEFAULT_RESULT_DAYS - 1);
        if (raw != null) {
            try {
                since = LocalDate.parse(raw);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(
                        "since must be a date, yyyy-MM-dd; got '" + raw + "'");
            }
            if (since.isAfter(today)) {
                throw ApiException.badRequest("since must not be after today (" + today + ")");
            }
            if (since.isBefore(today.minusDays(OfferService.MAX_RESULT_DAYS - 1))) {
                throw ApiException.badRequest(
                        "since must be within the last " + OfferService.MAX_RESULT_DAYS + " days");
            }
        }
        ctx.json(offers.recommendationResults(since));
    }
}
