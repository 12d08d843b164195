package io.shopkeeper.api.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RecommendationListCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What request-time ranking needs from the visitor's {@link ProfileDocument} ({@code
 * sk:profile:{visitor}}), nothing more: recent views and carts and purchased items (most recent
 * first), the decayed category and brand affinities, the average order value and the two signal
 * flags. Absent fields are empty, 0 or false.
 *
 * <p>{@link #read} takes them straight from the stored JSON, skipping the rest of the document
 * unparsed: the API reads a profile on every recommendation request, and binding the whole document
 * cost more than the rest of the read.
 */
public record VisitorFacts(
        List<String> recentViews,
        List<String> recentCarts,
        List<String> purchasedItems,
        Map<String, Double> categoryAffinity,
        Map<String, Double> brandAffinity,
        double averageOrderValue,
        boolean priceSensitive,
        boolean drifting) {

    public static final VisitorFacts NONE =
            new VisitorFacts(List.of(), List.of(), List.of(), Map.of(), Map.of(), 0, false, false);

    /** Bound on the lists and maps taken, whatever the document holds (the job caps them lower). */
    static final int MAX_ENTRIES = 50;

    /**
     * The mapper's factory, its numbers (the affinities) parsed by Jackson's fast double parser:
     * correctly rounded, the same double as {@code Double.parseDouble} of the text, without making
     * the text.
     */
    private static final JsonFactory JSON =
            EventCodec.mapper()
                    .getFactory()
                    .rebuild()
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .build();

    public static VisitorFacts of(ProfileDocument profile) {
        return new VisitorFacts(
                ids(profile.getRecentViews()),
                ids(profile.getRecentCarts()),
                ids(profile.getPurchasedItems()),
                weights(profile.getCategoryAffinity()),
                weights(profile.getBrandAffinity()),
                profile.getAverageOrderValue(),
                flagged(profile.getPriceSensitive()),
                flagged(profile.getDrifting()));
    }

    /**
     * The facts of the profile document stored as {@code json}; the same as {@code
     * of(ProfileDocument.read(json))} for every document whose ranking fields are of their declared
     * types (what the job writes), read without binding the other fields. A ranking field of
     * another shape (a number where a list is declared, a quoted number) is left to {@link
     * ProfileDocument#read} and its coercions; a malformed field the ranking does not read is
     * skipped, not an error.
     *
     * @throws IOException when {@code json} is not a profile document (not an object, malformed)
     */
    public static VisitorFacts read(String json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            return read(p);
        } catch (OtherShape e) {
            return of(ProfileDocument.read(json));
        }
    }

    /**
     * As {@link #read(String)} of the document's text, from its UTF-8 bytes as Redis returns them
     * (no text made unless a ranking field has another shape).
     *
     * @throws IOException when {@code utf8} is not a profile document (or not UTF-8)
     */
    public static VisitorFacts read(byte[] utf8) throws IOException {
        try (JsonParser p = JSON.createParser(utf8)) {
            return read(p);
        } catch (OtherShape e) {
            return of(ProfileDocument.read(new String(utf8, StandardCharsets.UTF_8)));
        }
    }

    private static VisitorFacts read(JsonParser p) throws IOException, OtherShape {
        if (p.nextToken() != JsonToken.START_OBJECT)
            throw new IOException("a profile document must be a JSON object");
        List<String> views = List.of(), carts = List.of(), purchased = List.of();
        Map<String, Double> categories = Map.of(), brands = Map.of();
        double averageOrderValue = 0;
        boolean priceSensitive = false, drifting = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "recentViews" -> views = strings(p, value);
                case "recentCarts" -> carts = strings(p, value);
                case "purchasedItems" -> purchased = strings(p, value);
                case "categoryAffinity" -> categories = numbers(p, value);
                case "brandAffinity" -> brands = numbers(p, value);
                case "averageOrderValue" -> averageOrderValue = number(p, value);
                case "priceSensitive" -> priceSensitive = flag(p, value);
                case "drifting" -> drifting = flag(p, value);
                default -> p.skipChildren();
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

    /** A ranking field not in its declared shape: {@link #read} binds the whole document. */
    private static final class OtherShape extends Exception {
        private static final OtherShape INSTANCE = new OtherShape();

        private OtherShape() {
            super(null, null, false, false);
        }
    }

    /**
     * An array of strings as {@link #ids} takes it from a bound list (the first {@link
     * #MAX_ENTRIES} not null or blank, read-only): every element is still checked for its shape.
     */
    private static List<String> strings(JsonParser p, JsonToken token)
            throws IOException, OtherShape {
        if (token == JsonToken.VALUE_NULL) return List.of();
        if (token != JsonToken.START_ARRAY) throw OtherShape.INSTANCE;
        List<String> out = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                if (out != null && out.size() == MAX_ENTRIES) continue;
                String id =
                        RecommendationListCodec.itemId(
                                p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (id.isBlank()) continue;
                if (out == null) out = new ArrayList<>(16);
                out.add(id);
            } else if (t != JsonToken.VALUE_NULL) {
                throw OtherShape.INSTANCE;
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /**
     * An object of numbers as {@link #weights} takes it from a bound map: a repeated key keeps its
     * first place and its last value, then the first {@link #MAX_ENTRIES} not null are kept.
     */
    private static Map<String, Double> numbers(JsonParser p, JsonToken token)
            throws IOException, OtherShape {
        if (token == JsonToken.VALUE_NULL) return Map.of();
        if (token != JsonToken.START_OBJECT) throw OtherShape.INSTANCE;
        String[] keys = new String[8];
        double[] values = new double[8];
        boolean[] nulls = null;
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            boolean isNull = t == JsonToken.VALUE_NULL;
            if (!isNull && !t.isNumeric()) throw OtherShape.INSTANCE;
            int at = 0;
            while (at < n && !keys[at].equals(key)) at++;
            if (at == n) {
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, n * 2);
                    values = Arrays.copyOf(values, n * 2);
                    if (nulls != null) nulls = Arrays.copyOf(nulls, n * 2);
                }
                keys[n++] = key;
            }
            if (isNull && nulls == null) nulls = new boolean[keys.length];
            if (nulls != null) nulls[at] = isNull;
            values[at] = isNull ? 0 : p.getDoubleValue();
        }
        if (nulls != null || n > MAX_ENTRIES) {
            int kept = 0;
            for (int i = 0; i < n && kept < MAX_ENTRIES; i++) {
                if (nulls != null && nulls[i]) continue;
                keys[kept] = keys[i];
                values[kept++] = values[i];
            }
            n = kept;
        }
        return new Weights(keys, values, n);
    }

    private static double number(JsonParser p, JsonToken token) throws IOException, OtherShape {
        if (token == JsonToken.VALUE_NULL) return 0;
        if (!token.isNumeric()) throw OtherShape.INSTANCE;
        return p.getDoubleValue();
    }

    /** A signal's {@code flagged}: false when the signal is null or says nothing. */
    private static boolean flag(JsonParser p, JsonToken token) throws IOException, OtherShape {
        if (token == JsonToken.VALUE_NULL) return false;
        if (token != JsonToken.START_OBJECT) throw OtherShape.INSTANCE;
        boolean flagged = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("flagged")) {
                if (t == JsonToken.VALUE_TRUE) flagged = true;
                else if (t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) flagged = false;
                else throw OtherShape.INSTANCE;
            } else {
                p.skipChildren();
            }
        }
        return flagged;
    }

    /**
     * The first {@link #MAX_ENTRIES} ids that are not null or blank, read-only (a loop: no stream).
     */
    private static List<String> ids(List<String> ids) {
        if (ids == null) return List.of();
        List<String> out = new ArrayList<>(Math.min(ids.size(), MAX_ENTRIES));
        for (String id : ids) {
            if (out.size() == MAX_ENTRIES) break;
            if (id != null && !id.isBlank()) out.add(id);
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, Double> weights(Map<String, Double> weights) {
        if (weights == null) return Map.of();
        Map<String, Double> out = new HashMap<>();
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (out.size() == MAX_ENTRIES) break;
            if (e.getValue() != null) out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static boolean flagged(ProfileDocument.Signal signal) {
        return signal != null && signal.isFlagged();
    }
}
