package io.shopkeeper.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shopkeeper.jobs.profile.ProfileDocuments;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.signals.SignalReplay;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.launcher.personas.Persona;
import io.shopkeeper.launcher.personas.PersonaConfig;
import io.shopkeeper.launcher.personas.PersonaGenerator;
import io.shopkeeper.launcher.personas.PersonaLabel;
import io.shopkeeper.launcher.personas.PlantedVisitor;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Signal quality against planted ground truth: plants every {@link Persona} with its true labels,
 * gets each visitor's price-sensitive and drifting flag after every event and at every session end,
 * and reports per signal precision, recall and F1 (a visitor counts as flagged when the flag was on
 * at any point at or after the behaviour's onset; a negative when it was ever on), how many of the
 * visitor's events after the onset the flag took to turn on, whether in-session flags turned on
 * within the session where the behaviour started ({@code flagOnWithinOnsetSession}: turned on in
 * the first session of the planted style) and by the end of the first session that actually shows
 * the in-session behaviour ({@code flagOnByEndOfBehaviourSession}, the target's measure: a visitor
 * leaving at the price may start with a session where a discounted item was there and bought), the
 * share of loyal regulars ever flagged price-sensitive, and the profile's size per visitor.
 *
 * <p>Two sources of flags feed the same computation ({@link #evaluate}):
 *
 * <ul>
 *   <li>{@code --mode job} (default): the real {@code PersonalizationJob} on a Flink MiniCluster,
 *       with Kafka and Redis in-process ({@link SignalJobRun}); the flags are the {@code
 *       price_sensitive} and {@code drifting_now} joins and leaves on the {@code segment-changes}
 *       topic, the profile size is what the job stored in Redis. The replay also runs, and the
 *       agreement of the two per visitor and signal is reported.
 *   <li>{@code --mode replay}: {@link SignalReplay} drives the signal engine in the profile
 *       operator's call order (profile rules, observe, evaluations; session end after 30 minutes of
 *       inactivity), without Flink; seconds instead of minutes, for tuning loops.
 * </ul>
 */
@Command(
        name = "signals",
        mixinStandardHelpOptions = true,
        description =
                "Precision, recall, F1 and time-to-flag of the price-sensitive and drifting signals on planted personas.")
public final class SignalBenchmark implements Callable<Integer> {
    @Option(
            names = "--per-persona",
            defaultValue = "60",
            description = "Visitors per persona (loyal regulars x3). Default: ${DEFAULT-VALUE}.")
    int perPersona;

    @Option(
            names = "--days",
            defaultValue = "56",
            description = "Days of event time. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(
            names = "--seed",
            defaultValue = "7",
            description = "Persona seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--out",
            defaultValue = "bench/results",
            description = "Results directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(
            names = "--misses",
            description =
                    "Print every miss (in-session positive not flagged within its onset session, "
                            + "positive never flagged, negative ever flagged) with the session it happened in, to stderr.")
    boolean misses;

    @Option(
            names = "--mode",
            defaultValue = "job",
            description =
                    "replay: the signal engine in the profile operator's call order, without Flink (seconds). "
                            + "job: the real PersonalizationJob on a Flink MiniCluster with Kafka and Redis in-process, flags read from "
                            + "the segment-changes topic, the replay run alongside for agreement (about 1.5 minutes). Default: ${DEFAULT-VALUE}.")
    Mode mode;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Job mode: the job's parallelism. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "Job mode: partitions per topic. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(
            names = "--job-timeout-seconds",
            defaultValue = "900",
            description =
                    "Job mode: give up (and fail) when the run is not done after this long. Default: ${DEFAULT-VALUE}.")
    int jobTimeoutSeconds;

    @Option(
            names = "--feed",
            defaultValue = "rounds",
            description =
                    "Job mode: rounds (live-like order, see SignalJobRun) or backlog (experiment: every event published "
                            + "before the job catches up; cross-topic order and session timers then differ from live traffic). Default: ${DEFAULT-VALUE}.")
    String feed;

    @Option(
            names = "--disagreements",
            defaultValue = "10",
            description =
                    "Job mode: visitors whose flag timeline differs from the replay's printed to stderr. Default: ${DEFAULT-VALUE}.")
    int disagreements;

    /** Where the flags come from. */
    enum Mode {
        replay,
        job
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SignalBenchmark()).execute(args));
    }

    /**
     * One evaluation point of one signal for one visitor: after event {@code eventIndex} (in the
     * visitor's own events) or, with {@code sessionEnd}, at the end timer of the session that event
     * closes; whether the flag is on there, and why (replay only: the job's segment changes carry
     * no reasons).
     */
    record FlagStep(
            int eventIndex,
            String sessionId,
            boolean sessionEnd,
            boolean on,
            List<String> reasons) {}

    /** Both signals' evaluation points for one visitor. */
    record Timeline(List<FlagStep> price, List<FlagStep> drift) {}

    /** What happened to one visitor for one signal. */
    record Outcome(
            boolean truth,
            boolean flaggedAfterOnset,
            boolean flaggedBeforeOnset,
            boolean everFlagged,
            int eventsToFlag,
            boolean withinOnsetSession,
            boolean byBehaviourSessionEnd,
            List<String> reasonsAtFlag) {}

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        PersonaConfig config =
                PersonaConfig.defaults().withPerPersona(perPersona).withDays(days).withSeed(seed);
        List<PlantedVisitor> visitors = new PersonaGenerator(config).generate();
        long events = visitors.stream().mapToLong(v -> v.events().size()).sum();
        System.err.printf(
                "Planted %d visitors, %d events over %d days%n", visitors.size(), events, days);

        Map<String, Object> options = new LinkedHashMap<>();
        options.put("perPersona", perPersona);
        options.put("days", days);
        options.put("seed", seed);
        options.put("mode", mode.name());
        options.put(
                "modeDescription",
                mode == Mode.job
                        ? "the PersonalizationJob on a Flink MiniCluster, Kafka and Redis in-process; flags from the segment-changes topic; "
                                + "the replay run in the same process for agreement"
                        : "SignalReplay: the profile operator's call order without Flink");
        if (mode == Mode.job) {
            options.put("parallelism", parallelism);
            options.put("partitions", partitions);
            options.put("feed", feed);
        }
        Results results = new Results("signals", options);
        results.put("visitors", visitors.size());
        results.put("events", events);

        // The replay runs in both modes: it is the figure in replay mode and the reference in job
        // mode.
        long tReplay = System.nanoTime();
        SignalReplay replay = SignalReplay.defaults();
        List<List<SignalReplay.Step>> replaySteps = new ArrayList<>();
        List<Timeline> replayTimelines = new ArrayList<>();
        List<Integer> profileBytes = new ArrayList<>();
        List<Integer> stateBytes = new ArrayList<>();
        List<Integer> evidenceBytes = new ArrayList<>();
        for (PlantedVisitor v : visitors) {
            List<SignalReplay.Step> steps = new ArrayList<>();
            SignalReplay.Result r = replay.replay(v.events(), steps::add);
            replaySteps.add(steps);
            replayTimelines.add(
                    new Timeline(
                            flagSteps(steps, SignalReplay.Step::priceSensitive),
                            flagSteps(steps, SignalReplay.Step::drifting)));
            ObjectNode profile = EventCodec.mapper().valueToTree(ProfileDocuments.of(r.profile()));
            profile.set("priceSensitive", EventCodec.mapper().valueToTree(r.priceSensitive()));
            profile.set("drifting", EventCodec.mapper().valueToTree(r.drifting()));
            profileBytes.add(
                    EventCodec.encodeToString(profile).getBytes(StandardCharsets.UTF_8).length);
            profile.set("evidence", EventCodec.mapper().valueToTree(r.evidence()));
            stateBytes.add(
                    EventCodec.encodeToString(profile).getBytes(StandardCharsets.UTF_8).length);
            evidenceBytes.add(r.maxEvidenceBytes());
        }
        Evaluation replayed = evaluate(visitors, replayTimelines, true);
        double replaySeconds = (System.nanoTime() - tReplay) / 1e9;
        Map<String, Object> replaySize = new LinkedHashMap<>();
        replaySize.put(
                "what",
                "JSON bytes of the profile document (io.shopkeeper.schemas.ProfileDocument) as the replay's profile rules leave it, "
                        + "with both SignalStates; 'withEvidence' adds the SignalEvidence kept in state; evidence is its largest size during the replay");
        replaySize.put("profileJsonBytes", distribution(profileBytes));
        replaySize.put("withEvidenceJsonBytes", distribution(stateBytes));
        replaySize.put("evidenceJsonBytesMax", distribution(evidenceBytes));

        Evaluation shown = replayed;
        List<Timeline> shownTimelines = replayTimelines;
        Map<String, Object> agreement = null;
        Map<String, Object> jobStats = null;
        Map<String, Object> size;
        if (mode == Mode.job) {
            System.err.println("Running the job (Kafka, Redis, Flink MiniCluster in this JVM)...");
            SignalJobRun.Output job =
                    SignalJobRun.run(
                            visitors,
                            new SignalJobRun.Settings(
                                    parallelism,
                                    partitions,
                                    Duration.ofSeconds(jobTimeoutSeconds),
                                    Duration.ofSeconds(10),
                                    5,
                                    "backlog".equals(feed)));
            SignalJobRun.MappingStats mapping = new SignalJobRun.MappingStats();
            long gap = job.sessionGap().toMillis();
            List<Timeline> jobTimelines = new ArrayList<>();
            for (PlantedVisitor v : visitors) {
                List<SegmentChange> changes = job.changes().get(v.label().visitorId());
                jobTimelines.add(
                        new Timeline(
                                SignalJobRun.timeline(
                                        v, changes, SignalJobRun.PRICE_SEGMENT, gap, mapping),
                                SignalJobRun.timeline(
                                        v, changes, SignalJobRun.DRIFT_SEGMENT, gap, mapping)));
            }
            Evaluation fromJob = evaluate(visitors, jobTimelines, false);
            agreement =
                    agreement(
                            visitors,
                            replayed,
                            fromJob,
                            replayTimelines,
                            jobTimelines,
                            disagreements);
            jobStats = job.stats();
            Map<String, Object> changeTimes = new LinkedHashMap<>();
            changeTimes.put("changes", mapping.changes);
            changeTimes.put("atAnEvent", mapping.atEvent);
            changeTimes.put("atASessionEndTimer", mapping.atSessionEnd);
            changeTimes.put("elsewhere", mapping.elsewhere);
            changeTimes.put("notToggling", mapping.notToggling);
            jobStats.put("changeTimes", changeTimes);
            if (mapping.elsewhere > 0 || mapping.notToggling > 0) {
                System.err.printf(
                        "WARNING: %d flag changes not at an event or a session-end timer, %d not toggling the flag%n",
                        mapping.elsewhere, mapping.notToggling);
            }
            shown = fromJob;
            shownTimelines = jobTimelines;
            size = new LinkedHashMap<>();
            size.put(
                    "what",
                    "JSON bytes of each visitor's profile as the job stored it in Redis ("
                            + RedisKeys.profile("<visitor>")
                            + ") at the end of the run; 'replay' is the replay's estimate of the same");
            size.put("visitorsWithProfile", job.profileBytes().size());
            size.put(
                    "profileJsonBytes", distribution(new ArrayList<>(job.profileBytes().values())));
            size.put("replay", replaySize);
        } else {
            size = replaySize;
        }
        if (misses) {
            for (int i = 0; i < visitors.size(); i++) {
                PlantedVisitor v = visitors.get(i);
                PersonaLabel label = v.label();
                printMiss(
                        "price",
                        v,
                        shownTimelines.get(i).price(),
                        replaySteps.get(i),
                        shown.price().get(i),
                        label.priceOnsetSession(),
                        label.persona().priceSensitive(),
                        SignalReplay.Step::priceSensitive);
                printMiss(
                        "drift",
                        v,
                        shownTimelines.get(i).drift(),
                        replaySteps.get(i),
                        shown.drift().get(i),
                        label.driftOnsetSession(),
                        label.persona().drifting(),
                        SignalReplay.Step::drifting);
            }
        }

        results.section("signals").putAll(shown.signals());
        results.section("targets").putAll(shown.targets());
        results.section("personas").putAll(shown.personas());
        results.section("profileSize").putAll(size);
        if (mode == Mode.job) {
            Map<String, Object> ref = results.section("replay");
            ref.put("signals", replayed.signals());
            ref.put("targets", replayed.targets());
            ref.put("seconds", Results.round(replaySeconds, 1));
            results.section("agreement").putAll(agreement);
            results.section("job").putAll(jobStats);
        }
        results.put("wallSeconds", Results.round((System.nanoTime() - t0) / 1e9, 1));
        results.put("systemLoadAverage", Results.loadAverage());

        Path file = results.write(out);
        print(shown.signals(), shown.targets(), shown.personas(), size);
        if (mode == Mode.job) printComparison(replayed, shown, agreement, jobStats);
        System.err.println("Wrote " + file + " and " + out.resolve("signals-latest.json"));
        return 0;
    }

    /** Outcomes per visitor (in visitor order) and the figures computed from them. */
    record Evaluation(
            List<Outcome> price,
            List<Outcome> drift,
            Map<String, Object> signals,
            Map<String, Object> targets,
            Map<String, Object> personas) {}

    /**
     * The one computation both modes feed: outcomes, per-signal figures, targets, per-persona rows.
     */
    static Evaluation evaluate(
            List<PlantedVisitor> visitors, List<Timeline> timelines, boolean withReasons) {
        List<Outcome> price = new ArrayList<>();
        List<Outcome> drift = new ArrayList<>();
        Map<Persona, List<Outcome[]>> byPersona = new EnumMap<>(Persona.class);
        for (int i = 0; i < visitors.size(); i++) {
            PlantedVisitor v = visitors.get(i);
            PersonaLabel label = v.label();
            int behaviourEnd = lastIndexOf(v, label.behaviourSession());
            Outcome p =
                    outcome(
                            timelines.get(i).price(),
                            label.priceOnset(),
                            label.priceOnsetSession(),
                            behaviourEnd);
            Outcome d =
                    outcome(
                            timelines.get(i).drift(),
                            label.driftOnset(),
                            label.driftOnsetSession(),
                            behaviourEnd);
            price.add(p);
            drift.add(d);
            byPersona
                    .computeIfAbsent(label.persona(), k -> new ArrayList<>())
                    .add(new Outcome[] {p, d});
        }

        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("priceSensitive", signalFigures(price, byPersona, 0));
        signals.put("drifting", signalFigures(drift, byPersona, 1));
        List<Outcome[]> regulars = byPersona.getOrDefault(Persona.LOYAL_REGULAR, List.of());
        long regularsFlagged = regulars.stream().filter(o -> o[0].everFlagged()).count();
        Map<String, Object> targets = new LinkedHashMap<>();
        double regularShare = regulars.isEmpty() ? 0 : (double) regularsFlagged / regulars.size();
        targets.put("loyalRegularsEverFlaggedPriceSensitive", Results.round(regularShare, 4));
        targets.put("loyalRegularsEverFlaggedPriceSensitiveMax", 0.05);
        targets.put("f1Min", 0.9);

        Map<String, Object> personas = new LinkedHashMap<>();
        for (Map.Entry<Persona, List<Outcome[]>> e : byPersona.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            List<Outcome[]> rows = e.getValue();
            row.put("visitors", rows.size());
            row.put(
                    "truth",
                    (e.getKey().priceSensitive() ? "price_sensitive" : "")
                            + (e.getKey().drifting() ? "drifting" : ""));
            row.put(
                    "priceFlagged",
                    Results.round(
                            share(
                                    rows,
                                    o ->
                                            o[0].truth()
                                                    ? o[0].flaggedAfterOnset()
                                                    : o[0].everFlagged()),
                            3));
            row.put(
                    "driftFlagged",
                    Results.round(
                            share(
                                    rows,
                                    o ->
                                            o[1].truth()
                                                    ? o[1].flaggedAfterOnset()
                                                    : o[1].everFlagged()),
                            3));
            int s = e.getKey().priceSensitive() ? 0 : e.getKey().drifting() ? 1 : -1;
            if (withReasons && s != 0)
                row.put("priceReasonsAtFlag", reasonCounts(rows.stream().map(o -> o[0]).toList()));
            if (withReasons && s != 1)
                row.put("driftReasonsAtFlag", reasonCounts(rows.stream().map(o -> o[1]).toList()));
            if (s >= 0) {
                List<Outcome> mine = rows.stream().map(o -> o[s]).toList();
                row.put(
                        "eventsToFlag",
                        distribution(
                                mine.stream()
                                        .filter(Outcome::flaggedAfterOnset)
                                        .map(Outcome::eventsToFlag)
                                        .toList()));
                row.put(
                        "flagOnWithinOnsetSession",
                        Results.round(
                                share(mine, o -> o.flaggedAfterOnset() && o.withinOnsetSession()),
                                3));
                if (e.getKey().inSession()) {
                    row.put(
                            "flagOnByEndOfBehaviourSession",
                            Results.round(share(mine, Outcome::byBehaviourSessionEnd), 3));
                }
                row.put(
                        "flaggedBeforeOnset",
                        mine.stream().filter(Outcome::flaggedBeforeOnset).count());
                if (withReasons) row.put("reasonsAtFlag", reasonCounts(mine));
            }
            personas.put(e.getKey().name().toLowerCase(), row);
        }
        return new Evaluation(price, drift, signals, targets, personas);
    }

    /** The replay's evaluation points as flag steps of one signal. */
    static List<FlagStep> flagSteps(
            List<SignalReplay.Step> steps, Function<SignalReplay.Step, SignalState> signal) {
        List<FlagStep> out = new ArrayList<>(steps.size());
        for (SignalReplay.Step step : steps) {
            SignalState s = signal.apply(step);
            out.add(
                    new FlagStep(
                            step.eventIndex(),
                            step.sessionId(),
                            step.sessionEnd(),
                            s.isFlagged(),
                            s.getReasons()));
        }
        return out;
    }

    /**
     * Per visitor and signal, how often the job's outcome equals the replay's: ever flagged,
     * flagged after the onset (positives), in time (in-session positives: on by the end of the
     * behaviour session), the same events-to-flag (both flagged after the onset), and the whole
     * flag timeline (on/off after every event and at every session end). Prints up to {@code
     * examples} disagreeing visitors to stderr.
     */
    static Map<String, Object> agreement(
            List<PlantedVisitor> visitors,
            Evaluation replay,
            Evaluation job,
            List<Timeline> replayTimelines,
            List<Timeline> jobTimelines,
            int examples) {
        Map<String, Object> out = new LinkedHashMap<>();
        int printed = 0;
        List<String> disagreeing = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            List<Outcome> r = s == 0 ? replay.price() : replay.drift();
            List<Outcome> j = s == 0 ? job.price() : job.drift();
            long ever = 0,
                    after = 0,
                    positives = 0,
                    inTime = 0,
                    inSession = 0,
                    eventsSame = 0,
                    bothFlagged = 0,
                    identical = 0;
            for (int i = 0; i < visitors.size(); i++) {
                Outcome a = r.get(i), b = j.get(i);
                Persona persona = visitors.get(i).label().persona();
                if (a.everFlagged() == b.everFlagged()) ever++;
                if (a.truth()) {
                    positives++;
                    if (a.flaggedAfterOnset() == b.flaggedAfterOnset()) after++;
                    if (persona.inSession()) {
                        inSession++;
                        if (a.byBehaviourSessionEnd() == b.byBehaviourSessionEnd()
                                && a.withinOnsetSession() == b.withinOnsetSession()) inTime++;
                    }
                    if (a.flaggedAfterOnset() && b.flaggedAfterOnset()) {
                        bothFlagged++;
                        if (a.eventsToFlag() == b.eventsToFlag()) eventsSame++;
                    }
                }
                List<FlagStep> ra =
                        s == 0 ? replayTimelines.get(i).price() : replayTimelines.get(i).drift();
                List<FlagStep> jb =
                        s == 0 ? jobTimelines.get(i).price() : jobTimelines.get(i).drift();
                int diff = firstDifference(ra, jb);
                if (diff < 0) {
                    identical++;
                } else {
                    String id = visitors.get(i).label().visitorId();
                    disagreeing.add((s == 0 ? "price " : "drift ") + id);
                    if (printed++ < examples) {
                        FlagStep at = diff < ra.size() ? ra.get(diff) : jb.get(diff);
                        System.err.printf(
                                "DISAGREE %s %s (%s): first at event %d%s of %d (session %s): replay %s, job %s; "
                                        + "replay ever=%s after=%s eventsToFlag=%d inTime=%s | job ever=%s after=%s eventsToFlag=%d inTime=%s%n",
                                s == 0 ? "price" : "drift",
                                id,
                                persona,
                                at.eventIndex(),
                                at.sessionEnd() ? " (session end)" : "",
                                visitors.get(i).events().size(),
                                at.sessionId(),
                                diff < ra.size() && ra.get(diff).on() ? "on" : "off",
                                diff < jb.size() && jb.get(diff).on() ? "on" : "off",
                                a.everFlagged(),
                                a.flaggedAfterOnset(),
                                a.eventsToFlag(),
                                a.byBehaviourSessionEnd(),
                                b.everFlagged(),
                                b.flaggedAfterOnset(),
                                b.eventsToFlag(),
                                b.byBehaviourSessionEnd());
                    }
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("visitors", visitors.size());
            m.put("everFlagged", Results.round(ratio(ever, visitors.size()), 4));
            m.put("positives", positives);
            m.put("flaggedAfterOnset", Results.round(ratio(after, positives), 4));
            m.put("inSessionPositives", inSession);
            m.put("inTime", Results.round(ratio(inTime, inSession), 4));
            m.put("flaggedAfterOnsetInBoth", bothFlagged);
            m.put("sameEventsToFlag", Results.round(ratio(eventsSame, bothFlagged), 4));
            m.put("identicalTimelines", Results.round(ratio(identical, visitors.size()), 4));
            m.put("disagreeingVisitors", visitors.size() - identical);
            out.put(s == 0 ? "priceSensitive" : "drifting", m);
        }
        out.put(
                "what",
                "share of visitors whose outcome in job mode equals the replay's; inTime: flagOnWithinOnsetSession and "
                        + "flagOnByEndOfBehaviourSession both equal; identicalTimelines: the flag is the same after every event and at every session end");
        out.put("disagreeing", disagreeing.size() > 40 ? disagreeing.subList(0, 40) : disagreeing);
        return out;
    }

    private static int firstDifference(List<FlagStep> a, List<FlagStep> b) {
        int n = Math.max(a.size(), b.size());
        for (int k = 0; k < n; k++) {
            if (k >= a.size() || k >= b.size()) return k;
            FlagStep x = a.get(k), y = b.get(k);
            if (x.eventIndex() != y.eventIndex()
                    || x.sessionEnd() != y.sessionEnd()
                    || x.on() != y.on()) return k;
        }
        return -1;
    }

    private static double ratio(long n, long d) {
        return d == 0 ? 1 : (double) n / d;
    }

    /**
     * {@code timeline}: the flags of the mode shown; {@code steps}: the replay's, for the scores in
     * the line.
     */
    private static void printMiss(
            String signal,
            PlantedVisitor v,
            List<FlagStep> timeline,
            List<SignalReplay.Step> steps,
            Outcome o,
            String onsetSession,
            boolean mine,
            Function<SignalReplay.Step, SignalState> state) {
        String what;
        String session;
        if (o.truth() && !o.flaggedAfterOnset()) {
            what = "never flagged";
            session = onsetSession;
        } else if (o.truth() && v.label().persona().inSession() && !o.byBehaviourSessionEnd()) {
            what = "late: " + o.eventsToFlag() + " events";
            session =
                    v.label().behaviourSession() != null
                            ? v.label().behaviourSession()
                            : onsetSession;
        } else if (!o.truth() && o.everFlagged()) {
            what = "false positive";
            session =
                    timeline.stream()
                            .filter(FlagStep::on)
                            .findFirst()
                            .map(FlagStep::sessionId)
                            .orElse(null);
        } else {
            return;
        }
        if (!o.truth() && mine) return;
        String sid = session;
        List<String> sessions =
                v.events().stream()
                        .map(io.shopkeeper.schemas.ShopEvent::getSessionId)
                        .distinct()
                        .toList();
        StringBuilder trace = new StringBuilder();
        List<io.shopkeeper.schemas.ShopEvent> ev = v.events();
        for (int i = 0; i < ev.size(); i++) {
            io.shopkeeper.schemas.ShopEvent e = ev.get(i);
            if (!java.util.Objects.equals(sid, e.getSessionId())) continue;
            trace.append(
                            switch (e.getType()) {
                                case PAGE_VIEW -> "p:" + e.getPageType();
                                case PRODUCT_VIEW ->
                                        "V"
                                                + (e.getPrice() < e.getListPrice() - 1e-9
                                                        ? "d"
                                                        : "")
                                                + e.getCategoryId().replaceAll(".*-", "")
                                                + (i + 1 < ev.size()
                                                                && sid.equals(
                                                                        ev.get(i + 1)
                                                                                .getSessionId())
                                                        ? "/"
                                                                + (ev.get(i + 1).eventTimeMillis()
                                                                                - e
                                                                                        .eventTimeMillis())
                                                                        / 1000
                                                                + "s"
                                                        : "/end");
                                case SEARCH -> "S'" + e.getQuery() + "'" + e.getResultCount();
                                case SORT -> "O:" + e.getSortBy();
                                case ADD_TO_CART -> "A";
                                case REMOVE_FROM_CART -> "R";
                                case CHECKOUT_START -> "C";
                                case ORDER_PLACED ->
                                        "$"
                                                + (e.getCouponCode() != null ? "c" : "")
                                                + (e.getLines().stream()
                                                                .anyMatch(
                                                                        io.shopkeeper.schemas
                                                                                        .OrderLine
                                                                                ::discounted)
                                                        ? "d"
                                                        : "");
                                default -> e.getType().wireName();
                            })
                    .append(' ');
        }
        SignalState end =
                steps.stream()
                        .filter(s -> s.sessionEnd() && sid != null && sid.equals(s.sessionId()))
                        .map(state)
                        .findFirst()
                        .orElse(null);
        SignalState max =
                steps.stream()
                        .filter(s -> sid != null && sid.equals(s.sessionId()))
                        .map(state)
                        .max(java.util.Comparator.comparingDouble(SignalState::getScore))
                        .orElse(null);
        System.err.printf(
                "MISS %s %s %s (%s) session %d/%d: %s| end %s max %s%n",
                signal,
                v.label().visitorId(),
                what,
                o.reasonsAtFlag(),
                sessions.indexOf(sid) + 1,
                sessions.size(),
                trace,
                end == null ? "-" : end.getScore() + "" + end.getReasons(),
                max == null ? "-" : max.getScore() + "" + max.getReasons());
    }

    /** Index of the last event of {@code session} in the visitor's events; -1 when none. */
    static int lastIndexOf(PlantedVisitor v, String session) {
        if (session == null) return -1;
        for (int i = v.events().size() - 1; i >= 0; i--)
            if (session.equals(v.events().get(i).getSessionId())) return i;
        return -1;
    }

    /**
     * {@code behaviourEnd}: index of the last event of the first session showing the in-session
     * behaviour (-1 if none); the flag counts as in time when it is on at or after the onset and no
     * later than that session's end timer.
     */
    static Outcome outcome(List<FlagStep> steps, int onset, String onsetSession, int behaviourEnd) {
        boolean truth = onset >= 0;
        boolean before = false, after = false, ever = false, within = false, inTime = false;
        int eventsToFlag = -1;
        List<String> reasons = List.of();
        boolean wasOn = false;
        for (FlagStep step : steps) {
            boolean on = step.on();
            if (on && !ever && !truth) reasons = step.reasons();
            if (on) ever = true;
            if (on && truth && step.eventIndex() < onset) before = true;
            if (on && truth && step.eventIndex() >= onset && step.eventIndex() <= behaviourEnd)
                inTime = true;
            if (on && !wasOn && truth && step.eventIndex() >= onset && !after) {
                after = true;
                eventsToFlag = step.eventIndex() - onset + 1;
                within = onsetSession != null && onsetSession.equals(step.sessionId());
                reasons = step.reasons();
            }
            if (on && truth && step.eventIndex() >= onset && !after) {
                // Already on when the behaviour started (flag carried over): counts as flagged at
                // the onset.
                after = true;
                eventsToFlag = 1;
                within = true;
                reasons = step.reasons();
            }
            wasOn = on;
        }
        return new Outcome(truth, after, before, ever, eventsToFlag, within, inTime, reasons);
    }

    private static Map<String, Object> signalFigures(
            List<Outcome> outcomes, Map<Persona, List<Outcome[]>> byPersona, int index) {
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
        List<Outcome> positives =
                outcomes.stream().filter(o -> o.truth() && o.flaggedAfterOnset()).toList();
        m.put("eventsToFlag", distribution(positives.stream().map(Outcome::eventsToFlag).toList()));
        List<Outcome> inSession = new ArrayList<>();
        for (Map.Entry<Persona, List<Outcome[]>> e : byPersona.entrySet()) {
            boolean mine = index == 0 ? e.getKey().priceSensitive() : e.getKey().drifting();
            if (mine && e.getKey().inSession()) e.getValue().forEach(o -> inSession.add(o[index]));
        }
        m.put(
                "inSessionPersonasFlaggedWithinOnsetSession",
                Results.round(
                        share(inSession, o -> o.flaggedAfterOnset() && o.withinOnsetSession()), 4));
        m.put(
                "inSessionPersonasFlaggedByEndOfBehaviourSession",
                Results.round(share(inSession, Outcome::byBehaviourSessionEnd), 4));
        m.put(
                "positivesFlaggedBeforeOnset",
                outcomes.stream().filter(Outcome::flaggedBeforeOnset).count());
        return m;
    }

    private static Map<String, Long> reasonCounts(List<Outcome> outcomes) {
        Map<String, Long> counts = new TreeMap<>();
        for (Outcome o : outcomes)
            for (String r : o.reasonsAtFlag()) counts.merge(r, 1L, Long::sum);
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

    private static void print(
            Map<String, Object> signals,
            Map<String, Object> targets,
            Map<String, Object> personas,
            Map<String, Object> size) {
        for (Map.Entry<String, Object> e : signals.entrySet())
            System.out.println(e.getKey() + ": " + e.getValue());
        System.out.println("targets: " + targets);
        for (Map.Entry<String, Object> e : personas.entrySet())
            System.out.println("  " + e.getKey() + ": " + e.getValue());
        if (size.containsKey("withEvidenceJsonBytes")) {
            System.out.println(
                    "profileSize: "
                            + size.get("profileJsonBytes")
                            + " withEvidence: "
                            + size.get("withEvidenceJsonBytes")
                            + " evidenceMax: "
                            + size.get("evidenceJsonBytesMax"));
        } else {
            System.out.println(
                    "profileSize (job, Redis): "
                            + size.get("profileJsonBytes")
                            + " visitors with a profile: "
                            + size.get("visitorsWithProfile"));
        }
    }

    @SuppressWarnings("unchecked")
    private static void printComparison(
            Evaluation replay,
            Evaluation job,
            Map<String, Object> agreement,
            Map<String, Object> jobStats) {
        System.out.println();
        System.out.printf("%-16s %-44s %-44s%n", "", "replay", "job");
        for (String signal : List.of("priceSensitive", "drifting")) {
            System.out.printf(
                    "%-16s %-44s %-44s%n",
                    signal,
                    headline((Map<String, Object>) replay.signals().get(signal)),
                    headline((Map<String, Object>) job.signals().get(signal)));
        }
        System.out.printf(
                "%-16s %-44s %-44s%n",
                "regularsPrice",
                replay.targets().get("loyalRegularsEverFlaggedPriceSensitive"),
                job.targets().get("loyalRegularsEverFlaggedPriceSensitive"));
        for (String signal : List.of("priceSensitive", "drifting")) {
            System.out.println("agreement " + signal + ": " + agreement.get(signal));
        }
        System.out.println("job: " + jobStats);
    }

    private static String headline(Map<String, Object> m) {
        return "P "
                + m.get("precision")
                + " R "
                + m.get("recall")
                + " F1 "
                + m.get("f1")
                + " inTime "
                + m.get("inSessionPersonasFlaggedByEndOfBehaviourSession");
    }
}
