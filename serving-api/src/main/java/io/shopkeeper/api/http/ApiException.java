package io.shopkeeper.api.http;

/**
 * An expected failure that maps to one HTTP status and error code; thrown by controllers and turned
 * into an {@link ApiError} body by {@link ErrorMappers}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, ErrorCodes.BAD_REQUEST, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, ErrorCodes.UNAUTHORIZED, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, ErrorCodes.FORBIDDEN, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, ErrorCodes.NOT_FOUND, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, ErrorCodes.CONFLICT, message);
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, ErrorCodes.SERVICE_UNAVAILABLE, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ApiError toError() {
        return new ApiError(code, getMessage(), status);
    }
}
