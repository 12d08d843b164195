package io.shopkeeper.schemas.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.schemas.ProfileDocument;
import org.junit.jupiter.api.Test;

class AudienceTest {

    @Test
    void conditionsReadTheFactsOfAStoredProfile() throws Exception {
        var profile =
                ProfileDocument.read(
                        """
                                {"visitorId":"cust-1","customerId":"cust-1","lifecycle":"at_risk","orders":3,
                                 "spend":120.5,"recencyDays":40,"monetaryScore":4,"recentCarts":["i1","i2"],
                                 "priceSensitive":{"score":0.72,"flagged":true},"drifting":{"score":0.1,"flagged":false}}
                                """);
        var facts = ProfileFacts.of(profile);
        assertThat(facts.keySet()).containsExactlyInAnyOrderElementsOf(ProfileFacts.NAMES);
        assertThat(
                        Audience.of("priceSensitive && lifecycle == 'at_risk' && cartItems == 2")
                                .matches(facts))
                .isTrue();
        assertThat(
                        Audience.of(
                                        "known && spend > 100 && monetaryScore >= 4 && priceSensitivityScore > 0.7")
                                .matches(facts))
                .isTrue();
        assertThat(Audience.of("drifting || recencyDays < 30").matches(facts)).isFalse();
        assertThat(Audience.of(null).matches(facts)).isTrue();
        assertThat(Audience.of("  ").matches(facts)).isTrue();

        var anonymous = ProfileFacts.of(ProfileDocument.read("{\"visitorId\":\"anon-1\"}"));
        assertThat(anonymous.get("known")).isEqualTo(false);
        assertThat(anonymous.get("lifecycle")).isEqualTo("new");
        assertThat(anonymous.get("recencyDays")).isEqualTo(-1);
        assertThat(Audience.of("priceSensitive").matches(anonymous)).isFalse();
    }

    @Test
    void unknownFactsAndBadSyntaxAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Audience.of("vip && orders > 1"))
                .hasMessageStartingWith(
                        "audience uses unknown fact 'vip'; known facts: [averageOrderValue,");
        assertThatThrownBy(() -> Audience.of("orders >"))
                .hasMessageStartingWith("audience is not a valid condition");
        assertThatThrownBy(() -> Audience.of("x".repeat(Audience.MAX_LENGTH + 1)))
                .hasMessage("audience is longer than 2000 characters");
    }
}
