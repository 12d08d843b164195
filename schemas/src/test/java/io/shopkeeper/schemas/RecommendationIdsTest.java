package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecommendationIdsTest {
    static final UUID ANSWER = UUID.fromString("6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d");

    @Test
    void aMintedIdNamesItsContextAndStrategy() {
        String id = RecommendationIds.mint(ANSWER, "product", "personalized+similar+trending");

        assertThat(id)
                .isEqualTo(
                        "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~product~personalized+similar+trending");
        assertThat(RecommendationIds.parse(id))
                .isEqualTo(
                        new RecommendationIds.Parsed("product", "personalized+similar+trending"));
    }

    @Test
    void everyContextAndEveryStrategyWordIsCountable() {
        for (String context : RecommendationIds.CONTEXTS) {
            String all = String.join("+", RecommendationIds.STRATEGY_PARTS);
            assertThat(RecommendationIds.parse(RecommendationIds.mint(ANSWER, context, all)))
                    .isEqualTo(new RecommendationIds.Parsed(context, all));
            for (String part : RecommendationIds.STRATEGY_PARTS) {
                assertThat(RecommendationIds.parse(RecommendationIds.mint(ANSWER, context, part)))
                        .isEqualTo(new RecommendationIds.Parsed(context, part));
            }
        }
    }

    @Test
    void mintingWhatCannotBeCountedIsABug() {
        assertThatThrownBy(() -> RecommendationIds.mint(ANSWER, "checkout", "trending"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkout");
        assertThatThrownBy(() -> RecommendationIds.mint(ANSWER, "home", "magic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d", // the former plain form
                "rec-1f3a9c0d2b4e",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~~trending",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~trending~extra",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~checkout~trending",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~HOME~trending",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~magic",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~trending+",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~+trending",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~trending+trending",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~trending|clicks",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~trending ",
                "6EDA0B7C-5A0E-4F39-9D1C-9A0E6F6C2F1D~home~trending",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1dx~home~trending",
                "zzzzzzzz-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~trending",
                "~6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1~home~trending",
                "6eda0b7c-5a0e-4f39-9d1c-9a0e6f6c2f1d~home~trénding",
            })
    void anythingElseIsNotCounted(String id) {
        assertThat(RecommendationIds.parse(id)).isNull();
    }

    @Test
    void nullAndHugeIdsAreNotCounted() {
        assertThat(RecommendationIds.parse(null)).isNull();
        assertThat(
                        RecommendationIds.parse(
                                ANSWER + "~home~" + "trending+".repeat(100_000) + "none"))
                .isNull();
    }
}
