package io.shopkeeper.backtest;

import io.shopkeeper.backtest.SessionData.Format;
import io.shopkeeper.backtest.SessionData.Session;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Developer tool: coordinate search of the recommender knobs on VALIDATION splits carved from the
 * training files only (the test files are never read). Objective (frozen mode): the smallest margin
 * of MRR@20 over the best baseline's MRR@20 on the same validation split (given per dataset; MRR is
 * the binding metric), plus 0.05 x mean HR@20.
 *
 * <pre>
 * java -cp ... io.shopkeeper.backtest.Tune SPLIT ROUNDS NAME=FORMAT:MRR_TO_BEAT:TRAINFILE ... [-- NAME=VALUE ...start values]
 * </pre>
 */
public final class Tune {
    /** mrrToBeat: best baseline MRR@20 on this validation split (S-POP for tmall, SR for rsc15). */
    private record Dataset(
            String name, List<Session> train, List<Session> validation, double mrrToBeat) {}

    private final List<Dataset> datasets = new ArrayList<>();
    private final Map<String, Backtest.State> trained = new HashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    public static void main(String[] args) throws Exception {
        double split = Double.parseDouble(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Tune t = new Tune();
        RecommenderConfig start = RecommenderConfig.defaults();
        boolean overrides = false;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--")) {
                overrides = true;
                continue;
            }
            String[] kv = args[i].split("=", 2);
            if (overrides) {
                start.set(kv[0], kv[1]);
                continue;
            }
            String[] ff = kv[1].split(":", 3); // FORMAT:MRR_TO_BEAT:FILE
            List<Session> all =
                    SessionData.read(
                            Path.of(ff[2]), Format.valueOf(ff[0].toUpperCase(Locale.ROOT)), 0, 240);
            int cut = (int) Math.round(all.size() * (1 - split));
            t.datasets.add(
                    new Dataset(
                            kv[0],
                            new ArrayList<>(all.subList(0, cut)),
                            new ArrayList<>(all.subList(cut, all.size())),
                            Double.parseDouble(ff[1])));
        }
        try {
            t.search(start, rounds);
        } finally {
            t.pool.shutdown();
        }
    }

    private static final Map<String, List<String>> GRID = new LinkedHashMap<>();

    static {
        GRID.put("repeatWeight", List.of("0.3", "0.5", "0.7", "1", "1.5", "2", "3", "5"));
        GRID.put("adaptiveRepeat", List.of("false", "true"));
        GRID.put("repeatPrior", List.of("0.1", "0.2", "0.3", "0.5"));
        GRID.put("repeatPriorStrength", List.of("0.5", "1", "2", "5", "10"));
        GRID.put("repeatDecay", List.of("0.5", "0.7", "0.8", "0.9", "0.95", "1"));
        GRID.put("sessionRuleWeight", List.of("0", "0.1", "0.3", "0.6", "1", "2"));
        GRID.put("positionDecay", List.of("0", "0.2", "0.4", "0.6", "0.8", "1"));
        GRID.put("sessionItemsUsed", List.of("1", "3", "5", "10", "20"));
        GRID.put("backwardWeight", List.of("0", "0.1", "0.3", "0.6", "1"));
        GRID.put("normalisation", List.of("MAX", "SUM", "OCCURRENCES"));
        GRID.put("shrinkage", List.of("0", "0.5", "1", "2", "5", "10"));
        GRID.put("maxNeighboursShared", List.of("20", "30", "50", "100"));
        GRID.put("steps", List.of("3", "5", "10", "20"));
        GRID.put("selfRules", List.of("true", "false"));
        GRID.put("halfLifeHours", List.of("24", "72", "168", "720", "4320", "100000"));
        GRID.put("maxNeighboursKept", List.of("50", "100", "200"));
        GRID.put("knnWeight", List.of("0", "0.3", "1", "2", "4", "8"));
        GRID.put("knnNeighbours", List.of("10", "20", "50", "100"));
        GRID.put("knnItemsUsed", List.of("1", "2", "3", "5", "10"));
        GRID.put("knnRecency", List.of("0.3", "0.5", "0.7", "0.9", "1"));
        GRID.put("knnLengthNorm", List.of("0", "0.5", "1"));
        GRID.put("knnItemDecay", List.of("0.3", "0.5", "0.7", "0.9", "1"));
        GRID.put("knnBefore", List.of("0", "0.25", "0.5", "1"));
        GRID.put("knnRepeatWeight", List.of("0", "0.5", "1", "2"));
        GRID.put("knnHalfLifeHours", List.of("6", "24", "168", "100000"));
        GRID.put("sessionSampleSize", List.of("10", "20", "30", "50"));
        GRID.put("sessionSampleShared", List.of("10", "20", "30", "50"));
        GRID.put("sessionSampleItems", List.of("5", "10", "15"));
        GRID.put("sessionSampleFanout", List.of("1", "3", "5", "10"));
    }

    /**
     * The grid searched: {@link #GRID}, or the system property {@code tune.grid} = {@code
     * knob:v1,v2,...;knob2:...} (searched in that order) to tune a subset.
     */
    static Map<String, List<String>> grid() {
        String spec = System.getProperty("tune.grid");
        if (spec == null || spec.isBlank()) return GRID;
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String part : spec.split(";")) {
            String[] kv = part.trim().split(":", 2);
            g.put(kv[0].trim(), List.of(kv[1].trim().split(",")));
        }
        return g;
    }

    void search(RecommenderConfig start, int rounds) throws Exception {
        RecommenderConfig best = start.copy();
        double[] bestScore = {evaluate(best, "start")};
        for (int round = 0; round < rounds; round++) {
            boolean improved = false;
            for (Map.Entry<String, List<String>> knob : grid().entrySet()) {
                for (String value : knob.getValue()) {
                    RecommenderConfig c = best.copy().set(knob.getKey(), value);
                    if (c.asMap().equals(best.asMap())) continue;
                    double s = evaluate(c, knob.getKey() + "=" + value);
                    if (s > bestScore[0] + 1e-5) {
                        bestScore[0] = s;
                        best = c;
                        improved = true;
                        System.out.println("  * best now " + best);
                    }
                }
            }
            if (!improved) break;
        }
        System.out.println("BEST " + String.format(Locale.ROOT, "%.4f", bestScore[0]) + " " + best);
    }

    private double evaluate(RecommenderConfig config, String label) throws Exception {
        SessionRecommender rec = new SessionRecommender(config);
        List<Future<Backtest.Evaluation>> futures = new ArrayList<>();
        for (Dataset d : datasets) {
            Backtest.State state = state(d, config, rec);
            futures.add(
                    pool.submit(() -> Backtest.evaluate(state, d.validation(), rec, 20, false)));
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", label));
        double sumHr = 0, minMrrMargin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < datasets.size(); i++) {
            Backtest.Evaluation e = futures.get(i).get();
            double hr = e.hits / e.cases, mrr = e.rr / e.cases;
            Dataset d = datasets.get(i);
            sumHr += hr;
            minMrrMargin = Math.min(minMrrMargin, mrr - d.mrrToBeat());
            line.append(
                    String.format(
                            Locale.ROOT,
                            " | %s %.2f/%.2f (S-POP %.2f/%.2f)",
                            datasets.get(i).name(),
                            100 * hr,
                            100 * mrr,
                            100 * e.spopHits / e.cases,
                            100 * e.spopRr / e.cases));
        }
        double objective = minMrrMargin + 0.05 * sumHr / datasets.size();
        System.out.println(line.append(String.format(Locale.ROOT, " | obj %.4f", objective)));
        return objective;
    }

    private synchronized Backtest.State state(
            Dataset d, RecommenderConfig c, SessionRecommender rec) {
        String key =
                d.name()
                        + "/"
                        + c.getSteps()
                        + "/"
                        + c.getHalfLifeMillis()
                        + "/"
                        + c.getMaxNeighboursKept()
                        + "/"
                        + c.getSessionSampleSize()
                        + "/"
                        + c.getSessionSampleItems()
                        + "/"
                        + c.getSessionSampleFanout();
        return trained.computeIfAbsent(key, k -> Backtest.train(d.train(), rec));
    }
}
