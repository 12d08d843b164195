package io.shopkeeper.api.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link VisitorFacts} out of a profile document with Jackson's streaming parser: one pass,
 * no tree, every other field skipped (a full profile is up to 2 KB; this costs a few microseconds).
 */
public final class VisitorFactsReader {
    private static final JsonFactory FACTORY = EventCodec.mapper().getFactory();

    /** Bound on the lists and maps read, whatever the document holds (the job caps them lower). */
    static final int MAX_ENTRIES = 50;

    private VisitorFactsReader() {}

    public static VisitorFacts read(String json) throws IOException {
        List<String> views = List.of();
        List<String> carts = List.of();
        List<String> purchased = List.of();
        Map<String, Double> categories = Map.of();
        Map<String, Double> brands = Map.of();
        double averageOrderValue = 0;
        boolean priceSensitive = false;
        boolean drifting = false;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IOException("a profile must be a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "recentViews" -> views = strings(p, value);
                    case "recentCarts" -> carts = strings(p, value);
                    case "purchasedItems" -> purchased = strings(p, value);
                    case "categoryAffinity" -> categories = numbers(p, value);
                    case "brandAffinity" -> brands = numbers(p, value);
                    case "averageOrderValue" ->
                            averageOrderValue = value.isNumeric() ? p.getDoubleValue() : 0;
                    case "priceSensitive" -> priceSensitive = flagged(p, value);
                    case "drifting" -> drifting = flagged(p, value);
                    default -> p.skipChildren();
                }
            }
        }
        return new VisitorFacts(
                views,
                carts,
                purchased,
                categories,
                brands,
                averageOrderValue,
                priceSensitive,
                drifting);
    }

    private static List<String> strings(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING && out.size() < MAX_ENTRIES && !p.getText().isBlank())
                out.add(p.getText());
            else p.skipChildren();
        }
        return out;
    }

    private static Map<String, Double> numbers(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, Double> out = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (t.isNumeric() && out.size() < MAX_ENTRIES) out.put(key, p.getDoubleValue());
            else p.skipChildren();
        }
        return out;
    }

    /** The {@code flagged} field of a signal object ({@code {"score":..,"flagged":true,...}}). */
    private static boolean flagged(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE)
            return value == JsonToken.VALUE_TRUE;
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return false;
        }
        boolean flagged = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if ("flagged".equals(key)) flagged = t == JsonToken.VALUE_TRUE;
            else p.skipChildren();
        }
        return flagged;
    }
}
