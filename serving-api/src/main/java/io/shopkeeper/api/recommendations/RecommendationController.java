package io.shopkeeper.api.recommendations;

import io.javalin.http.Context;
import io.shopkeeper.api.http.Params;
import java.util.List;

/** HTTP face of {@link RecommendationService}: {@code GET /v1/recommendations}. */
public final class RecommendationController {
    private static final String CONTEXT_MESSAGE =
            "context must be one of " + PageContext.wireNames();

    private final RecommendationService service;

    public RecommendationController(RecommendationService service) {
        this.service = service;
    }

    public void recommend(Context ctx) {
        String customer = Params.requiredQueryId(ctx, "customer");
        PageContext context =
                PageContext.fromWireName(
                        ctx.queryParamAsClass("context", String.class)
                                .check(c -> PageContext.fromWireName(c) != null, CONTEXT_MESSAGE)
                                .getOrDefault(PageContext.HOME.wireName()));
        String item = Params.optionalQueryId(ctx, "item");
        String category = Params.optionalQueryId(ctx, "category");
        List<String> cartItems = Params.optionalIdList(ctx, "items");
        int n = Params.limit(ctx);
        ctx.json(
                service.recommend(
                        new RecommendationRequest(
                                customer, context, item, category, n, cartItems)));
    }
}
