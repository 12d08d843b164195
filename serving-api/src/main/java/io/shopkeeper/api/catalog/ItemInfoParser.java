package io.shopkeeper.api.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ItemInfo;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the fields of an {@link ItemInfo} JSON document the cache keeps, with a streaming parser
 * (no tree, no bean): {@code categoryId}, {@code brand}, {@code price}, {@code listPrice}, {@code
 * inStock} (missing means in stock, as in {@link ItemInfo}). Other fields (title, ...) are skipped.
 * Category and brand strings are de-duplicated through the parser's table, so 100k items share a
 * few hundred strings. Not thread-safe: one per loading thread.
 */
final class ItemInfoParser {
    private static final JsonFactory FACTORY = EventCodec.mapper().getFactory();

    private final Map<String, String> strings = new HashMap<>();

    /** The item's facts; throws on a document that is not a JSON object. */
    CatalogItem parse(String json) throws IOException {
        String category = null;
        String brand = null;
        float price = Float.NaN;
        float listPrice = Float.NaN;
        boolean inStock = true;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "categoryId" ->
                            category = value == JsonToken.VALUE_STRING ? shared(p.getText()) : null;
                    case "brand" ->
                            brand = value == JsonToken.VALUE_STRING ? shared(p.getText()) : null;
                    case "price" -> price = value.isNumeric() ? p.getFloatValue() : Float.NaN;
                    case "listPrice" ->
                            listPrice = value.isNumeric() ? p.getFloatValue() : Float.NaN;
                    case "inStock" -> inStock = value != JsonToken.VALUE_FALSE;
                    default -> p.skipChildren();
                }
            }
        }
        return new CatalogItem(category, brand, price, listPrice, inStock);
    }

    private String shared(String s) {
        if (s.isBlank()) return null;
        String known = strings.putIfAbsent(s, s);
        return known != null ? known : s;
    }
}
