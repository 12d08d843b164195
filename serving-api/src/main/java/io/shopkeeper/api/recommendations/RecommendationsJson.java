package io.shopkeeper.api.recommendations;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link Recommendations} answer as JSON text with a streaming generator, character for
 * character what {@code EventCodec.mapper().writeValueAsString} writes for it (field order of the
 * record, {@code reason: null} kept, {@code stale} only when true, {@code generatedAt} as an
 * ISO-8601 instant): binding the record through the mapper's serializers cost as much as ranking
 * the answer.
 */
final class RecommendationsJson {
    private static final JsonFactory JSON = EventCodec.mapper().getFactory();

    /** Room for a typical answer (10 items: about 1 KB) without growing. */
    private static final int INITIAL_CHARS = 2048;

    private RecommendationsJson() {}

    static String write(Recommendations answer) {
        // Text, as the mapper writes it.
        StringWriter out = new StringWriter(INITIAL_CHARS);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Writes the UTF-8 bytes of {@link #write}'s text (what the answer sends) to {@code out},
     * through the generator's own recycled buffer: no text, no byte array per answer. Jackson's
     * byte generator writes a character beyond the BMP as an escaped surrogate pair, where the text
     * has the character itself (and a lone surrogate as {@code ?} once encoded): an answer with any
     * surrogate goes the text's way.
     */
    static void writeTo(Recommendations answer, OutputStream out) throws IOException {
        if (hasSurrogate(answer)) {
            out.write(write(answer).getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            // Neither closed nor flushed here: a flush would commit the answer before its length
            // is known (chunked); the server closes it with the length, as it did the result.
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            write(g, answer);
        }
    }

    private static boolean hasSurrogate(Recommendations answer) {
        if (hasSurrogate(answer.recommendationId())
                || hasSurrogate(answer.customer())
                || hasSurrogate(answer.context())
                || hasSurrogate(answer.strategy())) return true;
        if (answer.items() != null) {
            for (RecommendedItem item : answer.items()) {
                if (item != null && (hasSurrogate(item.itemId()) || hasSurrogate(item.reason())))
                    return true;
            }
        }
        return false;
    }

    private static boolean hasSurrogate(String s) {
        if (s == null) return false;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) return true;
        }
        return false;
    }

    private static void write(JsonGenerator g, Recommendations answer) throws IOException {
        g.writeStartObject();
        g.writeStringField("recommendationId", answer.recommendationId());
        g.writeStringField("customer", answer.customer());
        g.writeStringField("context", answer.context());
        g.writeStringField("strategy", answer.strategy());
        g.writeFieldName("items");
        if (answer.items() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (RecommendedItem item : answer.items()) {
                if (item == null) {
                    g.writeNull();
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("itemId", item.itemId());
                g.writeNumberField("score", item.score());
                g.writeStringField("reason", item.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeFieldName("generatedAt");
        if (answer.generatedAt() == null) g.writeNull();
        else InstantText.write(g, answer.generatedAt());
        if (answer.stale()) g.writeBooleanField("stale", true);
        g.writeEndObject();
    }
}
