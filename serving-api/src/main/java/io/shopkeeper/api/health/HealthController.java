package io.shopkeeper.api.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.shopkeeper.api.http.ErrorCodes;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /health}: 200 with every check when all dependencies are up; 503 otherwise, then also
 * carrying the common error fields ({@code error}, {@code message}, {@code status}).
 */
public final class HealthController {
    private final HealthCheck health;

    public HealthController(HealthCheck health) {
        this.health = health;
    }

    /**
     * The body: {@code healthy}, per-dependency {@code checks}, and the error fields when
     * unhealthy.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealthResponse(
            boolean healthy,
            Map<String, ProbeResult> checks,
            String error,
            String message,
            Integer status) {}

    public void health(Context ctx) {
        HealthCheck.Report report = health.check();
        if (report.healthy()) {
            ctx.status(200).json(new HealthResponse(true, report.checks(), null, null, null));
            return;
        }
        String down =
                report.checks().entrySet().stream()
                        .filter(e -> !e.getValue().up())
                        .map(Map.Entry::getKey)
                        .collect(Collectors.joining(", "));
        ctx.status(503)
                .json(
                        new HealthResponse(
                                false,
                                report.checks(),
                                ErrorCodes.SERVICE_UNAVAILABLE,
                                "unavailable: " + down,
                                503));
    }
}
