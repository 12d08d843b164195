package io.shopkeeper.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shopkeeper.jobs.signals.SignalReplay;
import io.shopkeeper.jobs.signals.SignalSizes;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.launcher.personas.Persona;
import io.shopkeeper.launcher.personas.PersonaConfig;
import io.shopkeeper.launcher.personas.PersonaGenerator;
import io.shopkeeper.launcher.personas.PersonaLabel;
import io.shopkeeper.launcher.personas.PlantedVisitor;
import io.shopkeeper.schemas.EventCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Signal quality against planted ground truth: plants every {@link Persona} with its true labels,
 * replays each visitor's events through the signal engine in the profile operator's call order
 * ({@link SignalReplay}: profile rules, observe, evaluations; session end after 30 minutes of
 * inactivity), and reports per signal precision, recall and F1 (a visitor counts as flagged when the
 * flag was on at any point at or after the behaviour's onset; a negative when it was ever on), how many
 * of the visitor's events after the onset the flag took to turn on, whether in-session flags turned on
 * within the session where the behaviour started ({@code flagOnWithinOnsetSession}: turned on in the first
 * session of the planted style) and by the end of the first session that actually shows the in-session
 * behaviour ({@code flagOnByEndOfBehaviourSession}, the target's measure: a visitor leaving at the price may
 * start with a session where a discounted item was there and bought), the share of loyal regulars ever flagged
 * price-sensitive, and the profile's serialized size per visitor.
 */
@Command(name = "signals", mixinStandardHelpOptions = true,
        description = "Precision, recall, F1 and time-to-flag of the price-sensitive and drifting signals on planted personas.")
public final class SignalBenchmark implements Callable<Integer> {
    @Option(names = "--per-persona", defaultValue = "60", description = "Visitors per persona (loyal regulars x3). Default: ${DEFAULT-VALUE}.")
    int perPersona;
    @Option(names = "--days", defaultValue = "56", description = "Days of event time. Default: ${DEFAULT-VALUE}.")
    int days;
    @Option(names = "--seed", defaultValue = "7", description = "Persona seed. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--out", defaultValue = "bench/results", description = "Results directory. Default: ${DEFAULT-VALUE}.")
    Path out;
    @Option(names = "--misses", description = "Print every miss (in-session positive not flagged within its onset session, "
            + "positive never flagged, negative ever flagged) with the session it happened in, to stderr.")
    boolean misses;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SignalBenchmark()).execute(args));
    }

    /** What happened to one visitor for one signal. */
    record Outcome(boolean truth, boolean flaggedAfterOnset, boolean flaggedBeforeOnset, boolean everFlagged,
                   int eventsToFlag, boolean withinOnsetSession, boolean byBehaviourSessionEnd, List<String> reasonsAtFlag) {
    }

    @Override
    public Integer call() throws Exception {
        PersonaConfig config = PersonaConfig.defaults().withPerPersona(perPersona).withDays(days).withSeed(seed);
        List<PlantedVisitor> visitors = new PersonaGenerator(config).generate();
        long events = visitors.stream().mapToLong(v -> v.events().size()).sum();
        System.err.printf("Planted %d visitors, %d events over %d days%n", visitors.size(), events, days);

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("perPersona", perPersona);
        options.put("days", days);
        options.put("seed", seed);
        options.put("mode", "replay (SignalReplay: the operator's call order without Flink)");
        Results results = new Results("signals", options);
        results.put("visitors", visitors.size());
        results.put("events", events);

        SignalReplay replay = SignalReplay.defaults();
        List<Outcome> price = new ArrayList<>();
        List<Outcome> drift = new ArrayList<>();
        Map<Persona, List<Outcome[]>> byPersona = new EnumMap<>(Persona.class);
        List<Integer> profileBytes = new ArrayList<>();
        List<Integer> stateBytes = new ArrayList<>();
        List<Integer> evidenceBytes = new ArrayList<>();
        for (PlantedVisitor v : visitors) {
            PersonaLabel label = v.label();
            List<SignalReplay.Step> steps = new ArrayList<>();
            SignalReplay.Result r = replay.replay(v.events(), steps::add);
            int behaviourEnd = lastIndexOf(v, label.behaviourSession());
            Outcome p = outcome(steps, label.priceOnset(), label.priceOnsetSession(), behaviourEnd, SignalReplay.Step::priceSensitive);
            Outcome d = outcome(steps, label.driftOnset(), label.driftOnsetSession(), behaviourEnd, SignalReplay.Step::drifting);
            price.add(p);
            drift.add(d);
            if (misses) {
                printMiss("price", v, steps, p, label.priceOnset(), label.priceOnsetSession(), label.persona().priceSensitive(), SignalReplay.Step::priceSensitive);
                printMiss("drift", v, steps, d, label.driftOnset(), label.driftOnsetSession(), label.persona().drifting(), SignalReplay.Step::drifting);
            }
            byPersona.computeIfAbsent(label.persona(), k -> new ArrayList<>()).add(new Outcome[]{p, d});

            ObjectNode profile = EventCodec.mapper().valueToTree(r.profile());
            profile.set("priceSensitive", EventCodec.mapper().valueToTree(r.priceSensitive()));
            profile.set("drifting", EventCodec.mapper().valueToTree(r.drifting()));
            int profileJson = EventCodec.encodeToString(profile).getBytes(StandardCharsets.UTF_8).length;
            profile.set("evidence", EventCodec.mapper().valueToTree(r.evidence()));
            profileBytes.add(profileJson);
            stateBytes.add(EventCodec.encodeToString(profile).getBytes(StandardCharsets.UTF_8).length);
            evidenceBytes.add(r.maxEvidenceBytes());
        }

        Map<String, Object> signals = results.section("signals");
        signals.put("priceSensitive", signalFigures(price, byPersona, 0));
        signals.put("drifting", signalFigures(drift, byPersona, 1));
        List<Outcome[]> regulars = byPersona.get(Persona.LOYAL_REGULAR);
        long regularsFlagged = regulars.stream().filter(o -> o[0].everFlagged()).count();
        Map<String, Object> targets = results.section("targets");
        double regularShare = (double) regularsFlagged / regulars.size();
        targets.put("loyalRegularsEverFlaggedPriceSensitive", Results.round(regularShare, 4));
        targets.put("loyalRegularsEverFlaggedPriceSensitiveMax", 0.05);
        targets.put("f1Min", 0.9);

        Map<String, Object> personas = results.section("personas");
        for (Map.Entry<Persona, List<Outcome[]>> e : byPersona.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            List<Outcome[]> rows = e.getValue();
            row.put("visitors", rows.size());
            row.put("truth", (e.getKey().priceSensitive() ? "price_sensitive" : "") + (e.getKey().drifting() ? "drifting" : ""));
            row.put("priceFlagged", Results.round(share(rows, o -> o[0].truth() ? o[0].flaggedAfterOnset() : o[0].everFlagged()), 3));
            row.put("driftFlagged", Results.round(share(rows, o -> o[1].truth() ? o[1].flaggedAfterOnset() : o[1].everFlagged()), 3));
            int s = e.getKey().priceSensitive() ? 0 : e.getKey().drifting() ? 1 : -1;
            if (s != 0) row.put("priceReasonsAtFlag", reasonCounts(rows.stream().map(o -> o[0]).toList()));
            if (s != 1) row.put("driftReasonsAtFlag", reasonCounts(rows.stream().map(o -> o[1]).toList()));
            if (s >= 0) {
                List<Outcome> mine = rows.stream().map(o -> o[s]).toList();
                row.put("eventsToFlag", distribution(mine.stream().filter(Outcome::flaggedAfterOnset).map(Outcome::eventsToFlag).toList()));
                row.put("flagOnWithinOnsetSession", Results.round(share(mine, o -> o.flaggedAfterOnset() && o.withinOnsetSession()), 3));
                if (e.getKey().inSession()) {
                    row.put("flagOnByEndOfBehaviourSession", Results.round(share(mine, Outcome::byBehaviourSessionEnd), 3));
                }
                row.put("flaggedBeforeOnset", mine.stream().filter(Outcome::flaggedBeforeOnset).count());
                row.put("reasonsAtFlag", reasonCounts(mine));
            }
            personas.put(e.getKey().name().toLowerCase(), row);
        }

        Map<String, Object> size = results.section("profileSize");
        size.put("what", "JSON bytes of io.shopkeeper.jobs.profile.CustomerProfile as the replay's profile rules leave it, "
                + "with both SignalStates; 'withEvidence' adds the SignalEvidence kept in state; evidence is its largest size during the replay");
        size.put("profileJsonBytes", distribution(profileBytes));
        size.put("withEvidenceJsonBytes", distribution(stateBytes));
        size.put("evidenceJsonBytesMax", distribution(evidenceBytes));

        Path file = results.write(out);
        print(signals, targets, personas, size);
        System.err.println("Wrote " + file + " and " + out.resolve("signals-latest.json"));
        return 0;
    }

    private static void printMiss(String signal, PlantedVisitor v, List<SignalReplay.Step> steps, Outcome o, int onset,
                                  String onsetSession, boolean mine, Function<SignalReplay.Step, SignalState> state) {
        String what;
        String session;
        if (o.truth() && !o.flaggedAfterOnset()) {
            what = "never flagged";
            session = onsetSession;
        } else if (o.truth() && v.label().persona().inSession() && !o.byBehaviourSessionEnd()) {
            what = "late: " + o.eventsToFlag() + " events";
            session = v.label().behaviourSession() != null ? v.label().behaviourSession() : onsetSession;
        } else if (!o.truth() && o.everFlagged()) {
            what = "false positive";
            session = steps.stream().filter(s -> state.apply(s).isFlagged()).findFirst().map(SignalReplay.Step::sessionId).orElse(null);
        } else {
            return;
        }
        if (!o.truth() && mine) return;
        String sid = session;
        List<String> sessions = v.events().stream().map(io.shopkeeper.schemas.ShopEvent::getSessionId).distinct().toList();
        StringBuilder trace = new StringBuilder();
        List<io.shopkeeper.schemas.ShopEvent> ev = v.events();
        for (int i = 0; i < ev.size(); i++) {
            io.shopkeeper.schemas.ShopEvent e = ev.get(i);
            if (!java.util.Objects.equals(sid, e.getSessionId())) continue;
            trace.append(switch (e.getType()) {
                case PAGE_VIEW -> "p:" + e.getPageType();
                case PRODUCT_VIEW -> "V" + (e.getPrice() < e.getListPrice() - 1e-9 ? "d" : "") + e.getCategoryId().replaceAll(".*-", "")
                        + (i + 1 < ev.size() && sid.equals(ev.get(i + 1).getSessionId())
                        ? "/" + (ev.get(i + 1).eventTimeMillis() - e.eventTimeMillis()) / 1000 + "s" : "/end");
                case SEARCH -> "S'" + e.getQuery() + "'" + e.getResultCount();
                case SORT -> "O:" + e.getSortBy();
                case ADD_TO_CART -> "A";
                case REMOVE_FROM_CART -> "R";
                case CHECKOUT_START -> "C";
                case ORDER_PLACED -> "$" + (e.getCouponCode() != null ? "c" : "")
                        + (e.getLines().stream().anyMatch(io.shopkeeper.schemas.OrderLine::discounted) ? "d" : "");
                default -> e.getType().wireName();
            }).append(' ');
        }
        SignalState end = steps.stream().filter(s -> s.sessionEnd() && sid != null && sid.equals(s.sessionId())).map(state).findFirst().orElse(null);
        SignalState max = steps.stream().filter(s -> sid != null && sid.equals(s.sessionId())).map(state)
                .max(java.util.Comparator.comparingDouble(SignalState::getScore)).orElse(null);
        System.err.printf("MISS %s %s %s (%s) session %d/%d: %s| end %s max %s%n", signal, v.label().visitorId(), what,
                o.reasonsAtFlag(), sessions.indexOf(sid) + 1, sessions.size(), trace,
                end == null ? "-" : end.getScore() + "" + end.getReasons(), max == null ? "-" : max.getScore() + "" + max.getReasons());
    }

    /** Index of the last event of {@code session} in the visitor's events; -1 when none. */
    static int lastIndexOf(PlantedVisitor v, String session) {
        if (session == null) return -1;
        for (int i = v.events().size() - 1; i >= 0; i--) if (session.equals(v.events().get(i).getSessionId())) return i;
        return -1;
    }

    /**
     * {@code behaviourEnd}: index of the last event of the first session showing the in-session behaviour
     * (-1 if none); the flag counts as in time when it is on at or after the onset and no later than that
     * session's end timer.
     */
    static Outcome outcome(List<SignalReplay.Step> steps, int onset, String onsetSession, int behaviourEnd,
                           Function<SignalReplay.Step, SignalState> signal) {
        boolean truth = onset >= 0;
        boolean before = false, after = false, ever = false, within = false, inTime = false;
        int eventsToFlag = -1;
        List<String> reasons = List.of();
        boolean wasOn = false;
        for (SignalReplay.Step step : steps) {
            SignalState s = signal.apply(step);
            boolean on = s.isFlagged();
            if (on && !ever && !truth) reasons = s.getReasons();
            if (on) ever = true;
            if (on && truth && step.eventIndex() < onset) before = true;
            if (on && truth && step.eventIndex() >= onset && step.eventIndex() <= behaviourEnd) inTime = true;
            if (on && !wasOn && truth && step.eventIndex() >= onset && !after) {
                after = true;
                eventsToFlag = step.eventIndex() - onset + 1;
                within = onsetSession != null && onsetSession.equals(step.sessionId());
                reasons = s.getReasons();
            }
            if (on && truth && step.eventIndex() >= onset && !after) {
                // Already on when the behaviour started (flag carried over): counts as flagged at the onset.
                after = true;
                eventsToFlag = 1;
                within = true;
                reasons = s.getReasons();
            }
            wasOn = on;
        }
        return new Outcome(truth, after, before, ever, eventsToFlag, within, inTime, reasons);
    }

    private static Map<String, Object> signalFigures(List<Outcome> outcomes, Map<Persona, List<Outcome[]>> byPersona, int index) {
        long tp = outcomes.stream().filter(o -> o.truth() && o.flaggedAfterOnset()).count();
        long fn = outcomes.stream().filter(o -> o.truth() && !o.flaggedAfterOnset()).count();
        long fp = outcomes.stream().filter(o -> !o.truth() && o.everFlagged()).count();
        long tn = outcomes.stream().filter(o -> !o.truth() && !o.everFlagged()).count();
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", Results.round(precision, 4));
        m.put("recall", Results.round(recall, 4));
        m.put("f1", Results.round(f1, 4));
        m.put("truePositives", tp);
        m.put("falsePositives", fp);
        m.put("falseNegatives", fn);
        m.put("trueNegatives", tn);
        List<Outcome> positives = outcomes.stream().filter(o -> o.truth() && o.flaggedAfterOnset()).toList();
        m.put("eventsToFlag", distribution(positives.stream().map(Outcome::eventsToFlag).toList()));
        List<Outcome> inSession = new ArrayList<>();
        for (Map.Entry<Persona, List<Outcome[]>> e : byPersona.entrySet()) {
            boolean mine = index == 0 ? e.getKey().priceSensitive() : e.getKey().drifting();
            if (mine && e.getKey().inSession()) e.getValue().forEach(o -> inSession.add(o[index]));
        }
        m.put("inSessionPersonasFlaggedWithinOnsetSession",
                Results.round(share(inSession, o -> o.flaggedAfterOnset() && o.withinOnsetSession()), 4));
        m.put("inSessionPersonasFlaggedByEndOfBehaviourSession", Results.round(share(inSession, Outcome::byBehaviourSessionEnd), 4));
        m.put("positivesFlaggedBeforeOnset", outcomes.stream().filter(Outcome::flaggedBeforeOnset).count());
        return m;
    }

    private static Map<String, Long> reasonCounts(List<Outcome> outcomes) {
        Map<String, Long> counts = new TreeMap<>();
        for (Outcome o : outcomes) for (String r : o.reasonsAtFlag()) counts.merge(r, 1L, Long::sum);
        return counts;
    }

    private static <T> double share(List<T> rows, java.util.function.Predicate<T> test) {
        return rows.isEmpty() ? 0 : (double) rows.stream().filter(test).count() / rows.size();
    }

    static Map<String, Object> distribution(List<Integer> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", values.size());
        if (values.isEmpty()) return m;
        int[] sorted = values.stream().mapToInt(Integer::intValue).sorted().toArray();
        m.put("mean", Results.round(Arrays.stream(sorted).average().orElse(0), 2));
        m.put("p50", sorted[(int) Math.floor(0.5 * (sorted.length - 1))]);
        m.put("p90", sorted[(int) Math.floor(0.9 * (sorted.length - 1))]);
        m.put("max", sorted[sorted.length - 1]);
        return m;
    }

    private static void print(Map<String, Object> signals, Map<String, Object> targets, Map<String, Object> personas,
                              Map<String, Object> size) {
        for (Map.Entry<String, Object> e : signals.entrySet()) System.out.println(e.getKey() + ": " + e.getValue());
        System.out.println("targets: " + targets);
        for (Map.Entry<String, Object> e : personas.entrySet()) System.out.println("  " + e.getKey() + ": " + e.getValue());
        System.out.println("profileSize: " + size.get("profileJsonBytes") + " withEvidence: " + size.get("withEvidenceJsonBytes")
                + " evidenceMax: " + size.get("evidenceJsonBytesMax"));
    }
}
