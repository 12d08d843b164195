package io.shopkeeper.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.backtest.SessionData.Session;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.RecommenderParams;
import io.shopkeeper.schemas.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunerTest {
    @TempDir Path dir;
    private static final long T0 = SessionData.SYNTHETIC_EPOCH_MILLIS;

    /**
     * A store where the item before the last decides what comes next: after "a b" always c, after
     * "x b" always d, equally often. The last item alone (b) cannot tell c from d, and the scoring
     * under test looks at the last item only (positionDecay 0) unless it uses the pair.
     */
    private static List<Session> pairsDecide(int count) {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> items = i % 2 == 0 ? List.of("a", "b", "c") : List.of("x", "b", "d");
            long start = T0 + i * 240_000L;
            sessions.add(
                    new Session("s" + i, items, new long[] {start, start + 1000, start + 2000}));
        }
        return sessions;
    }

    private static RecommenderConfig withoutPairs() {
        return RecommenderConfig.defaults()
                .setContextWeight(0)
                .setKnnWeight(0)
                .setPositionDecay(0)
                .setBackwardWeight(0);
    }

    @Test
    void picksTheBetterOfTwoKnownConfigurationsOnValidationData() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Tuner tuner =
                new Tuner(
                        20,
                        10_000,
                        600_000,
                        Map.of("contextWeight", List.of("0", "1")),
                        new PrintStream(log, true, StandardCharsets.UTF_8));
        Tuner.Result r = tuner.tune(pairsDecide(200), 0.2, withoutPairs());

        assertThat(r.chosen()).containsEntry("contextWeight", "1.0");
        assertThat(r.config().getContextWeight()).isEqualTo(1.0);
        assertThat(r.config().getContextsKept()).isPositive();
        // 40 validation sessions of 3 items: 80 cases; with the pair, d is no longer ranked below c
        assertThat(r.cases()).isEqualTo(80);
        assertThat(r.validationSessions()).isEqualTo(40);
        assertThat(r.trainSessions()).isEqualTo(160);
        assertThat(r.best().mrr()).isGreaterThan(r.start().mrr());
        assertThat(r.trials()).extracting(Tuner.Trial::change).contains("contextWeight=1");
        assertThat(r.summary()).contains("chosen knobs: {").contains("contextWeight=1.0");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("contextWeight=1");
        @SuppressWarnings("unchecked")
        Map<String, String> params = (Map<String, String>) r.paramsFile().get("params");
        assertThat(params).containsEntry("contextWeight", "1.0");
    }

    @Test
    void keepsTheStartWhenNoCandidateIsBetterAndSwitchesUnusedStateOff() throws Exception {
        Tuner tuner =
                new Tuner(
                        20,
                        10_000,
                        600_000,
                        Map.of("contextWeight", List.of("0")),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Tuner.Result r = tuner.tune(pairsDecide(200), 0.2, withoutPairs());
        // the start's own changes from the defaults, nothing more, and the state nothing scores
        // is off: no second-order rules, no session sample without the session-kNN part
        assertThat(r.chosen())
                .containsOnlyKeys(
                        "knnWeight", "positionDecay", "backwardWeight", "sessionSampleSize");
        assertThat(r.config().getContextsKept()).isZero();
        assertThat(r.config().getSessionSampleSize()).isZero();
        assertThat(r.best()).isEqualTo(r.start());
    }

    @Test
    void objectiveWeighsHitRateAndMrrEquallySoAPointOfHitRateOutweighsAThirdOfMrr() {
        // nowplaying validation: kNN for every item against kNN gated off for rarely viewed items
        Tuner.Trial knnEverywhere = new Tuner.Trial("knnViewsTarget=0", 0.2293, 0.1010);
        Tuner.Trial knnGated = new Tuner.Trial("defaults", 0.2189, 0.1038);
        assertThat(knnEverywhere.objective()).isGreaterThan(knnGated.objective());
        // equal weights: the same gain on either figure is worth the same
        assertThat(new Tuner.Trial("hr", 0.31, 0.10).objective())
                .isCloseTo(new Tuner.Trial("mrr", 0.30, 0.11).objective(), within(1e-12));
        // but not at any price in MRR
        assertThat(new Tuner.Trial("lower", 0.2293, 0.0900).objective())
                .isLessThan(knnGated.objective());
    }

    @Test
    void stopsWithTheBestSoFarOnceTheSearchHasUsedItsCpuBudget() throws Exception {
        Tuner tuner =
                new Tuner(
                        20,
                        10_000,
                        0, // no CPU time for the search: only the start is evaluated
                        Map.of("contextWeight", List.of("0", "1")),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Tuner.Result r = tuner.tune(pairsDecide(200), 0.2, withoutPairs());
        // reached only once the start's evaluation was counted (more than 0 ns of CPU)
        assertThat(r.budgetReached()).isTrue();
        assertThat(r.trials()).extracting(Tuner.Trial::change).containsExactly("defaults");
        assertThat(r.best()).isEqualTo(r.start());
        assertThat(r.summary()).contains("CPU budget reached");
    }

    @Test
    void samplesEveryMthSessionAcrossTheWholeValidationPeriod() {
        List<Session> sessions = pairsDecide(100); // 2 cases each
        List<Session> sample = Tuner.sample(sessions, 50);
        assertThat(sample).hasSize(25);
        assertThat(sample.get(0).id()).isEqualTo("s0");
        assertThat(sample.get(24).id()).isEqualTo("s96");
        assertThat(Tuner.sample(sessions, 1000)).hasSize(100);
    }

    private Path sessionsFile(String name, int count) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) sb.append(i % 2 == 0 ? "a b c\n" : "x b d\n");
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    @Test
    void backtestWithTuneChoosesFromTrainingAloneAndRunsTheTestWithTheChoice() throws Exception {
        Path train = sessionsFile("train.txt", 200);
        // two test files that would favour different knobs: the choice must not change
        Path testA = sessionsFile("testA.txt", 20);
        Path testB = Files.writeString(dir.resolve("testB.txt"), "q r s\nq r s\nb b b\n");
        String[] common = {
            "--train",
            train.toString(),
            "--format",
            "sessions",
            "--tune",
            "--tune-split",
            "0.2",
            "--param",
            "contextWeight=0",
            "--param",
            "knnWeight=0",
            "--param",
            "positionDecay=0",
            "--param",
            "backwardWeight=0"
        };
        Map<String, String> chosen = null;
        for (Path test : List.of(testA, testB)) {
            Path json = dir.resolve(test.getFileName() + ".json");
            Path params = dir.resolve(test.getFileName() + ".params.json");
            List<String> args = new ArrayList<>(List.of(common));
            args.addAll(
                    List.of(
                            "--test", test.toString(),
                            "--json", json.toString(),
                            "--tune-out", params.toString()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                assertThat(Backtest.execute(args.toArray(String[]::new))).isZero();
            } finally {
                System.setOut(stdout);
            }
            // trained once: the tuner's models (160 sessions) continued on the held-out 40
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("continued the tuner's models (160 sessions) on the last 40");

            Map<String, String> written = RecommenderParams.read(params);
            if (chosen == null) chosen = written;
            assertThat(written).isEqualTo(chosen);
            JsonNode result = EventCodec.mapper().readTree(Files.readString(json));
            assertThat(result.path("tuning").path("params").path("contextWeight").asText())
                    .isNotEmpty()
                    .isNotEqualTo("0.0");
            assertThat(result.path("config").path("contextWeight").asDouble()).isPositive();
            assertThat(result.path("tuning").path("validation").path("cases").asInt())
                    .isEqualTo(80);
            assertThat(result.has("popularity_bias")).isTrue();
        }
        // the job reads what tune wrote
        assertThat(chosen).containsKey("contextWeight");

        // the run continued the tuner's models on the held-out sessions instead of training
        // again: same figures as a fresh run with the params file
        Path params = dir.resolve("testA.txt.params.json");
        Path fresh = dir.resolve("fresh.json");
        assertThat(
                        Backtest.execute(
                                "--train", train.toString(),
                                "--test", testA.toString(),
                                "--format", "sessions",
                                "--params-file", params.toString(),
                                "--json", fresh.toString()))
                .isZero();
        JsonNode tuned =
                EventCodec.mapper().readTree(Files.readString(dir.resolve("testA.txt.json")));
        JsonNode again = EventCodec.mapper().readTree(Files.readString(fresh));
        assertThat(tuned.path("config")).isEqualTo(again.path("config"));
        assertThat(tuned.path("hr").asDouble()).isEqualTo(again.path("hr").asDouble());
        assertThat(tuned.path("mrr").asDouble()).isEqualTo(again.path("mrr").asDouble());
        assertThat(tuned.path("model_state")).isEqualTo(again.path("model_state"));
    }

    @Test
    void tuneCommandWritesTheParamsFileWithoutATestFile() throws Exception {
        Path train = sessionsFile("train.txt", 200);
        Path out = dir.resolve("store/params.json");
        int code =
                TuneStore.execute(
                        "--train",
                        train.toString(),
                        "--format",
                        "sessions",
                        "--out",
                        out.toString(),
                        "--split",
                        "0.2",
                        "--param",
                        "contextWeight=0",
                        "--param",
                        "knnWeight=0",
                        "--param",
                        "positionDecay=0",
                        "--param",
                        "backwardWeight=0");
        assertThat(code).isZero();
        assertThat(RecommenderParams.read(out)).containsKey("contextWeight");
        assertThat(
                        TuneStore.execute(
                                "--train",
                                train.toString(),
                                "--format",
                                "nope",
                                "--out",
                                out.toString()))
                .isEqualTo(2);
    }
}
