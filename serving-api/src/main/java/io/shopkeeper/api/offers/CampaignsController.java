package io.shopkeeper.api.offers;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.shopkeeper.api.http.Params;
import io.shopkeeper.api.http.RequestBodies;
import io.shopkeeper.api.offers.CampaignService.Action;

/**
 * The campaign routes (admin): {@code POST /v1/campaigns} (201), {@code GET /v1/campaigns}, {@code
 * GET|PUT /v1/campaigns/{id}}, {@code POST /v1/campaigns/{id}/pause|resume|end}, {@code POST
 * /v1/campaigns/{id}/preview} and {@code GET /v1/campaigns/{id}/results}. A bad definition gets 400
 * with the reason, an unknown campaign 404, a change that conflicts with the campaign's state 409.
 */
public final class CampaignsController {
    /** A campaign definition is small: a few hundred bytes; 64 KiB leaves room for any. */
    public static final long MAX_DEFINITION_BYTES = 64 * 1024;

    private final CampaignService campaigns;

    public CampaignsController(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    public void create(Context ctx) {
        var created = campaigns.create(RequestBodies.readJson(ctx, MAX_DEFINITION_BYTES));
        ctx.status(HttpStatus.CREATED)
                .header("Location", "/v1/campaigns/" + created.id())
                .json(created);
    }

    public void list(Context ctx) {
        ctx.json(campaigns.list());
    }

    public void get(Context ctx) {
        ctx.json(campaigns.get(Params.pathId(ctx, "id")));
    }

    public void replace(Context ctx) {
        String id = Params.pathId(ctx, "id");
        ctx.json(campaigns.replace(id, RequestBodies.readJson(ctx, MAX_DEFINITION_BYTES)));
    }

    public void pause(Context ctx) {
        ctx.json(campaigns.transition(Params.pathId(ctx, "id"), Action.PAUSE));
    }

    public void resume(Context ctx) {
        ctx.json(campaigns.transition(Params.pathId(ctx, "id"), Action.RESUME));
    }

    public void end(Context ctx) {
        ctx.json(campaigns.transition(Params.pathId(ctx, "id"), Action.END));
    }

    public void preview(Context ctx) {
        ctx.json(campaigns.preview(Params.pathId(ctx, "id")));
    }

    public void results(Context ctx) {
        ctx.json(campaigns.results(Params.pathId(ctx, "id")));
    }
}
