package io.shopkeeper.api.http;

import io.shopkeeper.schemas.EventCodec;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers in the API's one {@link ApiError} shape instead of HTML: requests Jetty
 * refuses before they reach a route (bad chunk sizes, URI too long, headers too large, unsupported
 * HTTP versions: {@link #badMessageError}) and errors raised outside Javalin's exception mappers
 * ({@link #generateAcceptableResponse}).
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON =
            new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(
            Request baseRequest,
            HttpServletRequest request,
            HttpServletResponse response,
            int code,
            String message)
            throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(MimeTypes.Type.APPLICATION_JSON.asString());
        byte[] body = body(code, message);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static byte[] body(int status, String reason) {
        String message =
                reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        return EventCodec.encodeToString(
                        new ApiError(ErrorCodes.forStatus(status), message, status))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
