package io.shopkeeper.api.recommendations;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.shopkeeper.api.access.AccessGuard;
import io.shopkeeper.api.http.Params;
import io.shopkeeper.api.offers.OfferService;
import io.shopkeeper.schemas.offers.Offer;
import java.io.IOException;
import java.util.List;

/**
 * HTTP face of {@link RecommendationService}: {@code GET /v1/recommendations}; with {@code
 * offers=true} the answer also carries the visitor's active onsite offers (coupon codes masked as
 * on {@code /v1/offers}), so a page needs one call.
 */
public final class RecommendationController {
    private static final String CONTEXT_MESSAGE =
            "context must be one of " + PageContext.wireNames();

    private final RecommendationService service;
    private final OfferService offers;

    public RecommendationController(RecommendationService service, OfferService offers) {
        this.service = service;
        this.offers = offers;
    }

    /** The recommendations and, side by side, the visitor's offers. */
    public record WithOffers(@JsonUnwrapped Recommendations recommendations, List<Offer> offers) {}

    public void recommend(Context ctx) throws IOException {
        String customer = Params.requiredQueryId(ctx, "customer");
        PageContext context = context(ctx);
        String item = Params.optionalQueryId(ctx, "item");
        String category = Params.optionalQueryId(ctx, "category");
        List<String> cartItems = Params.optionalIdList(ctx, "items");
        int n = Params.limit(ctx);
        boolean withOffers = withOffers(ctx);
        Recommendations answer =
                service.recommend(
                        new RecommendationRequest(customer, context, item, category, n, cartItems));
        if (withOffers) {
            ctx.json(
                    new WithOffers(
                            answer,
                            offers.offers(customer, AccessGuard.speaksFor(ctx, customer))
                                    .offers()));
        } else {
            // Straight into Jetty's response buffer (as the result's copy would: Jetty sets the
            // length when the handler returns), without a copy buffer per request.
            ctx.contentType(ContentType.APPLICATION_JSON);
            RecommendationsJson.writeTo(answer, ctx.outputStream());
        }
    }

    /** {@code context}: a known page context, home when absent (as {@link Params}: fast path). */
    private static PageContext context(Context ctx) {
        String raw = Params.query(ctx, "context");
        if (raw == null) return PageContext.HOME;
        PageContext known = PageContext.fromWireName(raw);
        if (known != null) return known;
        return PageContext.fromWireName(
                ctx.queryParamAsClass("context", String.class)
                        .check(c -> PageContext.fromWireName(c) != null, CONTEXT_MESSAGE)
                        .getOrDefault(PageContext.HOME.wireName()));
    }

    /** {@code offers}: true or false, false when absent. */
    private static boolean withOffers(Context ctx) {
        String raw = Params.query(ctx, "offers");
        if (raw == null || raw.equals("false")) return false;
        if (raw.equals("true")) return true;
        return "true"
                .equals(
                        ctx.queryParamAsClass("offers", String.class)
                                .check(
                                        v -> v.equals("true") || v.equals("false"),
                                        "offers must be true or false")
                                .getOrDefault("false"));
    }
}
