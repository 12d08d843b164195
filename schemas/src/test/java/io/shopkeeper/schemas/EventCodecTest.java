package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

    private static final String VIEW =
            """
            {"eventId":"e1","type":"product_view","timestamp":"2026-11-22T10:15:30+01:00","sessionId":"s1",
             "anonymousId":"anon-1","itemId":"i1","categoryId":"c1","brand":"acme","price":19.5,"listPrice":25}""";

    @Test
    void productViewDecodesWithEveryFieldAndTheTimestampInUtc() {
        DecodeResult result = EventCodec.decode(VIEW);

        assertThat(result.error()).isNull();
        ShopEvent e = result.event();
        assertThat(e.getType()).isEqualTo(EventType.PRODUCT_VIEW);
        assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-22T09:15:30Z"));
        assertThat(e.visitorKey()).isEqualTo("anon-1");
        assertThat(e.getItemId()).isEqualTo("i1");
        assertThat(e.getPrice()).isEqualTo(19.5);
        assertThat(e.getListPrice()).isEqualTo(25.0);
    }

    @Test
    void encodedEventsDecodeToAnEqualEvent() {
        ShopEvent original = EventCodec.decode(VIEW).event();
        ShopEvent roundTripped = EventCodec.decode(EventCodec.encode(original)).event();
        assertThat(roundTripped).isEqualTo(original);
        assertThat(new String(EventCodec.encode(original)))
                .contains("\"timestamp\":\"2026-11-22T09:15:30Z\"");
    }

    @Test
    void orderWithLinesDecodes() {
        DecodeResult result =
                EventCodec.decode(
                        """
                {"eventId":"e2","type":"order_placed","timestamp":"2026-11-22T10:00:00Z","customerId":"cust-1",
                 "orderId":"o1","lines":[{"itemId":"i1","categoryId":"c1","quantity":2,"unitPrice":8,"listPrice":10}],
                 "couponCode":"SAVE10","discountTotal":4,"total":16,"currency":"EUR"}""");
        assertThat(result.error()).isNull();
        assertThat(result.event().getLines())
                .containsExactly(new OrderLine("i1", "c1", 2, 8.0, 10.0));
        assertThat(result.event().getLines().get(0).discounted()).isTrue();
        assertThat(result.event().getType().topic()).isEqualTo(Topics.ORDERS);
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        assertThat(
                        EventCodec.decode(VIEW.replace("\"brand\"", "\"futureField\":1,\"brand\""))
                                .isValid())
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json at all              | {nope                                                                                                   | malformed JSON",
                "a JSON array is not an event | []                                                                                                      | event must be a JSON object",
                "unknown type                 | {\"type\":\"teleport\"}                                                                                 | unknown type 'teleport'",
                "missing eventId              | {\"type\":\"login\",\"timestamp\":\"2026-11-22T10:00:00Z\"}                                           | eventId is required",
                "timestamp without zone       | {\"type\":\"login\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00\"}                          | timestamp must be ISO-8601 with a zone offset",
                "no visitor id                | {\"type\":\"search\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"sessionId\":\"s\",\"query\":\"x\"} | customerId or anonymousId is required",
                "missing itemId               | {\"type\":\"product_view\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"sessionId\":\"s\",\"anonymousId\":\"a\"} | itemId is required",
                "negative price               | {\"type\":\"product_view\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"sessionId\":\"s\",\"anonymousId\":\"a\",\"itemId\":\"i\",\"price\":-1} | price must be a number >= 0",
                "price as text                | {\"type\":\"product_view\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"sessionId\":\"s\",\"anonymousId\":\"a\",\"itemId\":\"i\",\"price\":\"9\"} | price must be a number",
                "bad page type                | {\"type\":\"page_view\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"sessionId\":\"s\",\"anonymousId\":\"a\",\"pageType\":\"moon\"} | pageType 'moon' is not one of",
                "login needs both ids         | {\"type\":\"login\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"sessionId\":\"s\",\"customerId\":\"c\"} | login needs both customerId and anonymousId",
                "order line without price     | {\"type\":\"order_placed\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"customerId\":\"c\",\"orderId\":\"o\",\"total\":1,\"lines\":[{\"itemId\":\"i\"}]} | lines[0].unitPrice is required",
                "order without lines          | {\"type\":\"order_placed\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"customerId\":\"c\",\"orderId\":\"o\",\"total\":1,\"lines\":[]} | lines must be a non-empty array",
                "zero quantity                | {\"type\":\"add_to_cart\",\"eventId\":\"e\",\"timestamp\":\"2026-11-22T10:00:00Z\",\"sessionId\":\"s\",\"anonymousId\":\"a\",\"itemId\":\"i\",\"quantity\":0} | quantity must be >= 1",
            })
    void invalidEventsAreRejectedWithAReasonNamingTheProblem(
            String scenario, String json, String expectedReason) {
        DecodeResult result = EventCodec.decode(json.replace("\\\"", "\""));
        assertThat(result.isValid()).as(scenario).isFalse();
        assertThat(result.error()).as(scenario).startsWith(expectedReason);
    }

    @Test
    void emptyAndOversizedInputIsRejectedNotThrown() {
        assertThat(EventCodec.decode(new byte[0]).error()).isEqualTo("empty record");
        String longId = "x".repeat(EventCodec.MAX_TEXT_LENGTH + 1);
        assertThat(EventCodec.decode(VIEW.replace("\"e1\"", "\"" + longId + "\"")).error())
                .isEqualTo("eventId is longer than 512 characters");
    }

    @Test
    void everyTypeHasAWireNameAndAnInputTopic() {
        for (EventType type : EventType.values()) {
            assertThat(EventType.fromWireName(type.wireName())).isEqualTo(type);
            assertThat(Topics.INPUTS).contains(type.topic());
        }
        assertThat(List.of(Topics.DEAD_LETTERS, Topics.OFFERS)).allMatch(Topics.ALL::contains);
    }
}
