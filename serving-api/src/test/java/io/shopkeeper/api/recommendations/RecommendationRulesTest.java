package io.shopkeeper.api.recommendations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading and validating the rules file; the meaning of each rule. */
class RecommendationRulesTest {

    @Test
    void builtInRulesAreTheDefaults() {
        assertThat(RecommendationRules.builtIn()).isEqualTo(RecommendationRules.defaults());
        assertThat(RecommendationRules.defaults().maxPerCategory()).isEqualTo(3);
        assertThat(RecommendationRules.defaults().driftingMaxPerCategory()).isEqualTo(2);
        assertThat(RecommendationRules.defaults().excludePurchased()).isTrue();
    }

    @Test
    void everyFieldIsRead() {
        RecommendationRules rules =
                RecommendationRules.parse(
                        """
                {"hiddenItems":["h1","h2"],"pinned":{"home":["p1","p2"],"cart":["p3"]},"boosted":{"b1":1.5,"b2":0.5},
                 "maxPerCategory":4,"driftingMaxPerCategory":1,"excludePurchased":false,"repurchasableCategories":["coffee"]}
                """,
                        "test");

        assertThat(rules.hiddenItems()).containsExactlyInAnyOrder("h1", "h2");
        assertThat(rules.pinnedIn(PageContext.HOME)).containsExactly("p1", "p2");
        assertThat(rules.pinnedIn(PageContext.CART)).containsExactly("p3");
        assertThat(rules.pinnedIn(PageContext.PRODUCT)).isEmpty();
        assertThat(rules.boostOf("b1")).isEqualTo(1.5);
        assertThat(rules.boostOf("b2")).isEqualTo(0.5);
        assertThat(rules.boostOf("other")).isEqualTo(1.0);
        assertThat(rules.maxPerCategory()).isEqualTo(4);
        assertThat(rules.driftingMaxPerCategory()).isEqualTo(1);
        assertThat(rules.excludePurchased()).isFalse();
        assertThat(rules.repurchasableCategories()).containsExactly("coffee");
    }

    @Test
    void missingFieldsTakeDefaultsAndDriftingCapFollowsTheCap() {
        RecommendationRules rules = RecommendationRules.parse("{\"maxPerCategory\":5}", "test");
        assertThat(rules.driftingMaxPerCategory()).isEqualTo(4);
        assertThat(
                        RecommendationRules.parse("{\"maxPerCategory\":1}", "test")
                                .driftingMaxPerCategory())
                .isEqualTo(1);
        assertThat(RecommendationRules.parse("{}", "test"))
                .isEqualTo(RecommendationRules.defaults());
    }

    @Test
    void hiddenItemsAreHidden() {
        RecommendationRules rules = RecommendationRules.parse("{\"hiddenItems\":[\"h1\"]}", "test");
        assertThat(rules.hidden("h1")).isTrue();
        assertThat(rules.hidden("h2")).isFalse();
    }

    @Test
    void purchasedItemsAreExcludedUnlessTheirCategoryIsRepurchasable() {
        RecommendationRules rules =
                RecommendationRules.parse("{\"repurchasableCategories\":[\"coffee\"]}", "test");
        assertThat(rules.excludesPurchase("shoes")).isTrue();
        assertThat(rules.excludesPurchase(null)).isTrue();
        assertThat(rules.excludesPurchase("coffee")).isFalse();
        assertThat(
                        RecommendationRules.parse("{\"excludePurchased\":false}", "test")
                                .excludesPurchase("shoes"))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"maxPerCatgory\":3}                 | test: unknown field 'maxPerCatgory'; expected one of hiddenItems, pinned, boosted",
                "{\"maxPerCategory\":0}                | test: maxPerCategory must be an integer between 1 and 100; got 0",
                "{\"maxPerCategory\":\"3\"}            | test: maxPerCategory must be an integer between 1 and 100; got \"3\"",
                "{\"driftingMaxPerCategory\":2.5}      | test: driftingMaxPerCategory must be an integer between 1 and 100; got 2.5",
                "{\"hiddenItems\":\"i1\"}              | test: hiddenItems must be an array of ids; got \"i1\"",
                "{\"hiddenItems\":[\"i1\",\" \"]}      | test: hiddenItems[1] must be a non-blank string; got \" \"",
                "{\"pinned\":{\"checkout\":[\"i1\"]}}  | test: pinned.checkout: unknown context; expected one of home, product, cart, search",
                "{\"pinned\":{\"home\":[1]}}           | test: pinned.home[0] must be a non-blank string; got 1",
                "{\"pinned\":[\"i1\"]}                 | test: pinned must be an object of context -> array of ids",
                "{\"boosted\":{\"i1\":0}}              | test: boosted.i1 must be a number > 0; got 0",
                "{\"boosted\":{\"i1\":\"x\"}}          | test: boosted.i1 must be a number > 0; got \"x\"",
                "{\"excludePurchased\":\"yes\"}        | test: excludePurchased must be true or false; got \"yes\"",
                "{\"repurchasableCategories\":[null]}  | test: repurchasableCategories[0] must be a non-blank string; got null",
                "[]                                    | test: the rules must be a JSON object",
                "{\"hiddenItems\":[                    | test: not valid JSON",
            })
    void invalidRulesFailNamingTheField(String json, String message) {
        assertThatThrownBy(() -> RecommendationRules.parse(json, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void loadsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
        Path good =
                Files.writeString(
                        dir.resolve("rules.json"),
                        "{\"hiddenItems\":[\"h1\"],\"pinned\":{\"search\":[\"s1\"]}}");
        RecommendationRules rules = RecommendationRules.load(good);
        assertThat(rules.hiddenItems()).isEqualTo(Set.of("h1"));
        assertThat(rules.pinned()).isEqualTo(Map.of(PageContext.SEARCH, List.of("s1")));

        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"boosted\":{\"i1\":-2}}");
        assertThatThrownBy(() -> RecommendationRules.load(bad))
                .hasMessage("rules file " + bad + ": boosted.i1 must be a number > 0; got -2");
        assertThatThrownBy(() -> RecommendationRules.load(dir.resolve("missing.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read rules file " + dir.resolve("missing.json"));
    }
}
