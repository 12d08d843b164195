package io.shopkeeper.api.customers;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.shopkeeper.api.http.ApiException;
import io.shopkeeper.api.http.Params;

/**
 * {@code GET /v1/customers/{id}/profile}: the profile document the streaming job keeps for a
 * visitor (the job owns its shape) with its current {@code segments}; an anonymous id stitched to a
 * customer serves the customer's profile. 404 when there is none.
 */
public final class ProfileController {
    private final ProfileService profiles;

    public ProfileController(ProfileService profiles) {
        this.profiles = profiles;
    }

    public void profile(Context ctx) {
        String id = Params.pathId(ctx, "id");
        String json =
                profiles.profile(id)
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "no profile for customer '" + id + "'"));
        ctx.contentType(ContentType.APPLICATION_JSON).result(json);
    }
}
