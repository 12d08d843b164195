package io.shopkeeper.backtest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Figures of one backtest run. Hit rates and MRR are fractions (0..1); {@link #toJson()} and {@link
 * #summary()} show them as fractions and percentages respectively.
 */
public record BacktestResult(
        String trainFile,
        String testFile,
        String format,
        String mode,
        Double validationSplit,
        int k,
        long cases,
        double hr,
        double mrr,
        double popHr,
        double popMrr,
        double spopHr,
        double spopMrr,
        double coverage,
        double popularityBias,
        double latencyP50Micros,
        double latencyP99Micros,
        int trainSessions,
        int testSessions,
        int trainItems,
        long trainMillis,
        long evalMillis,
        Map<String, Object> config,
        Map<String, Object> modelState,
        Map<String, Object> tuning) {

    /** This result with the report of the tuning that chose its knobs. */
    public BacktestResult withTuning(Map<String, Object> tuning) {
        return new BacktestResult(
                trainFile,
                testFile,
                format,
                mode,
                validationSplit,
                k,
                cases,
                hr,
                mrr,
                popHr,
                popMrr,
                spopHr,
                spopMrr,
                coverage,
                popularityBias,
                latencyP50Micros,
                latencyP99Micros,
                trainSessions,
                testSessions,
                trainItems,
                trainMillis,
                evalMillis,
                config,
                modelState,
                tuning);
    }

    /** Mean of HR and MRR, the single figure used when tuning. */
    public double objective() {
        return (hr + mrr) / 2;
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", trainFile);
        m.put("test", testFile);
        m.put("format", format);
        m.put("mode", mode);
        m.put("validation_split", validationSplit);
        m.put("k", k);
        m.put("cases", cases);
        m.put("hr", hr);
        m.put("mrr", mrr);
        Map<String, Object> pop = new LinkedHashMap<>();
        pop.put("hr", popHr);
        pop.put("mrr", popMrr);
        Map<String, Object> spop = new LinkedHashMap<>();
        spop.put("hr", spopHr);
        spop.put("mrr", spopMrr);
        Map<String, Object> baselines = new LinkedHashMap<>();
        baselines.put("pop", pop);
        baselines.put("spop", spop);
        m.put("baselines", baselines);
        m.put("coverage", coverage);
        m.put("popularity_bias", popularityBias);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", latencyP50Micros);
        latency.put("p99", latencyP99Micros);
        m.put("latency_micros", latency);
        m.put("train_sessions", trainSessions);
        m.put("test_sessions", testSessions);
        m.put("train_items", trainItems);
        m.put("train_millis", trainMillis);
        m.put("eval_millis", evalMillis);
        m.put("config", config);
        if (modelState != null) m.put("model_state", modelState);
        if (tuning != null) m.put("tuning", tuning);
        StringBuilder sb = new StringBuilder();
        writeJson(sb, m, "");
        return sb.append('\n').toString();
    }

    @SuppressWarnings("unchecked")
    private static void writeJson(StringBuilder sb, Object v, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> map) {
            sb.append("{\n");
            String inner = indent + "  ";
            int i = 0;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                sb.append(inner);
                quote(sb, e.getKey());
                sb.append(": ");
                writeJson(sb, e.getValue(), inner);
                if (++i < map.size()) sb.append(',');
                sb.append('\n');
            }
            sb.append(indent).append('}');
        } else if (v instanceof Double d) {
            sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6f", d) : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            quote(sb, v.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Human-readable table (percentages). */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "backtest mode=%s k=%d train=%s test=%s%s%n",
                        mode,
                        k,
                        trainFile,
                        testFile,
                        validationSplit == null
                                ? ""
                                : " (validation split " + validationSplit + " of train)"));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  cases=%d train sessions=%d test sessions=%d train items=%d%n",
                        cases,
                        trainSessions,
                        testSessions,
                        trainItems));
        sb.append(String.format(Locale.ROOT, "  %-12s %8s %8s%n", "", "HR@" + k, "MRR@" + k));
        sb.append(
                String.format(
                        Locale.ROOT, "  %-12s %8.2f %8.2f%n", "shopkeeper", 100 * hr, 100 * mrr));
        sb.append(
                String.format(
                        Locale.ROOT, "  %-12s %8.2f %8.2f%n", "POP", 100 * popHr, 100 * popMrr));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  %-12s %8.2f %8.2f%n",
                        "S-POP",
                        100 * spopHr,
                        100 * spopMrr));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  coverage %.2f%% of train items; popularity bias %.4f (mean training count of"
                                + " listed items / the most popular's); latency per case p50 %.1f us,"
                                + " p99 %.1f us%n",
                        100 * coverage,
                        popularityBias,
                        latencyP50Micros,
                        latencyP99Micros));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  training %.1f s, evaluation %.1f s%n",
                        trainMillis / 1000.0,
                        evalMillis / 1000.0));
        if (modelState != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  state per item (JSON bytes, mean/p90/max): model %s, snapshot %s over %s items%n",
                            modelState.get("model_json_bytes"),
                            modelState.get("snapshot_json_bytes"),
                            modelState.get("items")));
        }
        return sb.toString();
    }
}
