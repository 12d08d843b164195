package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.offers.Campaign.Channel;
import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import io.shopkeeper.schemas.offers.Campaign.Status;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CampaignCodecTest {
    /** The issue's example. */
    static final String BARGAIN =
            """
            {"id": "bargain-coupon", "name": "Coupon when a bargain hunter leaves at the price",
             "trigger": {"type": "left_at_price"},
             "audience": "priceSensitive && lifecycle != 'lapsed'",
             "offer": {"kind": "coupon", "discountPercent": 10, "validFor": "P2D", "message": "10% off today"},
             "channel": "onsite",
             "cap": {"perCustomer": 1, "per": "P7D"},
             "holdoutPercent": 10,
             "conversionWindow": "P7D",
             "priority": 50,
             "status": "live"}
            """;

    static String error(String json) {
        CampaignCodec.Result r = CampaignCodec.decode(json);
        assertThat(r.isValid()).as("rejected: " + json).isFalse();
        return r.error();
    }

    /** {@link #BARGAIN} with one change, as JSON: {@code path} like {@code offer.kind}. */
    static String with(String path, Object value) {
        try {
            ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(BARGAIN);
            String[] parts = path.split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) node = (ObjectNode) node.get(parts[i]);
            String last = parts[parts.length - 1];
            if (value == REMOVE) node.remove(last);
            else node.set(last, EventCodec.mapper().valueToTree(value));
            return root.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final Object REMOVE = new Object();

    @Test
    void theIssuesExampleDecodesAndRoundTrips() {
        CampaignCodec.Result r = CampaignCodec.decode(BARGAIN);
        assertThat(r.error()).isNull();
        Campaign c = r.campaign();
        assertThat(c.id()).isEqualTo("bargain-coupon");
        assertThat(c.trigger().type()).isEqualTo(TriggerType.LEFT_AT_PRICE);
        assertThat(c.offer().kind()).isEqualTo(OfferKind.COUPON);
        assertThat(c.offer().discountPercent()).isEqualTo(10.0);
        assertThat(c.offer().validForDuration()).isEqualTo(Duration.ofDays(2));
        assertThat(c.channel()).isEqualTo(Channel.ONSITE);
        assertThat(c.cap().perCustomer()).isEqualTo(1);
        assertThat(c.holdoutPercent()).isEqualTo(10);
        assertThat(c.priority()).isEqualTo(50);
        assertThat(c.status()).isEqualTo(Status.LIVE);
        assertThat(c.allowFullPriceCustomers()).isFalse();

        String encoded =
                CampaignCodec.encode(c.withVersion(3, Instant.parse("2026-11-22T10:00:00Z")));
        assertThat(encoded)
                .contains(
                        "\"type\":\"left_at_price\"",
                        "\"status\":\"live\"",
                        "\"validFor\":\"P2D\"");
        Campaign again = CampaignCodec.decode(encoded).campaign();
        assertThat(again).isEqualTo(c.withVersion(3, Instant.parse("2026-11-22T10:00:00Z")));
    }

    @Test
    void defaultsAreFilledSoTheStoredDefinitionSaysEverything() {
        Campaign c =
                CampaignCodec.decode(
                                """
                                {"id":"reminder","name":"Cart reminder","trigger":{"type":"cart_abandoned"},
                                 "offer":{"kind":"message","message":"Your cart is waiting"}}
                                """)
                        .campaign();
        assertThat(c.trigger().after()).isEqualTo("PT30M");
        assertThat(c.offer().validFor()).isEqualTo("P2D");
        assertThat(c.channel()).isEqualTo(Channel.ONSITE);
        assertThat(c.cap()).isEqualTo(CampaignCodec.DEFAULT_CAP);
        assertThat(c.holdoutPercent()).isEqualTo(10);
        assertThat(c.conversionWindow()).isEqualTo("P7D");
        assertThat(c.status()).isEqualTo(Status.DRAFT);

        Campaign drop =
                CampaignCodec.decode(
                                """
                                {"id":"drop","name":"Price drop","trigger":{"type":"price_drop"},
                                 "offer":{"kind":"message","message":"Cheaper now"}}
                                """)
                        .campaign();
        assertThat(drop.trigger().within()).isEqualTo("P14D");
        assertThat(drop.trigger().minDropPercent()).isEqualTo(10.0);
    }

    @Test
    void everyTriggerAndOfferKindHasAValidForm() {
        for (String trigger :
                new String[] {
                    "{\"type\":\"left_at_price\"}",
                    "{\"type\":\"cart_abandoned\",\"after\":\"PT45M\"}",
                    "{\"type\":\"drifting\"}",
                    "{\"type\":\"came_back\"}",
                    "{\"type\":\"price_drop\",\"within\":\"P7D\",\"minDropPercent\":15}",
                    "{\"type\":\"back_in_stock\",\"within\":\"P3D\"}",
                    "{\"type\":\"segment_joined\",\"segment\":\"vip\"}"
                }) {
            for (String offer :
                    new String[] {
                        "{\"kind\":\"coupon\",\"discountAmount\":5}",
                        "{\"kind\":\"message\",\"message\":\"hello\"}",
                        "{\"kind\":\"recommendations\",\"headline\":\"Picked for you\"}"
                    }) {
                String json =
                        "{\"id\":\"c1\",\"name\":\"n\",\"trigger\":"
                                + trigger
                                + ",\"offer\":"
                                + offer
                                + ",\"channel\":\"outbound\"}";
                assertThat(CampaignCodec.decode(json).error()).as(json).isNull();
            }
        }
    }

    @ParameterizedTest(name = "{0} = {1}: {2}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "id|''|id must not be blank",
                "id|'Bargain Coupon'|id must be 1-64 lower-case letters",
                "name|<remove>|name is required",
                "name|42|name must be a string",
                "trigger|<remove>|trigger is required",
                "trigger|'left'|trigger must be an object",
                "trigger.type|'left_at_the_price'|trigger.type 'left_at_the_price' is not one of [left_at_price, cart_abandoned",
                "trigger.type|<remove>|trigger.type is required; expected one of",
                "trigger.after|'PT30M'|trigger.after does not apply to a left_at_price trigger",
                "trigger.segment|'vip'|trigger.segment does not apply to a left_at_price trigger",
                "trigger.when|'now'|unknown field 'trigger.when'",
                "audience|'priceSensitive && loyalty > 3'|audience uses unknown fact 'loyalty'",
                "audience|'priceSensitive &&'|audience is not a valid condition",
                "audience|true|audience must be a string",
                "offer|<remove>|offer is required",
                "offer.kind|'voucher'|offer.kind 'voucher' is not one of [coupon, message, recommendations]",
                "offer.discountPercent|<remove>|a coupon needs exactly one of offer.discountPercent and offer.discountAmount",
                "offer.discountPercent|0|offer.discountPercent must be greater than 0 and less than 100; got 0",
                "offer.discountPercent|100|offer.discountPercent must be greater than 0 and less than 100; got 100",
                "offer.discountPercent|'10'|offer.discountPercent must be a number",
                "offer.discountAmount|5|a coupon needs exactly one of offer.discountPercent and offer.discountAmount",
                "offer.validFor|'2 days'|offer.validFor must be an ISO-8601 duration",
                "offer.validFor|'P1W'|offer.validFor must be an ISO-8601 duration",
                "offer.validFor|'PT1M'|offer.validFor must be between PT10M and PT2160H; got PT1M",
                "offer.headline|'Hi'|offer.headline is only for recommendations offers, not coupon",
                "allowFullPriceCustomers|'yes'|allowFullPriceCustomers must be true or false",
                "channel|'email'|channel 'email' is not one of [onsite, outbound]",
                "cap.perCustomer|0|cap.perCustomer must be between 1 and 100; got 0",
                "cap.perCustomer|<remove>|cap.perCustomer is required",
                "cap.per|'P0D'|cap.per must be between PT1H and PT8760H; got P0D",
                "cap|3|cap must be an object",
                "holdoutPercent|60|holdoutPercent must be between 0 and 50; got 60",
                "holdoutPercent|10.5|holdoutPercent must be an integer",
                "conversionWindow|'forever'|conversionWindow must be an ISO-8601 duration",
                "priority|-1|priority must be between 0 and 1000; got -1",
                "status|'running'|status 'running' is not one of [draft, live, paused, ended]",
                "startsAt|'tomorrow'|startsAt must be ISO-8601 with a zone offset",
                "holdoutPercnt|5|unknown field 'holdoutPercnt'; expected one of",
            })
    void everyBadDefinitionIsRejectedWithItsReason(String path, String value, String reason) {
        Object v;
        if ("<remove>".equals(value)) v = REMOVE;
        else {
            try {
                v =
                        EventCodec.mapper()
                                .readTree(
                                        value.startsWith("'")
                                                ? "\""
                                                        + value.substring(1, value.length() - 1)
                                                        + "\""
                                                : value);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        assertThat(error(with(path, v))).startsWith(reason);
    }

    @Test
    void otherBadDefinitions() {
        assertThat(error("")).isEqualTo("empty campaign definition");
        assertThat(error("{\"id\":")).startsWith("malformed JSON");
        assertThat(error("[1]")).isEqualTo("a campaign must be a JSON object");
        assertThat(
                        error(
                                with("startsAt", "2026-12-01T00:00:00Z")
                                        .replace(
                                                "\"status\"",
                                                "\"endsAt\":\"2026-11-30T00:00:00Z\",\"status\"")))
                .isEqualTo("endsAt must be after startsAt");
        assertThat(
                        error(
                                "{\"id\":\"s\",\"name\":\"n\",\"trigger\":{\"type\":\"segment_joined\"},"
                                        + "\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}"))
                .isEqualTo("trigger.segment is required");
        assertThat(
                        error(
                                "{\"id\":\"s\",\"name\":\"n\",\"trigger\":{\"type\":\"segment_joined\",\"segment\":\"VIP!\"},"
                                        + "\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}"))
                .startsWith("trigger.segment must match");
        assertThat(
                        error(
                                "{\"id\":\"s\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},"
                                        + "\"offer\":{\"kind\":\"message\"}}"))
                .isEqualTo("offer.message is required for a message offer");
        assertThat(
                        error(
                                "{\"id\":\"s\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},"
                                        + "\"offer\":{\"kind\":\"recommendations\"}}"))
                .isEqualTo("offer.headline is required");
        assertThat(
                        error(
                                "{\"id\":\"s\",\"name\":\"n\",\"trigger\":{\"type\":\"price_drop\",\"minDropPercent\":120},"
                                        + "\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}"))
                .startsWith("trigger.minDropPercent must be greater than 0 and less than 100");
        assertThat(
                        error(
                                "{\"id\":\"s\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},"
                                        + "\"offer\":{\"kind\":\"message\",\"message\":\"m\",\"discountPercent\":5}}"))
                .isEqualTo("offer.discountPercent is only for coupon offers, not message");
    }
}
