package io.shopkeeper.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.ProfileDocument;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The ranking facts of a profile document as the job writes it. */
class VisitorFactsTest {

    @Test
    void takesTheRankingFactsAndNothingElse() throws Exception {
        VisitorFacts facts =
                VisitorFacts.of(
                        ProfileDocument.read(
                                """
                {"visitorId":"c1","anonymousIds":["a1"],"events":42,"recentViews":["v1","v2"],"recentCarts":["k1"],
                 "purchasedItems":["p1"],"categoryAffinity":{"shoes":3.5,"hats":1},"brandAffinity":{"acme":2.0},
                 "affinityAsOf":1700000000000,"recencyScore":null,"averageOrderValue":57.5,
                 "priceSensitive":{"score":0.8,"flagged":true,"reasons":["sort_price_asc"],"onSince":1},
                 "drifting":{"score":0.1,"flagged":false,"reasons":[],"onSince":0},
                 "segments":["vip"],"nested":{"deep":[{"a":[1,2,{"b":null}]}]}}
                """));

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
    void missingFieldsAreEmptyAndListsAreBounded() throws Exception {
        assertThat(VisitorFacts.of(ProfileDocument.read("{\"visitorId\":\"a\"}")))
                .isEqualTo(VisitorFacts.NONE);
        ProfileDocument heavy = new ProfileDocument();
        heavy.setRecentViews(IntStream.range(0, 80).mapToObj(i -> "i" + i).toList());
        assertThat(VisitorFacts.of(heavy).recentViews())
                .hasSize(VisitorFacts.MAX_ENTRIES)
                .startsWith("i0", "i1");
    }
}
