package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The knob table: defaults, parsing, ranges, copies and descriptions all come from one row. */
class RecommenderConfigTest {

    /** {@code defaults().asMap()} as the class printed it before the table (4f1b705). */
    private static final String DEFAULTS_BEFORE =
            "{steps=10, maxNeighboursKept=100, selfRules=true, halfLifeMillis=2592000000,"
                    + " maxNeighboursShared=50, backwardWeight=0.6, sessionItemsUsed=10,"
                    + " positionDecay=0.6, normalisation=MAX, shrinkage=10.0, repeatWeight=3.0,"
                    + " repeatDecay=0.95, sessionRuleWeight=2.0, adaptiveRepeat=false,"
                    + " repeatPrior=0.3, repeatPriorStrength=2.0, sessionSampleSize=30,"
                    + " sessionSampleItems=10, sessionSampleFanout=5, sessionSampleShared=30,"
                    + " knnWeight=30.0, knnItemsUsed=5, knnNeighbours=50, knnRecency=0.3,"
                    + " knnLengthNorm=0.0, knnHalfLifeMillis=86400000000, knnItemDecay=0.8,"
                    + " knnBefore=0.5, knnShrinkage=0.0, knnPoolTarget=0, knnPoolPower=2.0,"
                    + " knnViewsTarget=100.0, knnRepeatWeight=1.0, contextsKept=0,"
                    + " contextsShared=50, contextWeight=0.0, contextShrinkage=1.0}";

    @Test
    void theDefaultsAreUnchanged() {
        assertThat(RecommenderConfig.defaults().asMap()).hasToString(DEFAULTS_BEFORE);
        assertThat(RecommenderConfig.defaults().getSteps()).isEqualTo(10);
        assertThat(RecommenderConfig.defaults().getKnnViewsTarget()).isEqualTo(100.0);
    }

    @Test
    void everyKnobSetsItsOwnFieldAndCopiesAlong() {
        RecommenderConfig defaults = RecommenderConfig.defaults();
        for (Map.Entry<String, Object> knob : defaults.asMap().entrySet()) {
            String changed = changedValue(knob.getValue());
            RecommenderConfig c = RecommenderConfig.defaults().set(knob.getKey(), changed);
            Map<String, Object> after = c.asMap();
            for (String other : after.keySet()) {
                if (other.equals(knob.getKey()))
                    assertThat(String.valueOf(after.get(other))).as(other).isEqualTo(changed);
                else
                    assertThat(after.get(other))
                            .as(knob.getKey() + " left " + other)
                            .isEqualTo(defaults.asMap().get(other));
            }
            assertThat(c.copy().asMap()).isEqualTo(after);
        }
    }

    private static String changedValue(Object value) {
        if (value instanceof Boolean b) return String.valueOf(!b);
        if (value instanceof RecommenderConfig.Normalisation n)
            return n == RecommenderConfig.Normalisation.SUM ? "MAX" : "SUM";
        if (value instanceof Integer i) return String.valueOf(i + 3);
        if (value instanceof Long l) return String.valueOf(l + 3);
        return String.valueOf(((Double) value) + 0.25);
    }

    @Test
    void hourAliasesSetTheMillisecondKnobs() {
        RecommenderConfig c =
                RecommenderConfig.defaults()
                        .set("halfLifeHours", "2")
                        .set("knnHalfLifeHours", "0.5");
        assertThat(c.getHalfLifeMillis()).isEqualTo(7_200_000L);
        assertThat(c.getKnnHalfLifeMillis()).isEqualTo(1_800_000L);
        assertThat(c.asMap()).doesNotContainKeys("halfLifeHours", "knnHalfLifeHours");
        assertThatThrownBy(() -> c.set("halfLifeHours", "0"))
                .hasMessage("recommender parameter halfLifeHours=0 out of range");
    }

    @Test
    void badNamesAndValuesAreRefusedWithTheReason() {
        RecommenderConfig c = RecommenderConfig.defaults();
        assertThatThrownBy(() -> c.set("nope", "1"))
                .hasMessageStartingWith("unknown recommender parameter 'nope'; known: [steps,");
        assertThatThrownBy(() -> c.set("steps", "x"))
                .hasMessage("bad value 'x' for recommender parameter steps");
        assertThatThrownBy(() -> c.set("selfRules", "yes"))
                .hasMessage("bad value 'yes' for recommender parameter selfRules");
        assertThatThrownBy(() -> c.set("normalisation", "median"))
                .hasMessage("bad value 'median' for recommender parameter normalisation");
        assertThatThrownBy(() -> c.set("steps", "0"))
                .hasMessage("recommender parameter steps=0 out of range");
        assertThatThrownBy(() -> c.set("knnWeight", "-1"))
                .hasMessage("recommender parameter knnWeight=-1 out of range");
        assertThat(c.asMap()).isEqualTo(RecommenderConfig.defaults().asMap());
    }

    @Test
    void everyKnobIsDescribed() {
        assertThat(RecommenderConfig.knobs())
                .extracting(RecommenderConfig.KnobInfo::name)
                .containsAll(RecommenderConfig.defaults().asMap().keySet())
                .contains("halfLifeHours", "knnHalfLifeHours")
                .doesNotHaveDuplicates();
        assertThat(RecommenderConfig.knobs())
                .allSatisfy(k -> assertThat(k.meaning()).as(k.name()).isNotBlank());
    }
}
