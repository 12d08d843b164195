package io.shopkeeper.api.customers;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.shopkeeper.api.http.Params;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code DELETE /v1/customers/{id}} (right to be forgotten) answers 202 once the request is in the
 * event log, with where to follow it; {@code GET /v1/customers/{id}/deletion} reports its state
 * ({@code pending}, {@code done} with {@code completedAt}, or {@code unknown}), always 200.
 */
public final class DeletionController {
    private final DeletionService deletions;

    public DeletionController(DeletionService deletions) {
        this.deletions = deletions;
    }

    /** The 202 answer to a deletion request. */
    public record DeletionAccepted(String customer, String status, String statusUrl) {}

    public void delete(Context ctx) {
        String id = Params.pathId(ctx, "id");
        deletions.requestDeletion(id);
        ctx.status(HttpStatus.ACCEPTED)
                .json(new DeletionAccepted(id, DeletionService.PENDING, statusUrl(id)));
    }

    public void status(Context ctx) {
        ctx.json(deletions.status(Params.pathId(ctx, "id")));
    }

    /** {@code /v1/customers/{id}/deletion} with the id encoded as a path segment. */
    static String statusUrl(String id) {
        return "/v1/customers/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")
                + "/deletion";
    }
}
