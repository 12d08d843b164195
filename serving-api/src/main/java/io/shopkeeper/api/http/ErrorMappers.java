package io.shopkeeper.api.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import io.shopkeeper.api.access.RateLimitedException;
import io.shopkeeper.api.events.PublishFailedException;
import io.shopkeeper.api.store.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every exception mapper of the API, registered in one place, so every 4xx and 5xx answer carries
 * the same {@link ApiError} body, including 404 for unknown routes and 500 for bugs.
 */
public final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    /**
     * Javalin's built-in validator messages, translated below into sentences naming the parameter.
     */
    private static final String NULLCHECK_FAILED = "NULLCHECK_FAILED";

    private static final String TYPE_CONVERSION_FAILED = "TYPE_CONVERSION_FAILED";

    /** Seconds a client should wait before retrying a 503 (Retry-After). */
    public static final int RETRY_AFTER_SECONDS = 1;

    /** Where Javalin lists the methods a path does serve on its 405. */
    private static final String AVAILABLE_METHODS = "availableMethods";

    private ErrorMappers() {}

    public static void register(Javalin app) {
        app.exception(
                ApiException.class,
                (e, ctx) -> {
                    if (e instanceof RateLimitedException limited)
                        ctx.header("Retry-After", Long.toString(limited.retryAfterSeconds()));
                    if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
                    respond(ctx, e.toError());
                });
        app.exception(
                ValidationException.class,
                (e, ctx) -> respond(ctx, new ApiError(ErrorCodes.BAD_REQUEST, describe(e), 400)));
        app.exception(
                StoreUnavailableException.class,
                (e, ctx) -> {
                    LOG.warn("recommendation store unavailable: {}", e.getMessage());
                    retryLater(ctx, e.getMessage());
                });
        app.exception(
                PublishFailedException.class,
                (e, ctx) -> {
                    LOG.warn("event publishing failed: {}", e.getMessage());
                    if (e.isTransient()) {
                        retryLater(ctx, e.getMessage());
                    } else if (e.getCause() instanceof RecordTooLargeException) {
                        respond(
                                ctx,
                                new ApiError(ErrorCodes.PAYLOAD_TOO_LARGE, e.getMessage(), 413));
                    } else {
                        // Permanent and not the client's doing (collection disabled, the log
                        // refuses us): no Retry-After, a retry would fail the same way.
                        respond(
                                ctx,
                                new ApiError(ErrorCodes.SERVICE_UNAVAILABLE, e.getMessage(), 503));
                    }
                });
        app.exception(
                MethodNotAllowedResponse.class,
                (e, ctx) -> {
                    String allowed = e.getDetails().get(AVAILABLE_METHODS);
                    if (allowed != null) ctx.header(Header.ALLOW, allowed);
                    respond(
                            ctx,
                            new ApiError(
                                    ErrorCodes.METHOD_NOT_ALLOWED,
                                    ctx.method()
                                            + " is not allowed on "
                                            + ctx.path()
                                            + (allowed == null ? "" : "; allowed: " + allowed),
                                    405));
                });
        // Javalin's own responses: unknown route (EndpointNotFound), 405, 413 for an oversized
        // body, ...
        app.exception(
                HttpResponseException.class,
                (e, ctx) ->
                        respond(
                                ctx,
                                new ApiError(
                                        ErrorCodes.forStatus(e.getStatus()),
                                        e.getMessage(),
                                        e.getStatus())));
        app.exception(
                Exception.class,
                (e, ctx) -> {
                    LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                    respond(
                            ctx,
                            new ApiError(
                                    ErrorCodes.INTERNAL_ERROR,
                                    "unexpected server error; see the server log",
                                    500));
                });
    }

    /** 503 for a transient failure, with how long to wait before retrying. */
    static void retryLater(Context ctx, String message) {
        ctx.header(Header.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        respond(ctx, new ApiError(ErrorCodes.SERVICE_UNAVAILABLE, message, 503));
    }

    public static void respond(Context ctx, ApiError error) {
        ctx.status(error.status()).json(error);
    }

    /**
     * One sentence per invalid parameter, each naming the parameter, e.g. "n must be an integer;
     * got 'abc'".
     */
    static String describe(ValidationException e) {
        StringJoiner message = new StringJoiner("; ");
        for (Map.Entry<String, List<ValidationError<Object>>> entry : e.getErrors().entrySet()) {
            String param = entry.getKey();
            for (ValidationError<Object> error : entry.getValue()) {
                message.add(describe(param, error));
            }
        }
        return message.toString();
    }

    private static String describe(String param, ValidationError<Object> error) {
        String code = error.getMessage();
        if (NULLCHECK_FAILED.equals(code)) {
            return param + " is required";
        }
        if (TYPE_CONVERSION_FAILED.equals(code)) {
            String expected =
                    error.exception() instanceof NumberFormatException ? "an integer" : "valid";
            return param + " must be " + expected + "; got '" + error.getValue() + "'";
        }
        return code.startsWith(param + " ") ? code : param + ": " + code;
    }
}
