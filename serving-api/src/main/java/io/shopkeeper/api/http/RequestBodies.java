package io.shopkeeper.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.javalin.http.Context;
import io.shopkeeper.schemas.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Reads JSON request bodies defensively, for every route that takes one: the {@code Content-Type}
 * must be JSON (415), the body is counted on the stream, so its size is bounded whatever the
 * framing, chunked or not (413); a body that stalls gets 408 and one that breaks off or is framed
 * wrongly gets 400; the JSON must be one value with nothing after it (400).
 */
public final class RequestBodies {
    private static final ObjectReader STRICT_JSON =
            EventCodec.mapper()
                    .reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .forType(JsonNode.class);

    private RequestBodies() {}

    /** The body as one JSON value, at most {@code maxBytes} long. */
    public static JsonNode readJson(Context ctx, long maxBytes) {
        requireJsonContentType(ctx.contentType());
        byte[] body = readBounded(ctx, maxBytes);
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; expected JSON");
        }
        try {
            return STRICT_JSON.readValue(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(
                    "malformed JSON body: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON body: " + firstLine(e.getMessage()));
        }
    }

    /** {@code application/json} or a {@code +json} type, with any parameters (e.g. charset). */
    static void requireJsonContentType(String contentType) {
        String type =
                contentType == null
                        ? ""
                        : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json")
                && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new ApiException(
                    415,
                    ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json; got "
                            + (contentType == null ? "none" : "'" + contentType + "'"));
        }
    }

    private static byte[] readBounded(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(maxBytes);
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), maxBytes));
        byte[] buffer = new byte[8192];
        try {
            InputStream in = ctx.req().getInputStream();
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) throw tooLarge(maxBytes);
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) throw api;
            throw unreadable(e);
        }
        return out.toByteArray();
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(
                413,
                ErrorCodes.PAYLOAD_TOO_LARGE,
                "the request body is larger than " + maxBytes + " bytes");
    }

    /** A stalled body (idle timeout, too slow) is 408; a broken or cut-off one is 400. */
    private static ApiException unreadable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof java.net.SocketTimeoutException
                    || (t instanceof org.eclipse.jetty.http.BadMessageException bad
                            && bad.getCode() == 408)) {
                return new ApiException(
                        408, ErrorCodes.REQUEST_TIMEOUT, "the request body did not arrive in time");
            }
        }
        return ApiException.badRequest(
                "the request body could not be read: " + firstLine(String.valueOf(e.getMessage())));
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
