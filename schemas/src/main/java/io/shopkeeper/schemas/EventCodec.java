package io.shopkeeper.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes and validates events from their JSON wire form, and encodes them back. The job and the
 * API's collector both use it, so an event the API accepts is an event the job accepts.
 *
 * <p>Contract: unknown fields are ignored (forward compatibility); a missing or ill-typed required
 * field rejects the event with a message naming the field and what was expected. Decoding never
 * throws.
 */
public final class EventCodec {
    /** Longest id or free-text field accepted; longer values are rejected rather than truncated. */
    public static final int MAX_TEXT_LENGTH = 512;

    public static final Set<String> PAGE_TYPES =
            Set.of("home", "category", "product", "cart", "checkout", "search", "other");

    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads exactly one JSON value: anything after it is an error, not silently dropped. */
    private static final ObjectReader STRICT =
            MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EventCodec() {}

    /**
     * The shared, configured mapper (ISO-8601 instants, unknown properties ignored). Thread-safe.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static DecodeResult decode(byte[] json) {
        if (json == null || json.length == 0) {
            return DecodeResult.rejected("empty record");
        }
        try {
            return decode(MAPPER.readTree(json));
        } catch (IOException e) {
            return DecodeResult.rejected("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    public static DecodeResult decode(String json) {
        try {
            return json == null
                    ? DecodeResult.rejected("empty record")
                    : decode(MAPPER.readTree(json));
        } catch (IOException e) {
            return DecodeResult.rejected("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    /**
     * Decodes and validates one record as it arrives (API collector, job ingest): the structural
     * checks of {@link #decode(byte[])}, exactly one JSON value, and the timestamp within {@code
     * policy}'s range now.
     */
    public static DecodeResult decode(byte[] json, EventTimePolicy policy) {
        if (json == null || json.length == 0) {
            return DecodeResult.rejected("empty record");
        }
        DecodeResult streamed = decodeStreaming(json, policy);
        if (streamed != null) return streamed;
        try {
            return decode(STRICT.readTree(json), policy);
        } catch (IOException e) {
            return DecodeResult.rejected("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    /**
     * {@link #decode(byte[], EventTimePolicy)} in one pass over the bytes, without building the
     * tree: the fields an event may carry are kept as they are read, every other field is skipped.
     * Validation is the same code on the same values ({@link Fields}), so the result is the tree's;
     * null when the record is not one well-formed JSON object (the tree path then says why, in its
     * words).
     */
    private static DecodeResult decodeStreaming(byte[] json, EventTimePolicy policy) {
        JsonNode[] values = new JsonNode[FIELDS.length];
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                int field = fieldIndex(name);
                if (field < 0) {
                    p.skipChildren();
                } else {
                    values[field] = valueNode(p, token);
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) return null;
        } catch (IOException e) {
            return null;
        }
        try {
            ShopEvent event =
                    read(
                            new Fields(
                                    name -> {
                                        int i = fieldIndex(name);
                                        return i < 0 ? null : values[i];
                                    }));
            String outOfRange = policy.check(event.getTimestamp());
            return outOfRange == null ? DecodeResult.ok(event) : DecodeResult.rejected(outOfRange);
        } catch (InvalidEventException e) {
            return DecodeResult.rejected(e.getMessage());
        }
    }

    /** Every field name {@link #read} looks up; the streaming decoder keeps only these. */
    private static final String[] FIELDS = {
        "type",
        "eventId",
        "timestamp",
        "customerId",
        "anonymousId",
        "sessionId",
        "pageType",
        "url",
        "itemId",
        "categoryId",
        "brand",
        "price",
        "listPrice",
        "query",
        "resultCount",
        "sortBy",
        "quantity",
        "cartTotal",
        "recommendationId",
        "offerId",
        "orderId",
        "lines",
        "couponCode",
        "discountTotal",
        "total",
        "currency",
        "title",
        "inStock"
    };

    private static final Map<String, Integer> FIELD_INDEX = fieldIndexes();

    private static Map<String, Integer> fieldIndexes() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < FIELDS.length; i++) index.put(FIELDS[i], i);
        return Map.copyOf(index);
    }

    private static int fieldIndex(String name) {
        Integer i = FIELD_INDEX.get(name);
        return i == null ? -1 : i;
    }

    /**
     * The value at {@code token} as the tree would hold it ({@code JsonNodeDeserializer}'s choices
     * for numbers); objects and arrays (an order's lines) are read as trees.
     */
    private static JsonNode valueNode(JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = MAPPER.getNodeFactory();
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NULL -> nodes.nullNode();
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NUMBER_INT ->
                    switch (p.getNumberType()) {
                        case INT -> nodes.numberNode(p.getIntValue());
                        case LONG -> nodes.numberNode(p.getLongValue());
                        default -> nodes.numberNode(p.getBigIntegerValue());
                    };
            case VALUE_NUMBER_FLOAT ->
                    p.getNumberTypeFP() == JsonParser.NumberTypeFP.FLOAT32
                            ? nodes.numberNode(p.getFloatValue())
                            : p.getNumberTypeFP() == JsonParser.NumberTypeFP.BIG_DECIMAL
                                    ? nodes.numberNode(p.getDecimalValue())
                                    : nodes.numberNode(p.getDoubleValue());
            case START_OBJECT, START_ARRAY -> MAPPER.readTree(p);
            default -> throw new IOException("unexpected " + token);
        };
    }

    /** {@link #decode(JsonNode)} plus the timestamp within {@code policy}'s range now. */
    public static DecodeResult decode(JsonNode node, EventTimePolicy policy) {
        DecodeResult result = decode(node);
        if (!result.isValid()) return result;
        String outOfRange = policy.check(result.event().getTimestamp());
        return outOfRange == null ? result : DecodeResult.rejected(outOfRange);
    }

    /**
     * Validates one already-parsed JSON value and maps it to an event. No event-time range check:
     * that is {@link #decode(JsonNode, EventTimePolicy)}, for records as they arrive.
     */
    public static DecodeResult decode(JsonNode node) {
        if (node == null || !node.isObject()) {
            return DecodeResult.rejected("event must be a JSON object");
        }
        try {
            return DecodeResult.ok(read(new Fields(node)));
        } catch (InvalidEventException e) {
            return DecodeResult.rejected(e.getMessage());
        }
    }

    public static byte[] encode(ShopEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String encodeToString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ShopEvent read(Fields f) {
        ShopEvent e = new ShopEvent();
        String typeName = f.requiredText("type");
        EventType type = EventType.fromWireName(typeName);
        if (type == null) {
            throw new InvalidEventException(
                    "unknown type '" + typeName + "'; expected one of: " + EventType.wireNames());
        }
        e.setType(type);
        e.setEventId(f.requiredText("eventId"));
        e.setTimestamp(f.requiredTimestamp("timestamp"));
        e.setCustomerId(f.optionalText("customerId"));
        e.setAnonymousId(f.optionalText("anonymousId"));
        e.setSessionId(f.optionalText("sessionId"));
        if (type.isVisitorEvent()) {
            if (e.getCustomerId() == null && e.getAnonymousId() == null) {
                throw new InvalidEventException("customerId or anonymousId is required");
            }
            if (type != EventType.ORDER_PLACED
                    && type != EventType.ORDER_CANCELLED
                    && type != EventType.CUSTOMER_FORGOTTEN
                    && e.getSessionId() == null) {
                throw new InvalidEventException("sessionId is required");
            }
        }
        switch (type) {
            case PAGE_VIEW -> {
                e.setPageType(pageType(f.requiredText("pageType")));
                e.setUrl(f.optionalText("url"));
            }
            case PAGE_LEAVE -> {
                e.setPageType(pageType(f.optionalText("pageType")));
                e.setItemId(f.optionalText("itemId"));
            }
            case PRODUCT_VIEW -> {
                e.setItemId(f.requiredText("itemId"));
                e.setCategoryId(f.optionalText("categoryId"));
                e.setBrand(f.optionalText("brand"));
                e.setPrice(f.optionalAmount("price"));
                e.setListPrice(f.optionalAmount("listPrice"));
            }
            case SEARCH -> {
                e.setQuery(f.requiredText("query"));
                e.setResultCount(f.optionalCount("resultCount", 0));
                e.setCategoryId(f.optionalText("categoryId"));
            }
            case SORT -> e.setSortBy(f.requiredText("sortBy"));
            case ADD_TO_CART, REMOVE_FROM_CART -> {
                e.setItemId(f.requiredText("itemId"));
                Integer quantity = f.optionalCount("quantity", 1);
                e.setQuantity(quantity == null ? 1 : quantity);
                e.setPrice(f.optionalAmount("price"));
                e.setCategoryId(f.optionalText("categoryId"));
            }
            case CHECKOUT_START -> e.setCartTotal(f.requiredAmount("cartTotal"));
            case LOGIN -> {
                if (e.getCustomerId() == null || e.getAnonymousId() == null) {
                    throw new InvalidEventException("login needs both customerId and anonymousId");
                }
            }
            case IMPRESSION, CLICK -> {
                e.setRecommendationId(f.optionalText("recommendationId"));
                e.setOfferId(f.optionalText("offerId"));
                if (e.getRecommendationId() == null && e.getOfferId() == null) {
                    throw new InvalidEventException(
                            type.wireName() + " needs recommendationId or offerId");
                }
                e.setItemId(f.optionalText("itemId"));
            }
            case ORDER_PLACED, ORDER_CANCELLED -> {
                e.setOrderId(f.requiredText("orderId"));
                e.setLines(f.requiredLines("lines"));
                e.setCouponCode(f.optionalText("couponCode"));
                e.setDiscountTotal(f.optionalAmount("discountTotal"));
                e.setTotal(f.requiredAmount("total"));
                e.setCurrency(f.optionalText("currency"));
            }
            case CUSTOMER_FORGOTTEN -> {
                // Only the ids: the tombstone itself carries no personal data.
            }
            case ITEM_UPDATE -> {
                e.setItemId(f.requiredText("itemId"));
                e.setTitle(f.optionalText("title"));
                e.setCategoryId(f.optionalText("categoryId"));
                e.setBrand(f.optionalText("brand"));
                e.setPrice(f.optionalAmount("price"));
                e.setListPrice(f.optionalAmount("listPrice"));
                e.setInStock(f.optionalBoolean("inStock"));
            }
        }
        return e;
    }

    /** {@code pageType} when it is null or one of {@link #PAGE_TYPES}. */
    private static String pageType(String pageType) {
        if (pageType != null && !PAGE_TYPES.contains(pageType)) {
            throw new InvalidEventException(
                    "pageType '" + pageType + "' is not one of " + PAGE_TYPES);
        }
        return pageType;
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Typed, validating access to the fields of one JSON object; messages name the field. */
    private record Fields(FieldSource node) {

        Fields(JsonNode object) {
            this(object::get);
        }

        String requiredText(String name) {
            String value = optionalText(name);
            if (value == null) throw new InvalidEventException(name + " is required");
            return value;
        }

        String optionalText(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return null;
            if (!v.isTextual()) throw new InvalidEventException(name + " must be a string");
            String text = v.textValue();
            if (text.isBlank()) throw new InvalidEventException(name + " must not be blank");
            if (text.length() > MAX_TEXT_LENGTH) {
                throw new InvalidEventException(
                        name + " is longer than " + MAX_TEXT_LENGTH + " characters");
            }
            return text;
        }

        Instant requiredTimestamp(String name) {
            String text = requiredText(name);
            Instant common = IsoTimestamps.parseCommon(text);
            if (common != null) return common;
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException ex) {
                throw new InvalidEventException(
                        name
                                + " must be ISO-8601 with a zone offset, e.g. 2026-11-22T10:15:30Z; got '"
                                + text
                                + "'");
            }
        }

        Double optionalAmount(String name) {
            return amount(name, node.get(name), false);
        }

        Double requiredAmount(String name) {
            return amount(name, node.get(name), true);
        }

        Integer optionalCount(String name, int min) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return null;
            if (!v.canConvertToInt() || !v.isIntegralNumber())
                throw new InvalidEventException(name + " must be an integer");
            int value = v.intValue();
            if (value < min)
                throw new InvalidEventException(name + " must be >= " + min + "; got " + value);
            return value;
        }

        Boolean optionalBoolean(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return null;
            if (!v.isBoolean()) throw new InvalidEventException(name + " must be true or false");
            return v.booleanValue();
        }

        List<OrderLine> requiredLines(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) throw new InvalidEventException(name + " is required");
            if (!v.isArray() || v.isEmpty())
                throw new InvalidEventException(name + " must be a non-empty array");
            List<OrderLine> lines = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                JsonNode line = v.get(i);
                String prefix = name + "[" + i + "].";
                if (!line.isObject())
                    throw new InvalidEventException(name + "[" + i + "] must be an object");
                Fields lf = new Fields(line);
                try {
                    Integer quantity = lf.optionalCount("quantity", 1);
                    lines.add(
                            new OrderLine(
                                    lf.requiredText("itemId"),
                                    lf.optionalText("categoryId"),
                                    quantity == null ? 1 : quantity,
                                    lf.requiredAmount("unitPrice"),
                                    lf.optionalAmount("listPrice")));
                } catch (InvalidEventException ex) {
                    throw new InvalidEventException(prefix + ex.getMessage());
                }
            }
            return lines;
        }

        private static Double amount(String name, JsonNode v, boolean required) {
            if (v == null || v.isNull()) {
                if (required) throw new InvalidEventException(name + " is required");
                return null;
            }
            if (!v.isNumber()) throw new InvalidEventException(name + " must be a number");
            double value = v.doubleValue();
            if (!Double.isFinite(value) || value < 0)
                throw new InvalidEventException(name + " must be a number >= 0; got " + v.asText());
            return value;
        }
    }

    /** The fields of one JSON object by name (null when absent). */
    private interface FieldSource {
        JsonNode get(String name);
    }

    private static final class InvalidEventException extends RuntimeException {
        InvalidEventException(String message) {
            super(message, null, false, false);
        }
    }
}
