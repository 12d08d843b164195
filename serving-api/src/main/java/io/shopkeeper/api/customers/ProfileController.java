package io.shopkeeper.api.customers;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.shopkeeper.api.http.ApiException;
import io.shopkeeper.api.http.Params;
import io.shopkeeper.api.store.RecommendationStore;

/**
 * {@code GET /v1/customers/{id}/profile}: the profile document the streaming job keeps for a visitor,
 * passed through unchanged (the job owns its shape); 404 when the visitor has none.
 */
public final class ProfileController {
    private final RecommendationStore store;

    public ProfileController(RecommendationStore store) {
        this.store = store;
    }

    public void profile(Context ctx) {
        String id = Params.pathId(ctx, "id");
        String json = store.profileJson(id)
                .orElseThrow(() -> ApiException.notFound("no profile for customer '" + id + "'"));
        ctx.contentType(ContentType.APPLICATION_JSON).result(json);
    }
}
