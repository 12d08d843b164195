package io.shopkeeper.api.recommendations;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

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
        // Text, as the mapper writes it (a byte generator would escape characters beyond the BMP).
        StringWriter out = new StringWriter(INITIAL_CHARS);
        try (JsonGenerator g = JSON.createGenerator(out)) {
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
            else g.writeString(answer.generatedAt().toString());
            if (answer.stale()) g.writeBooleanField("stale", true);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
