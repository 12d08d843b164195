package io.shopkeeper.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the ranking facts out of a profile document as the job writes it. */
class VisitorFactsReaderTest {

    @Test
    void readsTheFactsAndSkipsEverythingElse() throws IOException {
        VisitorFacts facts =
                VisitorFactsReader.read(
                        """
                {"visitorId":"c1","anonymousIds":["a1"],"events":42,"recentViews":["v1","v2"],"recentCarts":["k1"],
                 "purchasedItems":["p1"],"categoryAffinity":{"shoes":3.5,"hats":1},"brandAffinity":{"acme":2.0},
                 "affinityAsOf":1700000000000,"recencyScore":null,"averageOrderValue":57.5,
                 "priceSensitive":{"score":0.8,"flagged":true,"reasons":["sort_price_asc"],"onSince":1},
                 "drifting":{"score":0.1,"flagged":false,"reasons":[],"onSince":0},
                 "segments":["vip"],"nested":{"deep":[{"a":[1,2,{"b":null}]}]}}
                """);

        assertThat(facts.recentViews()).containsExactly("v1", "v2");
        assertThat(facts.recentCarts()).containsExactly("k1");
        assertThat(facts.purchasedItems()).containsExactly("p1");
        assertThat(facts.categoryAffinity()).isEqualTo(Map.of("shoes", 3.5, "hats", 1.0));
        assertThat(facts.brandAffinity()).isEqualTo(Map.of("acme", 2.0));
        assertThat(facts.averageOrderValue()).isEqualTo(57.5);
        assertThat(facts.priceSensitive()).isTrue();
        assertThat(facts.drifting()).isFalse();
    }

    @Test
    void missingOrOddlyTypedFieldsAreEmpty() throws IOException {
        VisitorFacts facts =
                VisitorFactsReader.read(
                        "{\"recentViews\":\"v1\",\"categoryAffinity\":[1],\"drifting\":true,\"averageOrderValue\":\"x\"}");
        assertThat(facts.recentViews()).isEmpty();
        assertThat(facts.categoryAffinity()).isEmpty();
        assertThat(facts.drifting()).isTrue();
        assertThat(facts.averageOrderValue()).isZero();
        assertThat(VisitorFactsReader.read("{}")).isEqualTo(VisitorFacts.NONE);
    }

    @Test
    void notAnObjectFails() {
        assertThatThrownBy(() -> VisitorFactsReader.read("[1]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> VisitorFactsReader.read("{\"a\":"))
                .isInstanceOf(IOException.class);
    }
}
