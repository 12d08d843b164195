package io.shopkeeper.jobs.recommend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Tuning of the session recommender.
 *
 * <p>The defaults were tuned on validation splits carved from the TRAINING files only (the test
 * files were read once, afterwards, to report figures): {@code tmall} trained on the first 85% of
 * {@code train_sessions.txt} and validated on the last 15% (9,793 sessions, 85,735 cases); {@code
 * rsc15-sample} trained on the first 85% of {@code train_full} sessions by start time and validated
 * on the last 15% (about the last day; 2,669 sessions, 8,416 cases). Frozen mode, k = 20. Method:
 * coordinate search (two rounds over every knob, by a developer tool since replaced by {@code
 * io.shopkeeper.backtest.Tuner}, which tunes one store) maximising the smaller of the two MRR@20
 * margins over the best baseline on each validation split (S-POP 25.22 on tmall, sequential rules
 * 33.35 on rsc15; MRR is the binding metric) plus 0.05 x mean HR@20. Validation figures with these
 * defaults: tmall HR@20 46.78 / MRR@20 26.07 (S-POP 41.58 / 25.22, SR 13.27 / 7.15); rsc15 67.94 /
 * 34.19 (SR 59.42 / 33.35, S-POP 39.85 / 26.78). Flat directions (objective within 0.0001):
 * maxNeighboursKept 50..200, maxNeighboursShared 30..100, steps 5..20, half-life 30..180 days; the
 * smaller/cheaper value was kept. {@code adaptiveRepeat} lost on both.
 *
 * <p><b>Session-kNN ({@code knn*}, {@code sessionSample*}), added later</b>, tuned by hand on the
 * same validation splits with every other knob at the values above (one-at-a-time sweeps, frozen, k
 * = 20): kNN alone on rsc15 gives MRR 35.2 (recency 0.7) up to 36.5 (recency 0.15, no length norm),
 * but on tmall (a sparse, repeat-driven catalogue) every kNN weight tried LOST MRR (weight 1:
 * 25.86, 3: 25.33, 30: 21.18 vs 26.07 without it), also with kNN restricted to repeats or to new
 * items. So its weight is gated by how often the last item is viewed ({@code knnViewsTarget},
 * {@code knnPoolPower}; a gate on the number of candidate sessions separated the datasets worse).
 * Chosen: knnWeight 30, knnRecency 0.3, knnLengthNorm 0, knnViewsTarget 100, power 2; validation
 * tmall 46.72 / 25.97 (was 46.78 / 26.07), rsc15 67.06 / 35.52 (was 67.94 / 34.19). This is a
 * trade: by the smallest-MRR-margin objective above, kNN off (min margin 0.84) scores slightly
 * above this (0.75); it was chosen for the much larger rsc15 margin. Test (read once afterwards):
 * rsc15 67.99 / 36.73 (SR 62.14 / 34.66), tmall 49.86 / 22.83, which MISSES the tmall S-POP
 * reference MRR 22.90 (the harness's own S-POP: 22.74). A store like tmall can set {@code
 * knnWeight=0} (tmall 50.05 / 23.06). Flat or untried: knnItemsUsed, knnNeighbours (20..100 within
 * 0.3), knnItemDecay 0.6..0.8, knnBefore 0.5..1, the sample sizes (30 sessions x 10 items, fan-out
 * 5) and knnHalfLife (off).
 *
 * <p><b>Second-order rules ({@code context*}, {@link ContextRules}), off by default</b>: a store
 * turns them on through {@code ./shopkeeper tune}, which weighs them on its own held-out sessions.
 * On the last 10% of the last 50,000 nowplaying training sessions (7,943 cases) they took MRR@20
 * from 7.88 to 10.08 at once (contextWeight 4), and the tuner's choice reached HR@20 23.11 / MRR@20
 * 11.43 against 22.12 / 7.42 for these defaults.
 */
public class RecommenderConfig implements Serializable {
    /**
     * How the neighbour weights of one session item are scaled before they are summed across items.
     */
    public enum Normalisation {
        /** weight / (best weight of that item + shrinkage). */
        MAX,
        /** weight / (sum of the shared weights of that item + shrinkage). */
        SUM,
        /**
         * weight / (decayed view count of that item + shrinkage): an estimate of P(next | item).
         */
        OCCURRENCES
    }

    private int steps;
    private boolean selfRules;
    private int maxNeighboursKept;
    private long halfLifeMillis;
    private int maxNeighboursShared;
    private double backwardWeight;
    private int sessionItemsUsed;
    private double positionDecay;
    private Normalisation normalisation;
    private double shrinkage;
    private double repeatWeight;
    private double repeatDecay;
    private double sessionRuleWeight;
    private boolean adaptiveRepeat;
    private double repeatPrior;
    private double repeatPriorStrength;
    private int sessionSampleSize;
    private int sessionSampleItems;
    private int sessionSampleFanout;
    private int sessionSampleShared;
    private double knnWeight;
    private int knnItemsUsed;
    private int knnNeighbours;
    private double knnRecency;
    private double knnLengthNorm;
    private long knnHalfLifeMillis;
    private double knnItemDecay;
    private double knnBefore;
    private double knnShrinkage;
    private int knnPoolTarget;
    private double knnPoolPower;
    private double knnViewsTarget;
    private double knnRepeatWeight;
    private int contextsKept;
    private int contextsShared;
    private double contextWeight;
    private double contextShrinkage;

    /**
     * Every knob, declared once: its name (also its key in a params file and in {@code --param}),
     * default, parser, valid range, meaning, and the field it sets. The defaults, {@link #copy},
     * {@link #set}, {@link #asMap} and {@link #knobs} all come from this table.
     */
    private static final List<Knob<?>> TABLE =
            List.of(
                    // ---- learning (state) ----
                    integer(
                            "steps",
                            10,
                            1,
                            "How many previous session items a new item is linked to (sequential-rule window, weight 1/gap).",
                            c -> c.steps,
                            (c, v) -> c.steps = v),
                    integer(
                            "maxNeighboursKept",
                            100,
                            1,
                            "Neighbours kept per direction in an item's state; the weakest is evicted beyond it.",
                            c -> c.maxNeighboursKept,
                            (c, v) -> c.maxNeighboursKept = v),
                    flag(
                            "selfRules",
                            true,
                            "Whether an item re-viewed later in the session gets a rule to itself (a learned repeat tendency).",
                            c -> c.selfRules,
                            (c, v) -> c.selfRules = v),
                    longInteger(
                            "halfLifeMillis",
                            30L * 24 * 3600 * 1000,
                            1,
                            "Half-life of learned weights in event time.",
                            c -> c.halfLifeMillis,
                            (c, v) -> c.halfLifeMillis = v),
                    hoursOf("halfLifeHours", "halfLifeMillis"),
                    // ---- snapshot ----
                    integer(
                            "maxNeighboursShared",
                            50,
                            1,
                            "Neighbours sent in a snapshot to the visitor operator.",
                            c -> c.maxNeighboursShared,
                            (c, v) -> c.maxNeighboursShared = v),
                    decimal(
                            "backwardWeight",
                            0.6,
                            Double.NEGATIVE_INFINITY,
                            "Weight of the \"preceded by\" direction relative to \"followed by\" when blending a snapshot.",
                            c -> c.backwardWeight,
                            (c, v) -> c.backwardWeight = v),
                    // ---- scoring ----
                    integer(
                            "sessionItemsUsed",
                            10,
                            1,
                            "Session items considered when scoring (most recent first, distinct).",
                            c -> c.sessionItemsUsed,
                            (c, v) -> c.sessionItemsUsed = v),
                    decimal(
                            "positionDecay",
                            0.6,
                            Double.NEGATIVE_INFINITY,
                            "Multiplier of a session item's neighbour scores per step it lies back from the last item.",
                            c -> c.positionDecay,
                            (c, v) -> c.positionDecay = v),
                    normalisation(
                            "normalisation",
                            Normalisation.MAX,
                            "How the neighbour weights of one session item are scaled before they are summed across items (MAX, SUM, OCCURRENCES).",
                            c -> c.normalisation,
                            (c, v) -> c.normalisation = v),
                    decimal(
                            "shrinkage",
                            10.0,
                            Double.NEGATIVE_INFINITY,
                            "Added to the normalising denominator; damps items seen only a few times.",
                            c -> c.shrinkage,
                            (c, v) -> c.shrinkage = v),
                    decimal(
                            "repeatWeight",
                            3.0,
                            Double.NEGATIVE_INFINITY,
                            "Weight of an item already in the session (S-POP-like repeat score, recency weighted).",
                            c -> c.repeatWeight,
                            (c, v) -> c.repeatWeight = v),
                    decimal(
                            "repeatDecay",
                            0.95,
                            Double.NEGATIVE_INFINITY,
                            "Multiplier of a past view's repeat score per step back from the last item.",
                            c -> c.repeatDecay,
                            (c, v) -> c.repeatDecay = v),
                    decimal(
                            "sessionRuleWeight",
                            2.0,
                            Double.NEGATIVE_INFINITY,
                            "Weight of in-session transitions: what followed earlier views of the last item in this session.",
                            c -> c.sessionRuleWeight,
                            (c, v) -> c.sessionRuleWeight = v),
                    flag(
                            "adaptiveRepeat",
                            false,
                            "Mixture scoring: instead of adding the two parts, estimate from the session itself how likely the next view is a repeat ({@code share = (repeatPrior * repeatPriorStrength + repeats so far) / (repeatPriorStrength + views - 1)}) and score {@code share * repeatWeight * session part / its sum + (1 - share) * neighbour part / its sum}.",
                            c -> c.adaptiveRepeat,
                            (c, v) -> c.adaptiveRepeat = v),
                    decimal(
                            "repeatPrior",
                            0.3,
                            Double.NEGATIVE_INFINITY,
                            "Prior repeat share of the mixture (used with {@code adaptiveRepeat}).",
                            c -> c.repeatPrior,
                            (c, v) -> c.repeatPrior = v),
                    decimal(
                            "repeatPriorStrength",
                            2.0,
                            Double.NEGATIVE_INFINITY,
                            "Weight of the prior, in views (used with {@code adaptiveRepeat}).",
                            c -> c.repeatPriorStrength,
                            (c, v) -> c.repeatPriorStrength = v),
                    // ---- session sample and session-kNN scoring ----
                    integer(
                            "sessionSampleSize",
                            30,
                            0,
                            "Sessions kept in each item's session sample (most recent); 0 switches the sample off.",
                            c -> c.sessionSampleSize,
                            (c, v) -> c.sessionSampleSize = v),
                    integer(
                            "sessionSampleItems",
                            10,
                            1,
                            "Items kept per sampled session (its last ones).",
                            c -> c.sessionSampleItems,
                            (c, v) -> c.sessionSampleItems = v),
                    integer(
                            "sessionSampleFanout",
                            5,
                            1,
                            "A new session item refreshes the session in the samples of this many of the session's last distinct items.",
                            c -> c.sessionSampleFanout,
                            (c, v) -> c.sessionSampleFanout = v),
                    integer(
                            "sessionSampleShared",
                            30,
                            0,
                            "Sampled sessions sent in a snapshot.",
                            c -> c.sessionSampleShared,
                            (c, v) -> c.sessionSampleShared = v),
                    decimal(
                            "knnWeight",
                            30.0,
                            0.0,
                            "Weight of the session-kNN part (its scores are scaled so the best candidate gets this); 0 = off.",
                            c -> c.knnWeight,
                            (c, v) -> c.knnWeight = v),
                    integer(
                            "knnItemsUsed",
                            5,
                            1,
                            "Distinct session items (most recent first) whose snapshots' samples give the candidate neighbour sessions.",
                            c -> c.knnItemsUsed,
                            (c, v) -> c.knnItemsUsed = v),
                    integer(
                            "knnNeighbours",
                            50,
                            1,
                            "Neighbour sessions kept (the most similar).",
                            c -> c.knnNeighbours,
                            (c, v) -> c.knnNeighbours = v),
                    decimal(
                            "knnRecency",
                            0.3,
                            Double.NEGATIVE_INFINITY,
                            "Weight of a current-session item in the similarity, per distinct step back from the last item.",
                            c -> c.knnRecency,
                            (c, v) -> c.knnRecency = v),
                    decimal(
                            "knnLengthNorm",
                            0,
                            Double.NEGATIVE_INFINITY,
                            "Similarity divided by (neighbour's distinct items)^knnLengthNorm.",
                            c -> c.knnLengthNorm,
                            (c, v) -> c.knnLengthNorm = v),
                    longInteger(
                            "knnHalfLifeMillis",
                            1000L * 24 * 3600 * 1000,
                            1,
                            "Half-life of a neighbour session's similarity with its age relative to the newest candidate.",
                            c -> c.knnHalfLifeMillis,
                            (c, v) -> c.knnHalfLifeMillis = v),
                    hoursOf("knnHalfLifeHours", "knnHalfLifeMillis"),
                    decimal(
                            "knnItemDecay",
                            0.8,
                            Double.NEGATIVE_INFINITY,
                            "Multiplier of a neighbour's item per position away from the item it shares with the session.",
                            c -> c.knnItemDecay,
                            (c, v) -> c.knnItemDecay = v),
                    decimal(
                            "knnBefore",
                            0.5,
                            Double.NEGATIVE_INFINITY,
                            "Extra multiplier for neighbour items that came BEFORE the shared item.",
                            c -> c.knnBefore,
                            (c, v) -> c.knnBefore = v),
                    decimal(
                            "knnShrinkage",
                            0,
                            0.0,
                            "Votes are scaled by knnWeight / (best vote + knnShrinkage): 0 = best candidate always gets knnWeight.",
                            c -> c.knnShrinkage,
                            (c, v) -> c.knnShrinkage = v),
                    integer(
                            "knnPoolTarget",
                            0,
                            0,
                            "With n candidate neighbour sessions, the kNN part is multiplied by min(1, n / knnPoolTarget); 0 = off.",
                            c -> c.knnPoolTarget,
                            (c, v) -> c.knnPoolTarget = v),
                    decimal(
                            "knnPoolPower",
                            2,
                            Double.NEGATIVE_INFINITY,
                            "Exponent of the pool factor above (larger = sparse evidence is discounted more steeply).",
                            c -> c.knnPoolPower,
                            (c, v) -> c.knnPoolPower = v),
                    decimal(
                            "knnViewsTarget",
                            100,
                            0.0,
                            "With v decayed views of the last item, the kNN part is multiplied by min(1, v / knnViewsTarget)^knnPoolPower; 0 = off.",
                            c -> c.knnViewsTarget,
                            (c, v) -> c.knnViewsTarget = v),
                    decimal(
                            "knnRepeatWeight",
                            1.0,
                            Double.NEGATIVE_INFINITY,
                            "Multiplier of the session-kNN votes for items already in the session (the repeat part covers them).",
                            c -> c.knnRepeatWeight,
                            (c, v) -> c.knnRepeatWeight = v),
                    // ---- second-order rules (ContextRules) ----
                    integer(
                            "contextsKept",
                            0,
                            0,
                            "Second-order rules kept per item (\"this, then b, then c\"); 0 switches them off.",
                            c -> c.contextsKept,
                            (c, v) -> c.contextsKept = v),
                    integer(
                            "contextsShared",
                            50,
                            0,
                            "Strongest second-order rules sent in a snapshot.",
                            c -> c.contextsShared,
                            (c, v) -> c.contextsShared = v),
                    decimal(
                            "contextWeight",
                            0,
                            0.0,
                            "Weight of the second-order part: P(next | last two items) is scaled to at most this; 0 = off.",
                            c -> c.contextWeight,
                            (c, v) -> c.contextWeight = v),
                    decimal(
                            "contextShrinkage",
                            1,
                            0.0,
                            "Added to the sum of a pair's rule weights: damps pairs seen only a few times.",
                            c -> c.contextShrinkage,
                            (c, v) -> c.contextShrinkage = v));

    private static final Map<String, Knob<?>> BY_NAME = byName();

    /**
     * The knobs that change what is learned (the item models), as opposed to how models are shared
     * and scored: {@link SessionRecommender#updatesFor} and {@link SessionRecommender#apply} read
     * only these, so two configurations that agree on them train identical models.
     */
    static final List<String> LEARNING =
            List.of(
                    "steps",
                    "maxNeighboursKept",
                    "selfRules",
                    "halfLifeMillis",
                    "sessionSampleSize",
                    "sessionSampleItems",
                    "sessionSampleFanout",
                    "contextsKept");

    /** The values of the {@link #LEARNING} knobs, by name. */
    public Map<String, Object> learningKnobs() {
        Map<String, Object> all = asMap();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : LEARNING) out.put(name, all.get(name));
        return out;
    }

    /** A knob as reports and help texts describe it. */
    public record KnobInfo(String name, Object defaultValue, String meaning) {}

    public RecommenderConfig() {
        for (Knob<?> knob : TABLE) knob.reset(this);
    }

    public static RecommenderConfig defaults() {
        return new RecommenderConfig();
    }

    public RecommenderConfig copy() {
        RecommenderConfig c = new RecommenderConfig();
        for (Knob<?> knob : TABLE) knob.copy(this, c);
        return c;
    }

    /**
     * Sets one knob by name (e.g. {@code repeatWeight=1.5}, {@code halfLifeHours=48}, {@code
     * normalisation=SUM}); used by params files and the backtest's {@code --param} option.
     *
     * @throws IllegalArgumentException on an unknown name or a bad or out-of-range value
     */
    public RecommenderConfig set(String name, String value) {
        Knob<?> knob = BY_NAME.get(name);
        if (knob == null) {
            throw new IllegalArgumentException(
                    "unknown recommender parameter '" + name + "'; known: " + asMap().keySet());
        }
        knob.set(this, name, value);
        return this;
    }

    /** All knobs by name (the hour aliases left out), for reports and params files. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Knob<?> knob : TABLE) if (knob.field != null) m.put(knob.name, knob.field.get(this));
        return m;
    }

    /** Every knob with its default and meaning (the hour aliases included), in table order. */
    public static List<KnobInfo> knobs() {
        List<KnobInfo> out = new ArrayList<>();
        for (Knob<?> knob : TABLE)
            out.add(new KnobInfo(knob.name, knob.defaultValue, knob.meaning));
        return out;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    private static Map<String, Knob<?>> byName() {
        Map<String, Knob<?>> byName = new LinkedHashMap<>();
        for (Knob<?> knob : TABLE) {
            if (byName.put(knob.name, knob) != null)
                throw new IllegalStateException("knob declared twice: " + knob.name);
        }
        return byName;
    }

    /** The field a knob reads and writes. */
    private record Field<T>(
            Function<RecommenderConfig, T> get, BiConsumer<RecommenderConfig, T> set) {
        T get(RecommenderConfig c) {
            return get.apply(c);
        }
    }

    /**
     * One row of the table. An alias ({@code halfLifeHours}) has no field of its own: it converts
     * its value and sets the knob it stands for.
     */
    private static final class Knob<T> {
        final String name;
        final T defaultValue;
        final String meaning;
        final Function<String, T> parse;
        final Predicate<T> valid;
        final Field<T> field;
        final String aliasOf;

        Knob(
                String name,
                T defaultValue,
                String meaning,
                Function<String, T> parse,
                Predicate<T> valid,
                Field<T> field,
                String aliasOf) {
            this.name = name;
            this.defaultValue = defaultValue;
            this.meaning = meaning;
            this.parse = parse;
            this.valid = valid;
            this.field = field;
            this.aliasOf = aliasOf;
        }

        void reset(RecommenderConfig c) {
            if (field != null) field.set.accept(c, defaultValue);
        }

        void copy(RecommenderConfig from, RecommenderConfig to) {
            if (field != null) field.set.accept(to, field.get(from));
        }

        void set(RecommenderConfig c, String as, String text) {
            T value;
            try {
                value = parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "bad value '" + text + "' for recommender parameter " + as);
            }
            if (!valid.test(value)) {
                throw new IllegalArgumentException(
                        "recommender parameter " + as + "=" + text + " out of range");
            }
            if (aliasOf != null) {
                @SuppressWarnings("unchecked")
                Knob<T> target = (Knob<T>) BY_NAME.get(aliasOf);
                target.field.set.accept(c, value);
            } else {
                field.set.accept(c, value);
            }
        }
    }

    private static Knob<Integer> integer(
            String name,
            int defaultValue,
            int min,
            String meaning,
            Function<RecommenderConfig, Integer> get,
            BiConsumer<RecommenderConfig, Integer> set) {
        return new Knob<>(
                name,
                defaultValue,
                meaning,
                Integer::parseInt,
                v -> v >= min,
                new Field<>(get, set),
                null);
    }

    private static Knob<Long> longInteger(
            String name,
            long defaultValue,
            long min,
            String meaning,
            Function<RecommenderConfig, Long> get,
            BiConsumer<RecommenderConfig, Long> set) {
        return new Knob<>(
                name,
                defaultValue,
                meaning,
                Long::parseLong,
                v -> v >= min,
                new Field<>(get, set),
                null);
    }

    private static Knob<Double> decimal(
            String name,
            double defaultValue,
            double min,
            String meaning,
            Function<RecommenderConfig, Double> get,
            BiConsumer<RecommenderConfig, Double> set) {
        return new Knob<>(
                name,
                defaultValue,
                meaning,
                Double::parseDouble,
                v -> v >= min,
                new Field<>(get, set),
                null);
    }

    private static Knob<Boolean> flag(
            String name,
            boolean defaultValue,
            String meaning,
            Function<RecommenderConfig, Boolean> get,
            BiConsumer<RecommenderConfig, Boolean> set) {
        return new Knob<>(
                name,
                defaultValue,
                meaning,
                RecommenderConfig::parseBoolean,
                v -> true,
                new Field<>(get, set),
                null);
    }

    private static Knob<Normalisation> normalisation(
            String name,
            Normalisation defaultValue,
            String meaning,
            Function<RecommenderConfig, Normalisation> get,
            BiConsumer<RecommenderConfig, Normalisation> set) {
        return new Knob<>(
                name,
                defaultValue,
                meaning,
                v -> Normalisation.valueOf(v.toUpperCase(Locale.ROOT)),
                v -> true,
                new Field<>(get, set),
                null);
    }

    /** {@code alias} in hours for the millisecond knob {@code millisKnob} (which must be > 0). */
    private static Knob<Long> hoursOf(String alias, String millisKnob) {
        return new Knob<>(
                alias,
                null,
                millisKnob + " in hours",
                v -> (long) (Double.parseDouble(v) * 3600_000L),
                v -> v > 0,
                null,
                millisKnob);
    }

    private static boolean parseBoolean(String v) {
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException(v);
    }

    public int getSteps() {
        return steps;
    }

    public RecommenderConfig setSteps(int steps) {
        this.steps = steps;
        return this;
    }

    public int getMaxNeighboursKept() {
        return maxNeighboursKept;
    }

    public RecommenderConfig setMaxNeighboursKept(int v) {
        this.maxNeighboursKept = v;
        return this;
    }

    public boolean isSelfRules() {
        return selfRules;
    }

    public RecommenderConfig setSelfRules(boolean v) {
        this.selfRules = v;
        return this;
    }

    public int getMaxNeighboursShared() {
        return maxNeighboursShared;
    }

    public RecommenderConfig setMaxNeighboursShared(int v) {
        this.maxNeighboursShared = v;
        return this;
    }

    public long getHalfLifeMillis() {
        return halfLifeMillis;
    }

    public RecommenderConfig setHalfLifeMillis(long v) {
        this.halfLifeMillis = v;
        return this;
    }

    public int getSessionItemsUsed() {
        return sessionItemsUsed;
    }

    public RecommenderConfig setSessionItemsUsed(int v) {
        this.sessionItemsUsed = v;
        return this;
    }

    public double getBackwardWeight() {
        return backwardWeight;
    }

    public RecommenderConfig setBackwardWeight(double v) {
        this.backwardWeight = v;
        return this;
    }

    public double getPositionDecay() {
        return positionDecay;
    }

    public RecommenderConfig setPositionDecay(double v) {
        this.positionDecay = v;
        return this;
    }

    public Normalisation getNormalisation() {
        return normalisation;
    }

    public RecommenderConfig setNormalisation(Normalisation v) {
        this.normalisation = v;
        return this;
    }

    public double getShrinkage() {
        return shrinkage;
    }

    public RecommenderConfig setShrinkage(double v) {
        this.shrinkage = v;
        return this;
    }

    public double getRepeatWeight() {
        return repeatWeight;
    }

    public RecommenderConfig setRepeatWeight(double v) {
        this.repeatWeight = v;
        return this;
    }

    public double getRepeatDecay() {
        return repeatDecay;
    }

    public RecommenderConfig setRepeatDecay(double v) {
        this.repeatDecay = v;
        return this;
    }

    public boolean isAdaptiveRepeat() {
        return adaptiveRepeat;
    }

    public RecommenderConfig setAdaptiveRepeat(boolean v) {
        this.adaptiveRepeat = v;
        return this;
    }

    public double getRepeatPrior() {
        return repeatPrior;
    }

    public RecommenderConfig setRepeatPrior(double v) {
        this.repeatPrior = v;
        return this;
    }

    public double getRepeatPriorStrength() {
        return repeatPriorStrength;
    }

    public RecommenderConfig setRepeatPriorStrength(double v) {
        this.repeatPriorStrength = v;
        return this;
    }

    public double getSessionRuleWeight() {
        return sessionRuleWeight;
    }

    public RecommenderConfig setSessionRuleWeight(double v) {
        this.sessionRuleWeight = v;
        return this;
    }

    public int getSessionSampleSize() {
        return sessionSampleSize;
    }

    public RecommenderConfig setSessionSampleSize(int v) {
        this.sessionSampleSize = v;
        return this;
    }

    public int getSessionSampleItems() {
        return sessionSampleItems;
    }

    public RecommenderConfig setSessionSampleItems(int v) {
        this.sessionSampleItems = v;
        return this;
    }

    public int getSessionSampleFanout() {
        return sessionSampleFanout;
    }

    public RecommenderConfig setSessionSampleFanout(int v) {
        this.sessionSampleFanout = v;
        return this;
    }

    public int getSessionSampleShared() {
        return sessionSampleShared;
    }

    public RecommenderConfig setSessionSampleShared(int v) {
        this.sessionSampleShared = v;
        return this;
    }

    public double getKnnWeight() {
        return knnWeight;
    }

    public RecommenderConfig setKnnWeight(double v) {
        this.knnWeight = v;
        return this;
    }

    public int getKnnItemsUsed() {
        return knnItemsUsed;
    }

    public RecommenderConfig setKnnItemsUsed(int v) {
        this.knnItemsUsed = v;
        return this;
    }

    public int getKnnNeighbours() {
        return knnNeighbours;
    }

    public RecommenderConfig setKnnNeighbours(int v) {
        this.knnNeighbours = v;
        return this;
    }

    public double getKnnRecency() {
        return knnRecency;
    }

    public RecommenderConfig setKnnRecency(double v) {
        this.knnRecency = v;
        return this;
    }

    public double getKnnLengthNorm() {
        return knnLengthNorm;
    }

    public RecommenderConfig setKnnLengthNorm(double v) {
        this.knnLengthNorm = v;
        return this;
    }

    public long getKnnHalfLifeMillis() {
        return knnHalfLifeMillis;
    }

    public RecommenderConfig setKnnHalfLifeMillis(long v) {
        this.knnHalfLifeMillis = v;
        return this;
    }

    public double getKnnItemDecay() {
        return knnItemDecay;
    }

    public RecommenderConfig setKnnItemDecay(double v) {
        this.knnItemDecay = v;
        return this;
    }

    public double getKnnBefore() {
        return knnBefore;
    }

    public RecommenderConfig setKnnBefore(double v) {
        this.knnBefore = v;
        return this;
    }

    public double getKnnShrinkage() {
        return knnShrinkage;
    }

    public RecommenderConfig setKnnShrinkage(double v) {
        this.knnShrinkage = v;
        return this;
    }

    public int getKnnPoolTarget() {
        return knnPoolTarget;
    }

    public RecommenderConfig setKnnPoolTarget(int v) {
        this.knnPoolTarget = v;
        return this;
    }

    public double getKnnPoolPower() {
        return knnPoolPower;
    }

    public RecommenderConfig setKnnPoolPower(double v) {
        this.knnPoolPower = v;
        return this;
    }

    public double getKnnViewsTarget() {
        return knnViewsTarget;
    }

    public RecommenderConfig setKnnViewsTarget(double v) {
        this.knnViewsTarget = v;
        return this;
    }

    public double getKnnRepeatWeight() {
        return knnRepeatWeight;
    }

    public RecommenderConfig setKnnRepeatWeight(double v) {
        this.knnRepeatWeight = v;
        return this;
    }

    public int getContextsKept() {
        return contextsKept;
    }

    public RecommenderConfig setContextsKept(int v) {
        this.contextsKept = v;
        return this;
    }

    public int getContextsShared() {
        return contextsShared;
    }

    public RecommenderConfig setContextsShared(int v) {
        this.contextsShared = v;
        return this;
    }

    public double getContextWeight() {
        return contextWeight;
    }

    public RecommenderConfig setContextWeight(double v) {
        this.contextWeight = v;
        return this;
    }

    public double getContextShrinkage() {
        return contextShrinkage;
    }

    public RecommenderConfig setContextShrinkage(double v) {
        this.contextShrinkage = v;
        return this;
    }
}
