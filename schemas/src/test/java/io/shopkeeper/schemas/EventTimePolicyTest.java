package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The accepted event-time range (issue 8, findings 1, 2 and 4), as the collector and the job's
 * ingest both apply it through {@link EventCodec#decode(byte[], EventTimePolicy)}.
 */
class EventTimePolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final EventTimePolicy POLICY =
            new EventTimePolicy(
                    EventTimePolicy.DEFAULT_MAX_AHEAD,
                    EventTimePolicy.DEFAULT_MAX_AGE,
                    Clock.fixed(NOW, ZoneOffset.UTC));

    private static DecodeResult viewAt(String timestamp) {
        String json =
                """
                {"type":"product_view","eventId":"e1","timestamp":"%s","anonymousId":"a1",
                 "sessionId":"s1","itemId":"i1"}"""
                        .formatted(timestamp);
        return EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), POLICY);
    }

    @Test
    void eventsWithinTheRangeAreAccepted() {
        assertThat(viewAt("2026-11-25T12:04:59Z").isValid()).isTrue();
        assertThat(viewAt("2026-10-26T12:00:01Z").isValid()).isTrue();
        assertThat(viewAt("2026-11-25T13:00:00+01:00").isValid()).isTrue();
    }

    @Test
    void eventTwoHoursAheadIsRejectedWithTheReason() {
        assertThat(viewAt("2026-11-25T14:00:00Z").error())
                .isEqualTo(
                        "timestamp 2026-11-25T14:00:00Z is more than PT5M ahead of the receiver's"
                                + " clock (2026-11-25T12:00:00Z)");
    }

    @Test
    void timestampBeyondTheEpochMillisRangeIsRejectedNotThrown() {
        assertThat(viewAt("+999999999-12-31T23:59:59Z").error())
                .startsWith("timestamp +999999999-12-31T23:59:59Z is more than PT5M ahead");
        assertThat(viewAt("-999999999-01-01T00:00:00Z").error())
                .contains("is more than PT720H old");
    }

    @Test
    void eventOlderThanTheHorizonIsRejected() {
        assertThat(viewAt("1970-01-01T00:00:00Z").error())
                .isEqualTo(
                        "timestamp 1970-01-01T00:00:00Z is more than PT720H old (receiver's clock"
                                + " 2026-11-25T12:00:00Z)");
        assertThat(viewAt("2026-10-16T12:00:00Z").isValid()).isFalse();
    }

    @Test
    void recordWithTrailingDataIsRejectedOnArrival() {
        String one =
                "{\"type\":\"page_view\",\"eventId\":\"e1\",\"timestamp\":\"2026-11-25T12:00:00Z\","
                        + "\"anonymousId\":\"a1\",\"sessionId\":\"s1\",\"pageType\":\"home\"}";
        assertThat(EventCodec.decode((one + one).getBytes(StandardCharsets.UTF_8), POLICY).error())
                .startsWith("malformed JSON: Trailing token");
        assertThat(EventCodec.decode(one.getBytes(StandardCharsets.UTF_8), POLICY).isValid())
                .isTrue();
    }

    @Test
    void eventTimeMillisSaturatesInsteadOfOverflowing() {
        ShopEvent e = new ShopEvent();
        e.setTimestamp(Instant.MAX);
        assertThat(e.eventTimeMillis()).isEqualTo(Long.MAX_VALUE);
        e.setTimestamp(Instant.MIN);
        assertThat(e.eventTimeMillis()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aheadLimitStaysBelowTheBrokersOneHour() {
        assertThatThrownBy(
                        () ->
                                new EventTimePolicy(
                                        Duration.ofHours(1), Duration.ofDays(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
