package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The job's one-pass decoder ({@link EventCodec#decode(byte[], EventTimePolicy)}) answers every
 * record exactly as the tree decoder it replaced: the same event, or the same reason.
 */
class EventCodecStreamingTest {
    private static final EventTimePolicy POLICY =
            new EventTimePolicy(
                    Duration.ofMinutes(5),
                    Duration.ofDays(400),
                    Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC));

    private static final ObjectReader STRICT =
            EventCodec.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The decoder as it was: a strict tree, then the same validation. */
    private static DecodeResult treeDecode(byte[] json) {
        if (json.length == 0) return DecodeResult.rejected("empty record");
        try {
            return EventCodec.decode(STRICT.readTree(json), POLICY);
        } catch (IOException e) {
            String m = e.getMessage();
            int newline = m.indexOf('\n');
            return DecodeResult.rejected(
                    "malformed JSON: " + (newline < 0 ? m : m.substring(0, newline)));
        }
    }

    private static void sameAnswer(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        DecodeResult expected = treeDecode(bytes);
        DecodeResult actual = EventCodec.decode(bytes, POLICY);
        assertThat(actual.error()).as(json).isEqualTo(expected.error());
        assertThat(actual.event()).as(json).isEqualTo(expected.event());
    }

    private static final String[] NAMES = {
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
        "inStock",
        "futureField",
        "nested",
        "Type"
    };

    private static final String[] VALUES = {
        "\"e1\"",
        "\"cust-1\"",
        "\"anon-1\"",
        "\"s1\"",
        "\"i1\"",
        "\"product\"",
        "\"cart\"",
        "\"moon\"",
        "\"  \"",
        "\"" + "x".repeat(EventCodec.MAX_TEXT_LENGTH + 1) + "\"",
        "\"caf\\u00e9 \\\"quoted\\\"\"",
        "\"2026-11-22T10:15:30Z\"",
        "\"2026-11-22T10:15:30.5+01:00\"",
        "\"2026-11-22T10:15Z\"",
        "\"2026-11-22T10:15:30\"",
        "\"2020-01-01T00:00:00Z\"",
        "\"2026-11-22T10:30:00Z\"",
        "0",
        "1",
        "-1",
        "2",
        "19.5",
        "25",
        "1e400",
        "-0.0",
        "2.5e-3",
        "12345678901",
        "123456789012345678901234567890",
        "1.00000000000000000001",
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "{\"a\":[1,{\"b\":null}]}",
        "[{\"itemId\":\"i1\",\"unitPrice\":9.5,\"quantity\":2}]",
        "[{\"itemId\":\"i1\",\"categoryId\":\"c1\",\"unitPrice\":9,\"listPrice\":12}]",
        "[{\"itemId\":\"i1\"}]",
        "[1]",
        "[{\"itemId\":\"i1\",\"unitPrice\":-1}]",
        "\"9\""
    };

    private static final String[] TYPES = {
        "page_view", "page_leave", "product_view", "search", "sort", "add_to_cart",
        "remove_from_cart", "checkout_start", "login", "impression", "click", "order_placed",
        "order_cancelled", "customer_forgotten", "item_update", "teleport"
    };

    @Test
    void generatedRecordsGetTheTreeDecodersAnswer() {
        Random random = new Random(5);
        int valid = 0;
        for (int n = 0; n < 60_000; n++) {
            String json = record(random);
            sameAnswer(json);
            if (EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), POLICY).isValid()) valid++;
        }
        assertThat(valid).as("valid records among the generated").isGreaterThan(3_000);
    }

    /** A plausible event of a random type with random fields, values, repeats and unknowns. */
    private static String record(Random random) {
        List<String> fields = new ArrayList<>();
        fields.add("\"type\":\"" + TYPES[random.nextInt(TYPES.length)] + "\"");
        fields.add("\"eventId\":\"e" + random.nextInt(100) + "\"");
        fields.add(
                "\"timestamp\":"
                        + (random.nextInt(10) == 0
                                ? VALUES[random.nextInt(VALUES.length)]
                                : "\"2026-11-22T10:15:30Z\""));
        fields.add("\"sessionId\":\"s1\"");
        fields.add(random.nextBoolean() ? "\"anonymousId\":\"anon-1\"" : "\"customerId\":\"c1\"");
        if (random.nextInt(4) == 0) fields.add("\"customerId\":\"c2\"");
        for (String likely : new String[] {"itemId", "pageType", "query", "sortBy", "orderId"}) {
            if (random.nextInt(3) != 0)
                fields.add(
                        "\""
                                + likely
                                + "\":"
                                + (likely.equals("pageType") ? "\"product\"" : "\"x1\""));
        }
        if (random.nextInt(3) != 0)
            fields.add("\"lines\":[{\"itemId\":\"i1\",\"unitPrice\":9.5,\"quantity\":2}]");
        if (random.nextInt(3) != 0) fields.add("\"total\":19");
        if (random.nextInt(3) != 0) fields.add("\"cartTotal\":19.99");
        if (random.nextInt(3) != 0) fields.add("\"recommendationId\":\"r1\"");
        for (int k = random.nextInt(6); k > 0; k--) {
            fields.add(
                    "\""
                            + NAMES[random.nextInt(NAMES.length)]
                            + "\":"
                            + VALUES[random.nextInt(VALUES.length)]);
        }
        java.util.Collections.shuffle(fields, random);
        return "{" + String.join(",", fields) + "}";
    }

    @Test
    void recordsThatAreNotOneJsonObjectGetTheTreeDecodersReason() {
        for (String json :
                List.of(
                        "{nope",
                        "[]",
                        "[1,2",
                        "\"text\"",
                        "42",
                        "null",
                        " ",
                        "{} {}",
                        "{\"type\":\"login\"} trailing",
                        "{\"type\":\"login\"},",
                        "{\"type\":\"login\"",
                        "{\"type\":}",
                        "{\"type\":\"login\",}",
                        "{\"lines\":[{\"itemId\":\"i\",}]}",
                        "{'type':'login'}",
                        "{\"type\":\"login\"}\n{\"type\":\"login\"}",
                        "{\"eventId\":\"e\",\"type\":\"login\",\"timestamp\":\"2026-11-22T10:15:30Z\",\"sessionId\":\"s\",\"customerId\":\"c\",\"anonymousId\":\"a\"}   ",
                        "{\"eventId\":\"e\",\"type\":\"login\",\"timestamp\":\"2040-11-22T10:15:30Z\",\"sessionId\":\"s\",\"customerId\":\"c\",\"anonymousId\":\"a\"}",
                        "{\"eventId\":\"e\",\"type\":\"login\",\"timestamp\":\"2010-11-22T10:15:30Z\",\"sessionId\":\"s\",\"customerId\":\"c\",\"anonymousId\":\"a\"}")) {
            sameAnswer(json);
        }
    }
}
