package io.shopkeeper.backtest;

import io.shopkeeper.backtest.SessionData.Format;
import io.shopkeeper.backtest.SessionData.Session;
import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemNeighbours;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.RecommenderParams;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ScoredItem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Offline backtest of the session recommender with the literature's next-item protocol ({@code
 * shared/datasets/README.md}): for every test session and every position {@code k >= 1} the
 * recommender gets the first {@code k} items and the target is item {@code k+1}; HR@k and MRR@k
 * over all cases; items already in the session stay eligible.
 *
 * <p>Training goes through the same code path as the streaming job: for every training event,
 * {@link SessionRecommender#updatesFor} on the session so far, then {@link
 * SessionRecommender#apply} of each update to the {@link ItemModel} of its item, at the event's
 * time. Predictions use {@link SessionRecommender#recommend} with {@link
 * SessionRecommender#neighbours} snapshots of the session's items. Mode {@code frozen} learns from
 * the training file only; mode {@code online} also learns from each test event right after
 * predicting it. POP (global popularity) and S-POP (in-session counts, ties by global popularity)
 * are computed by the same harness; in online and stream modes their popularity also includes the
 * test events learned so far (refreshed every {@value #POPULARITY_REFRESH} events).
 *
 * <p>Mode {@code stream} is for checking the job against the backtest, and for figures of what the
 * job actually serves: it replays both files as one time-ordered stream with the job's data flow
 * exactly (each session an anonymous visitor {@code anon-s<n>} with session id {@code s<n>}; the
 * profile's 20-item session cap and session gap; learning steps applied before the viewed item's
 * neighbour snapshot is taken; rankings from the snapshots cached at each item's last view, without
 * popular fill), so that its ranking after every event is the list the Flink job writes under
 * {@code sk:recs:anon-s<n>} for the same input ({@code JobBacktestEquivalenceIT} proves it). Its
 * HR/MRR complete that list with popular items. See {@link StreamReplay}. {@code frozen} and {@code
 * online} keep the literature's protocol (whole prefixes, fresh snapshots, popular tie-breaks).
 *
 * <p>Files without timestamps ({@code --format sessions}) get a synthetic clock: session {@code i}
 * starts at {@code i * --session-interval-seconds} (default 240 s, so the 65k Tmall training
 * sessions span about six months, like the original IJCAI-15 log), items one second apart.
 */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Replays session files through the session recommender and reports HR@k and MRR@k "
                    + "beside POP and S-POP baselines.",
            "Modes: frozen (learn from --train only), online (also learn from each test event after predicting it), "
                    + "stream (replay train then test as one time-ordered stream exactly as the Flink job processes it - "
                    + "each session an anonymous visitor, 20-item session cap, 30-minute session gap, neighbour "
                    + "snapshots cached per session item, no popular fill - so each ranking equals the list the job "
                    + "writes to Redis; use it to check the job against the backtest and to measure what the job serves)."
        })
public final class Backtest implements Callable<Integer> {
    /** Popularity list passed to {@code recommend} (tie-breaking and fill). */
    static final int POPULAR_LIST_SIZE = 200;

    static final int POPULARITY_REFRESH = 1000;

    @Option(
            names = "--train",
            required = true,
            paramLabel = "FILE",
            description = "Training sessions.")
    Path train;

    @Option(
            names = "--test",
            paramLabel = "FILE",
            description = "Test sessions (not needed with --validation-split).")
    Path test;

    @Option(
            names = "--format",
            required = true,
            paramLabel = "sessions|tsv",
            description =
                    "sessions: one session per line, item ids separated by spaces; tsv: header SessionId ItemId Time (unix seconds).")
    String format;

    @Option(
            names = "--k",
            defaultValue = "20",
            description = "List length (default ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--mode",
            defaultValue = "frozen",
            paramLabel = "frozen|online|stream",
            description =
                    "frozen: learn from train only; online: also learn from each test event after predicting it; "
                            + "stream: mirror the Flink job's data flow exactly (the lists the job writes; see above).")
    String mode;

    @Option(
            names = "--json",
            paramLabel = "OUT",
            description = "Also write the result as JSON to this file.")
    Path json;

    @Option(
            names = "--validation-split",
            paramLabel = "FRACTION",
            description =
                    "Evaluate on the last FRACTION of the training sessions (by start time) instead of --test, training on the rest.")
    Double validationSplit;

    @Option(
            names = "--session-interval-seconds",
            defaultValue = "240",
            description =
                    "Synthetic clock for --format sessions: seconds between session starts (default ${DEFAULT-VALUE}).")
    long sessionIntervalSeconds;

    @Option(
            names = "--param",
            paramLabel = "NAME=VALUE",
            description =
                    "Override a recommender knob, e.g. --param repeatWeight=1.5 (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(
            names = "--params-file",
            paramLabel = "FILE",
            description =
                    "Start from the knobs of a params file written by --tune / ./shopkeeper tune (--param overrides single knobs).")
    Path paramsFile;

    @Option(
            names = "--tune",
            description =
                    "Before the run, choose the knobs on the last --tune-split of the training sessions (the test file is"
                            + " not read for it), print what was chosen and why, and run with them.")
    boolean tune;

    @Option(
            names = "--tune-split",
            defaultValue = "0.1",
            paramLabel = "FRACTION",
            description =
                    "Share of the training sessions (the latest) held out to tune on (default ${DEFAULT-VALUE}).")
    double tuneSplit;

    @Option(
            names = "--tune-budget-seconds",
            defaultValue = "300",
            description =
                    "Stop the search (training excluded) with the best knobs so far once its evaluations have used this much CPU time per evaluating thread (2): on a busy machine it takes longer but chooses the same (default ${DEFAULT-VALUE}).")
    long tuneBudgetSeconds;

    @Option(
            names = "--tune-cases",
            defaultValue = "10000",
            description =
                    "Validation cases each candidate is scored on, every m-th validation session (default ${DEFAULT-VALUE}).")
    int tuneCases;

    @Option(
            names = "--tune-out",
            paramLabel = "FILE",
            description =
                    "Write the chosen knobs to this params file (what the job reads with --recommender.params-file).")
    Path tuneOut;

    /** How the test sessions are replayed; see the class comment. */
    public enum Mode {
        FROZEN,
        ONLINE,
        STREAM;

        static Mode parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "frozen" -> FROZEN;
                case "online" -> ONLINE;
                case "stream" -> STREAM;
                default ->
                        throw new IllegalArgumentException(
                                "bad --mode '" + s + "': expected frozen, online or stream");
            };
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * In stream mode, the list the job writes under {@code sk:recs:}{@code visitor} after the event
     * at {@code position} of session {@code sessionId} ({@code test}: of the test file), best
     * first.
     */
    public record StreamList(
            String visitor,
            String sessionId,
            int position,
            long time,
            String item,
            boolean test,
            List<ScoredItem> items) {}

    /** What to run; see the command-line options. */
    public record Options(
            Path train,
            Path test,
            Format format,
            int k,
            Mode mode,
            Double validationSplit,
            long sessionIntervalSeconds,
            RecommenderConfig config) {
        public Options(
                Path train,
                Path test,
                Format format,
                int k,
                boolean online,
                Double validationSplit,
                long sessionIntervalSeconds,
                RecommenderConfig config) {
            this(
                    train,
                    test,
                    format,
                    k,
                    online ? Mode.ONLINE : Mode.FROZEN,
                    validationSplit,
                    sessionIntervalSeconds,
                    config);
        }

        public Options {
            if (mode == null) mode = Mode.FROZEN;
            if (k < 1) throw new IllegalArgumentException("--k must be at least 1, got " + k);
            if (validationSplit != null && !(validationSplit > 0 && validationSplit < 1)) {
                throw new IllegalArgumentException(
                        "--validation-split must be between 0 and 1 (exclusive), got "
                                + validationSplit);
            }
            if (validationSplit == null && test == null) {
                throw new IllegalArgumentException(
                        "--test FILE is required unless --validation-split is given");
            }
            if (sessionIntervalSeconds < 1)
                throw new IllegalArgumentException("--session-interval-seconds must be >= 1");
            if (config == null) config = RecommenderConfig.defaults();
        }

        public static Options of(Path train, Path test, Format format, int k, boolean online) {
            return new Options(
                    train, test, format, k, online, null, 240, RecommenderConfig.defaults());
        }

        public static Options of(Path train, Path test, Format format, int k, Mode mode) {
            return new Options(
                    train, test, format, k, mode, null, 240, RecommenderConfig.defaults());
        }

        public boolean online() {
            return mode == Mode.ONLINE;
        }
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code (0 ok, 1 failed run, 2 bad arguments). */
    public static int execute(String... args) {
        return Cli.execute("backtest", new Backtest(), args);
    }

    @Override
    public Integer call() throws Exception {
        Format fmt = Format.parse(format);
        Mode replay = Mode.parse(mode);
        RecommenderConfig config = startConfig(paramsFile, params);
        if (!Files.isRegularFile(train))
            throw new IllegalArgumentException("training file not found: " + train);
        if (validationSplit == null && test != null && !Files.isRegularFile(test)) {
            throw new IllegalArgumentException("test file not found: " + test);
        }
        if (validationSplit != null && test != null) {
            System.err.println("backtest: --validation-split given, ignoring --test " + test);
        }
        Map<String, Object> tuning = null;
        Pretrained pretrained = null;
        if (tune) {
            // only the sessions the run trains on: with --validation-split its held-out part is
            // not seen by the tuner either
            List<Session> sessions = SessionData.read(train, fmt, 0, sessionIntervalSeconds);
            if (validationSplit != null) {
                sessions =
                        sessions.subList(
                                0, (int) Math.round(sessions.size() * (1 - validationSplit)));
            }
            Tuner.Result tuned =
                    tuneAndReport(
                            sessions, config, k, tuneSplit, tuneCases, tuneBudgetSeconds, tuneOut);
            config = tuned.config();
            tuning = tuned.paramsFile();
            pretrained = new Pretrained(tuned.trained(), tuned.trainSessions(), tuned.learning());
        }
        BacktestResult result =
                run(
                        new Options(
                                train,
                                validationSplit == null ? test : null,
                                fmt,
                                k,
                                replay,
                                validationSplit,
                                sessionIntervalSeconds,
                                config),
                        null,
                        pretrained);
        if (tuning != null) result = result.withTuning(tuning);
        System.out.print(result.summary());
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(json, result.toJson(), StandardCharsets.UTF_8);
            System.out.println("  wrote " + json);
        }
        return 0;
    }

    /** The defaults, then the knobs of {@code paramsFile} (may be null), then {@code params}. */
    static RecommenderConfig startConfig(Path paramsFile, List<String> params) {
        RecommenderConfig config = RecommenderConfig.defaults();
        if (paramsFile != null) RecommenderParams.apply(config, paramsFile);
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0)
                throw new IllegalArgumentException("bad --param '" + p + "': expected NAME=VALUE");
            config.set(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return config;
    }

    /**
     * Tunes on {@code sessions} (training sessions only), prints the report and writes the params
     * file to {@code out} when given.
     */
    static Tuner.Result tuneAndReport(
            List<Session> sessions,
            RecommenderConfig start,
            int k,
            double split,
            int cases,
            long budgetSeconds,
            Path out)
            throws IOException, InterruptedException {
        if (!(split > 0 && split < 1))
            throw new IllegalArgumentException(
                    "--tune-split must be between 0 and 1, got " + split);
        if (cases < 1) throw new IllegalArgumentException("--tune-cases must be at least 1");
        Tuner.Result tuned =
                new Tuner(k, cases, budgetSeconds * 1000, System.out).tune(sessions, split, start);
        System.out.print(tuned.summary());
        if (out != null) {
            RecommenderParams.write(out, tuned.chosen(), tuned.validationReport());
            System.out.println(
                    "  wrote " + out + " (run the job with --recommender.params-file " + out + ")");
        }
        return tuned;
    }

    /** Loads the files and runs the backtest. */
    public static BacktestResult run(Options o) throws IOException {
        return run(o, null);
    }

    /**
     * Loads the files and runs the backtest; in stream mode {@code observer} (may be null) gets the
     * list the job would write after every event, training events included.
     */
    public static BacktestResult run(Options o, Consumer<StreamList> observer) throws IOException {
        return run(o, observer, null);
    }

    /**
     * Models already trained on the first {@code sessions} training sessions of a run with {@code
     * learning}: when that fits the run's learning knobs ({@link #canContinue}), the run continues
     * training them on the rest instead of starting over (the models are the same).
     */
    record Pretrained(State state, int sessions, RecommenderConfig learning) {}

    /**
     * Whether models trained with {@code trainedWith} can be continued as {@code run}'s: the same
     * learning knobs, except a session sample at least as large (trimmed afterwards, {@link
     * SessionRecommender#trimSample}).
     */
    static boolean canContinue(RecommenderConfig trainedWith, RecommenderConfig run) {
        Map<String, Object> a = trainedWith.learningKnobs();
        Map<String, Object> b = run.learningKnobs();
        a.remove("sessionSampleSize");
        b.remove("sessionSampleSize");
        return a.equals(b) && run.getSessionSampleSize() <= trainedWith.getSessionSampleSize();
    }

    /**
     * As {@link #run(Options, Consumer)}; in frozen and online modes, {@code pretrained} (may be
     * null) is used when it was trained with the run's learning knobs.
     */
    static BacktestResult run(Options o, Consumer<StreamList> observer, Pretrained pretrained)
            throws IOException {
        List<Session> trainSessions =
                SessionData.read(o.train(), o.format(), 0, o.sessionIntervalSeconds());
        List<Session> testSessions;
        if (o.validationSplit() != null) {
            int cut = (int) Math.round(trainSessions.size() * (1 - o.validationSplit()));
            testSessions = new ArrayList<>(trainSessions.subList(cut, trainSessions.size()));
            trainSessions = new ArrayList<>(trainSessions.subList(0, cut));
        } else {
            testSessions =
                    SessionData.read(
                            o.test(), o.format(), trainSessions.size(), o.sessionIntervalSeconds());
        }
        SessionRecommender recommender = new SessionRecommender(o.config());
        String format = o.format().name().toLowerCase(Locale.ROOT);
        String testFile = o.test() == null ? null : o.test().toString();
        if (o.mode() == Mode.STREAM) {
            Evaluation ev =
                    StreamReplay.replay(trainSessions, testSessions, recommender, o.k(), observer);
            return ev.toResult(
                    o.train().toString(),
                    testFile,
                    format,
                    o.mode().label(),
                    o.validationSplit(),
                    o.k(),
                    trainSessions.size(),
                    testSessions.size(),
                    0,
                    o.config().asMap(),
                    null);
        }
        long t0 = System.nanoTime();
        State state;
        if (pretrained != null
                && pretrained.sessions() <= trainSessions.size()
                && canContinue(pretrained.learning(), o.config())) {
            state = pretrained.state();
            trainMore(
                    state,
                    trainSessions.subList(pretrained.sessions(), trainSessions.size()),
                    recommender);
            for (ItemModel model : state.models.values()) recommender.trimSample(model);
            System.out.printf(
                    Locale.ROOT,
                    "backtest: continued the tuner's models (%d sessions) on the last %d training"
                            + " sessions in %.1f s%n",
                    pretrained.sessions(),
                    trainSessions.size() - pretrained.sessions(),
                    (System.nanoTime() - t0) / 1e9);
        } else {
            state = train(trainSessions, recommender);
        }
        long trainMillis = (System.nanoTime() - t0) / 1_000_000;
        Evaluation ev =
                o.online()
                        ? evaluate(state, testSessions, recommender, o.k(), true)
                        : evaluateFrozen(state, testSessions, recommender, o.k(), TRAIN_THREADS);
        return ev.toResult(
                o.train().toString(),
                testFile,
                format,
                o.mode().label(),
                o.validationSplit(),
                o.k(),
                trainSessions.size(),
                testSessions.size(),
                trainMillis,
                o.config().asMap(),
                modelStateSizes(state.models(), recommender));
    }

    /**
     * How big the per-item state is after the run: JSON bytes of each item's model (what the job
     * keeps per item in RocksDB, in a comparable encoding) and of its snapshot (what one request
     * carries), mean / p90 / max over all items. Bounded by the caps in {@link RecommenderConfig}.
     */
    static Map<String, Object> modelStateSizes(
            Map<String, ItemModel> models, SessionRecommender recommender) {
        long[] modelBytes = new long[models.size()];
        long[] snapshotBytes = new long[models.size()];
        int i = 0;
        for (Map.Entry<String, ItemModel> e : models.entrySet()) {
            modelBytes[i] = EventCodec.encodeToString(e.getValue()).length();
            snapshotBytes[i] =
                    EventCodec.encodeToString(recommender.neighbours(e.getKey(), e.getValue()))
                            .length();
            i++;
        }
        Map<String, Object> sizes = new LinkedHashMap<>();
        sizes.put("items", models.size());
        sizes.put("model_json_bytes", spread(modelBytes));
        sizes.put("snapshot_json_bytes", spread(snapshotBytes));
        return sizes;
    }

    private static Map<String, Object> spread(long[] values) {
        Arrays.sort(values);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "mean",
                values.length == 0 ? 0 : Math.round(Arrays.stream(values).average().orElse(0)));
        m.put(
                "p90",
                values.length == 0
                        ? 0
                        : values[
                                (int)
                                        Math.min(
                                                values.length - 1,
                                                Math.floor(values.length * 0.9))]);
        m.put("max", values.length == 0 ? 0 : values[values.length - 1]);
        return m;
    }

    // ------------------------------------------------------------------------------------------
    // Harness

    /** All item models in one map (the job splits them by key), plus global popularity. */
    public static final class State {
        final Map<String, ItemModel> models = new HashMap<>();
        final Map<String, Integer> counts = new HashMap<>();
        final Set<String> trainItems = new HashSet<>();

        /** Items by count, best first, ties by id. */
        List<String> popularOrder = List.of();

        Map<String, Integer> popularRank = Map.of();
        List<ScoredItem> popular = List.of();
        int learnedSinceRefresh;

        public Map<String, ItemModel> models() {
            return models;
        }

        void refreshPopularity() {
            List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
            entries.sort(
                    (a, b) -> {
                        int c = Integer.compare(b.getValue(), a.getValue());
                        return c != 0 ? c : a.getKey().compareTo(b.getKey());
                    });
            List<String> order = new ArrayList<>(entries.size());
            Map<String, Integer> rank = new HashMap<>(entries.size() * 2);
            List<ScoredItem> top = new ArrayList<>(POPULAR_LIST_SIZE);
            for (Map.Entry<String, Integer> e : entries) {
                rank.put(e.getKey(), order.size());
                order.add(e.getKey());
                if (top.size() < POPULAR_LIST_SIZE) {
                    top.add(
                            new ScoredItem(
                                    e.getKey(), e.getValue(), SessionRecommender.REASON_POPULAR));
                }
            }
            popularOrder = order;
            popularRank = rank;
            popular = List.copyOf(top);
            learnedSinceRefresh = 0;
        }
    }

    /** Trains fresh models on {@code sessions}, event by event, through updatesFor/apply. */
    public static State train(List<Session> sessions, SessionRecommender recommender) {
        State state = new State();
        trainMore(state, sessions, recommender);
        return state;
    }

    /** Item shards trained at once by {@link #trainMore}, one thread each. */
    static final int TRAIN_THREADS = 2;

    /**
     * Continues training {@code state} on {@code sessions} (later than those it learned from), as
     * the job does: the items are split into {@link #TRAIN_THREADS} shards by hash, and each shard
     * is trained by its own thread replaying the whole stream but applying only the steps of its
     * items. Every item's model gets exactly the steps, times and order one thread would give it
     * (models do not read each other; the job keys them by item the same way), so the trained state
     * does not depend on the number of shards; only the wall time does.
     */
    static void trainMore(State state, List<Session> sessions, SessionRecommender recommender) {
        int shards = TRAIN_THREADS;
        List<Map<String, ItemModel>> parts = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) parts.add(new HashMap<>());
        for (Map.Entry<String, ItemModel> e : state.models.entrySet())
            parts.get(shard(e.getKey(), shards)).put(e.getKey(), e.getValue());
        List<Thread> threads = new ArrayList<>(shards);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < shards; i++) {
            int shard = i;
            Map<String, ItemModel> models = parts.get(i);
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    trainShard(models, sessions, recommender, shard, shards);
                                } catch (Throwable e) {
                                    failures.add(e);
                                }
                            },
                            "train-shard-" + i);
            t.start();
            threads.add(t);
        }
        for (Session s : sessions) {
            for (int p = 0; p < s.size(); p++) {
                state.counts.merge(s.items().get(p), 1, Integer::sum);
                state.trainItems.add(s.items().get(p));
            }
        }
        joinAll(threads);
        if (!failures.isEmpty())
            throw new IllegalStateException("training failed", failures.get(0));
        state.models.clear();
        for (Map<String, ItemModel> part : parts) state.models.putAll(part);
        state.refreshPopularity();
    }

    private static int shard(String item, int shards) {
        return Math.floorMod(item.hashCode(), shards);
    }

    /** Applies the steps of the items of one shard, event by event, in stream order. */
    private static void trainShard(
            Map<String, ItemModel> models,
            List<Session> sessions,
            SessionRecommender recommender,
            int shard,
            int shards) {
        for (Session s : sessions) {
            for (int p = 0; p < s.size(); p++) {
                long time = s.times()[p];
                for (ItemUpdate u : recommender.updatesFor(s.id(), s.items().subList(0, p + 1))) {
                    if (shard(u.getItemId(), shards) != shard) continue;
                    recommender.apply(
                            models.computeIfAbsent(u.getItemId(), id -> new ItemModel()), u, time);
                }
            }
        }
    }

    /**
     * Learns the last event of {@code prefix}; records the items whose model changed in {@code
     * touched}.
     */
    static void learn(
            State state,
            SessionRecommender recommender,
            String sessionId,
            List<String> prefix,
            long time,
            Set<String> touched) {
        for (ItemUpdate u : recommender.updatesFor(sessionId, prefix)) {
            ItemModel model = state.models.computeIfAbsent(u.getItemId(), id -> new ItemModel());
            recommender.apply(model, u, time);
            if (touched != null) touched.add(u.getItemId());
        }
        state.counts.merge(prefix.get(prefix.size() - 1), 1, Integer::sum);
        state.learnedSinceRefresh++;
    }

    /** Accumulated metrics. */
    static final class Evaluation {
        long cases;
        double hits, rr, popHits, popRr, spopHits, spopRr;
        long[] latencies = new long[1024];
        final Set<String> recommended = new HashSet<>();
        int trainItems;
        long evalMillis;

        /** Coverage of the training items and the evaluation time, once every case is scored. */
        void finish(Set<String> trainItems, long startNanos) {
            Set<String> covered = new HashSet<>(recommended);
            covered.retainAll(trainItems);
            coverage = trainItems.isEmpty() ? 0 : (double) covered.size() / trainItems.size();
            evalMillis = (System.nanoTime() - startNanos) / 1_000_000;
        }

        void latency(long nanos) {
            if (cases >= latencies.length)
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            latencies[(int) cases] = nanos;
        }

        BacktestResult toResult(
                String trainFile,
                String testFile,
                String format,
                String mode,
                Double split,
                int k,
                int trainSessions,
                int testSessions,
                long trainMillis,
                Map<String, Object> config,
                Map<String, Object> modelState) {
            long[] lat = Arrays.copyOf(latencies, (int) cases);
            Arrays.sort(lat);
            double n = Math.max(1, cases);
            return new BacktestResult(
                    trainFile,
                    testFile,
                    format,
                    mode,
                    split,
                    k,
                    cases,
                    hits / n,
                    rr / n,
                    popHits / n,
                    popRr / n,
                    spopHits / n,
                    spopRr / n,
                    coverage(),
                    popularityListed == 0 ? 0 : popularitySum / popularityListed,
                    percentile(lat, 0.50) / 1000.0,
                    percentile(lat, 0.99) / 1000.0,
                    trainSessions,
                    testSessions,
                    trainItems,
                    trainMillis,
                    evalMillis,
                    config,
                    modelState,
                    null);
        }

        double coverage;

        /** Sum of the listed items' training popularity relative to the most popular item. */
        double popularitySum;

        long popularityListed;

        /** Adds the popularity of the items of one served list (top k) to the bias figures. */
        void popularity(State state, List<String> listed) {
            double max = state.popular.isEmpty() ? 0 : state.popular.get(0).getScore();
            if (max <= 0) return;
            for (String item : listed) {
                popularitySum += state.counts.getOrDefault(item, 0) / max;
                popularityListed++;
            }
        }

        double coverage() {
            return coverage;
        }

        /** Adds the figures of another part of the same run (before {@link #finish}). */
        void add(Evaluation o) {
            long total = cases + o.cases;
            if (total > latencies.length)
                latencies = Arrays.copyOf(latencies, (int) Math.max(total, 2L * latencies.length));
            System.arraycopy(o.latencies, 0, latencies, (int) cases, (int) o.cases);
            cases = total;
            hits += o.hits;
            rr += o.rr;
            popHits += o.popHits;
            popRr += o.popRr;
            spopHits += o.spopHits;
            spopRr += o.spopRr;
            recommended.addAll(o.recommended);
            popularitySum += o.popularitySum;
            popularityListed += o.popularityListed;
        }
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * Replays {@code testSessions}. In frozen mode {@code state} is not modified, so one trained
     * state can be evaluated with several scoring configurations.
     */
    static Evaluation evaluate(
            State state,
            List<Session> testSessions,
            SessionRecommender recommender,
            int k,
            boolean online) {
        long start = System.nanoTime();
        Evaluation ev = new Evaluation();
        ev.trainItems = state.trainItems.size();
        Map<String, ItemNeighbours> cache = new HashMap<>();
        Set<String> touched = new HashSet<>();
        Map<String, Integer> sessionCounts = new HashMap<>();
        for (Session s : testSessions) {
            List<String> items = s.items();
            sessionCounts.clear();
            if (online)
                learnOnline(
                        state,
                        recommender,
                        s.id(),
                        items.subList(0, 1),
                        s.times()[0],
                        cache,
                        touched);
            for (int pos = 1; pos < items.size(); pos++) {
                List<String> prefix = items.subList(0, pos);
                String target = items.get(pos);
                sessionCounts.merge(prefix.get(pos - 1), 1, Integer::sum);

                long t0 = System.nanoTime();
                Map<String, ItemNeighbours> snapshots = new HashMap<>();
                for (String item : sessionCounts.keySet()) {
                    ItemNeighbours nb = cache.get(item);
                    if (nb == null) {
                        ItemModel model = state.models.get(item);
                        if (model == null) continue;
                        nb = recommender.neighbours(item, model);
                        cache.put(item, nb);
                    }
                    snapshots.put(item, nb);
                }
                List<ScoredItem> recs =
                        recommender.recommend(s.id(), prefix, snapshots, state.popular, k);
                long nanos = System.nanoTime() - t0;
                ev.latency(nanos);

                for (int r = 0; r < recs.size() && r < k; r++) {
                    if (recs.get(r).getItemId().equals(target)) {
                        ev.hits++;
                        ev.rr += 1.0 / (r + 1);
                        break;
                    }
                }
                List<String> listed = new ArrayList<>(k);
                for (int r = 0; r < recs.size() && r < k; r++) listed.add(recs.get(r).getItemId());
                ev.recommended.addAll(listed);
                ev.popularity(state, listed);

                Integer popRank = state.popularRank.get(target);
                if (popRank != null && popRank < k) {
                    ev.popHits++;
                    ev.popRr += 1.0 / (popRank + 1);
                }
                int spop = spopRank(state, sessionCounts, target, k);
                if (spop > 0) {
                    ev.spopHits++;
                    ev.spopRr += 1.0 / spop;
                }
                ev.cases++;
                if (online)
                    learnOnline(
                            state,
                            recommender,
                            s.id(),
                            items.subList(0, pos + 1),
                            s.times()[pos],
                            cache,
                            touched);
            }
        }
        ev.finish(state.trainItems, start);
        return ev;
    }

    /**
     * {@link #evaluate} in frozen mode with the test sessions split into {@code parts} runs of
     * consecutive sessions scored at once, one thread each: the state is only read, every case is
     * scored as in one run, and the figures are summed.
     */
    static Evaluation evaluateFrozen(
            State state,
            List<Session> testSessions,
            SessionRecommender recommender,
            int k,
            int parts) {
        long start = System.nanoTime();
        int size = testSessions.size();
        parts = Math.max(1, Math.min(parts, size));
        List<Evaluation> results = new ArrayList<>(parts);
        List<Thread> threads = new ArrayList<>(parts);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < parts; i++) {
            List<Session> part = testSessions.subList(i * size / parts, (i + 1) * size / parts);
            results.add(null);
            int index = i;
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    Evaluation e = evaluate(state, part, recommender, k, false);
                                    synchronized (results) {
                                        results.set(index, e);
                                    }
                                } catch (Throwable e) {
                                    failures.add(e);
                                }
                            },
                            "evaluate-" + i);
            t.start();
            threads.add(t);
        }
        joinAll(threads);
        if (!failures.isEmpty())
            throw new IllegalStateException("evaluation failed", failures.get(0));
        Evaluation all = new Evaluation();
        all.trainItems = state.trainItems.size();
        synchronized (results) {
            for (Evaluation e : results) all.add(e);
        }
        all.finish(state.trainItems, start);
        return all;
    }

    /** Waits for every thread to end (keeping an interrupt for the caller). */
    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void learnOnline(
            State state,
            SessionRecommender recommender,
            String sessionId,
            List<String> prefix,
            long time,
            Map<String, ItemNeighbours> cache,
            Set<String> touched) {
        touched.clear();
        learn(state, recommender, sessionId, prefix, time, touched);
        for (String item : touched) cache.remove(item);
        if (state.learnedSinceRefresh >= POPULARITY_REFRESH) state.refreshPopularity();
    }

    /**
     * 1-based rank of {@code target} under S-POP (in-session count, ties by global popularity, then
     * the global popularity list), or 0 when it is not in the top {@code k}.
     */
    static int spopRank(State state, Map<String, Integer> sessionCounts, String target, int k) {
        Integer targetCount = sessionCounts.get(target);
        if (targetCount != null) {
            int targetPop = state.popularRank.getOrDefault(target, Integer.MAX_VALUE);
            int rank = 1;
            for (Map.Entry<String, Integer> e : sessionCounts.entrySet()) {
                if (e.getKey().equals(target)) continue;
                int c = e.getValue();
                if (c > targetCount) {
                    rank++;
                } else if (c == targetCount) {
                    int pop = state.popularRank.getOrDefault(e.getKey(), Integer.MAX_VALUE);
                    if (pop < targetPop || (pop == targetPop && e.getKey().compareTo(target) < 0))
                        rank++;
                }
            }
            return rank <= k ? rank : 0;
        }
        int rank = sessionCounts.size();
        for (String item : state.popularOrder) {
            if (rank >= k) return 0;
            if (sessionCounts.containsKey(item)) continue;
            rank++;
            if (item.equals(target)) return rank;
        }
        return 0;
    }

    /** Items in order of first appearance (handy for tests). */
    static List<String> distinct(List<String> items) {
        return new ArrayList<>(new LinkedHashSet<>(items));
    }

    static void print(PrintWriter out, BacktestResult r) {
        out.print(r.summary());
        out.flush();
    }
}
