package io.shopkeeper.api.segments;

import io.javalin.http.Context;
import io.shopkeeper.api.http.ApiException;
import io.shopkeeper.api.http.Params;

/**
 * {@code GET /v1/segments}: the declared segments with live sizes; {@code GET
 * /v1/segments/{name}/members}: one page of a segment's members ({@code cursor}, {@code count}
 * 1..{@value #MAX_COUNT}), 404 for a segment the job does not declare.
 */
public final class SegmentsController {
    public static final int MAX_COUNT = 1000;
    public static final int DEFAULT_COUNT = 100;

    private final SegmentService segments;

    public SegmentsController(SegmentService segments) {
        this.segments = segments;
    }

    public void list(Context ctx) {
        ctx.json(segments.segments());
    }

    public void members(Context ctx) {
        String name = Params.pathId(ctx, "name");
        String cursor = Params.scanCursor(ctx);
        int count = Params.intInRange(ctx, "count", 1, MAX_COUNT, DEFAULT_COUNT);
        ctx.json(
                segments.members(name, cursor, count)
                        .orElseThrow(
                                () ->
                                        ApiException.notFound(
                                                "no segment '"
                                                        + name
                                                        + "'; see GET /v1/segments")));
    }
}
