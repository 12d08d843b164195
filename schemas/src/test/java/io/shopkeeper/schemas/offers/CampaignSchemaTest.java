package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.SchemaFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code schemas/campaign.json} judges definitions as {@link CampaignCodec} does, for the issue's
 * example, the stored (defaulted) form, and structural mistakes (the codec alone checks audience
 * conditions and duration bounds).
 */
class CampaignSchemaTest {
    private static final JsonSchema SCHEMA = SchemaFiles.load("campaign.json");

    private static JsonNode json(String text) throws Exception {
        return EventCodec.mapper().readTree(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                CampaignCodecTest.BARGAIN,
                "{\"id\":\"r\",\"name\":\"n\",\"trigger\":{\"type\":\"cart_abandoned\",\"after\":\"PT45M\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}",
                "{\"id\":\"s\",\"name\":\"n\",\"trigger\":{\"type\":\"segment_joined\",\"segment\":\"vip\"},\"offer\":{\"kind\":\"recommendations\",\"headline\":\"h\"},\"channel\":\"outbound\"}",
                "{\"id\":\"p\",\"name\":\"n\",\"trigger\":{\"type\":\"price_drop\",\"minDropPercent\":20},\"offer\":{\"kind\":\"coupon\",\"discountAmount\":5}}"
            })
    void validDefinitionsAndTheirStoredFormPassBoth(String text) throws Exception {
        CampaignCodec.Result r = CampaignCodec.decode(text);
        assertThat(r.error()).isNull();
        assertThat(SCHEMA.validate(json(text))).isEmpty();
        assertThat(SCHEMA.validate(json(CampaignCodec.encode(r.campaign())))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}",
                "{\"id\":\"X\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"left\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"segment_joined\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\",\"after\":\"PT1H\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"coupon\"}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"coupon\",\"discountPercent\":5,\"discountAmount\":5}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\"}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\",\"discountPercent\":5}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"},\"holdoutPercent\":60}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"},\"holdoutPercnt\":5}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"},\"cap\":{\"perCustomer\":1}}",
                "{\"id\":\"x\",\"name\":\"n\",\"trigger\":{\"type\":\"drifting\"},\"offer\":{\"kind\":\"message\",\"message\":\"m\"},\"conversionWindow\":\"1 week\"}"
            })
    void structuralMistakesAreRejectedByBoth(String text) throws Exception {
        assertThat(CampaignCodec.decode(text).isValid()).isFalse();
        assertThat(SCHEMA.validate(json(text))).isNotEmpty();
    }
}
