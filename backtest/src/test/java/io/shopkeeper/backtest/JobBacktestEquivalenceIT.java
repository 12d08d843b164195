package io.shopkeeper.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.shopkeeper.backtest.SessionData.Format;
import io.shopkeeper.backtest.SessionData.Session;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.JobSinks;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.jobs.ingest.DecodedRecord;
import io.shopkeeper.jobs.recommend.RecommenderParams;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.testing.CollectingSink;
import io.shopkeeper.jobs.testing.HoldEndOfEventTime;
import io.shopkeeper.jobs.testing.ShopEvents;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's backtest promise: replaying the same session files through the real Flink job (the
 * topology of {@link PersonalizationJob#define}, fed by a bounded {@link FileSource} of JSON
 * events, with collecting sinks) gives the same recommendations as the backtest ({@code --mode
 * stream}) for the same inputs, after every single event.
 *
 * <p>Each session {@code n} of the train then test file (numbered as the backtest numbers them)
 * becomes {@code product_view} events of the anonymous visitor {@code anon-s<n>} in session {@code
 * s<n>}, at the times {@link SessionData} assigns, in event-time order. Every list the job writes
 * under {@code sk:recs:anon-s<n>} is collected before any deduplication (the real Redis sink keeps
 * the last write per key); the {@code i}-th write for a visitor answers their {@code i}-th event
 * (one keyed path, so writes per key arrive in event order) and must carry that event's time and
 * the backtest's item ids in the backtest's order. Scores are not compared (the job rounds them).
 */
class JobBacktestEquivalenceIT {
    /*
     * Parallelism 1, one slot: the backtest replays the events one at a time, each learning step applied
     * before the next event's request is answered. In the job the item models, profiles and
     * recommendations are keyed operators; with parallelism > 1 the steps of one event (routed to
     * several item-model subtasks) and the requests of the following events race, so a snapshot could
     * include or miss another visitor's latest steps depending on thread timing. With one subtask per
     * operator every channel is FIFO and the job's order of effects is exactly the input order.
     */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final String RECS = "equivalence-recs";
    private static final String DEAD_LETTERS = "equivalence-dead-letters";
    private static final String SEGMENT_CHANGES = "equivalence-segment-changes";

    /** The CLI default, so the synthetic clock of the {@code sessions} format is the command's. */
    private static final long SESSION_INTERVAL_SECONDS = 240;

    @TempDir Path dir;

    /**
     * 150 sessions (100 train, 50 test) over 60 items: shared paths, detours, repeats, some past
     * the 20-item cap. With what {@code tune} chooses for playlist-like stores (nowplaying), as the
     * job gets it from a params file: the second-order rules on and the session-kNN votes for every
     * item, however rarely viewed ({@code knnViewsTarget=0}; by default they are scaled down for
     * items with few views, here nearly all); and snapshots that share a part of the session sample
     * and more neighbours than by default ({@code sessionSampleShared} below {@code
     * sessionSampleSize}, {@code maxNeighboursShared}), knobs the tuner searches.
     */
    @Test
    void syntheticSessionsFileGivesTheSameListsAsTheBacktest() throws Exception {
        List<List<String>> sessions = syntheticSessions(new Random(4), 150, 60);
        Path train = writeSessions("train.txt", sessions.subList(0, 100));
        Path test = writeSessions("test.txt", sessions.subList(100, 150));
        Path params = dir.resolve("params.json");
        RecommenderParams.write(
                params,
                Map.of(
                        "contextsKept",
                        "20",
                        "contextsShared",
                        "10",
                        "contextWeight",
                        "4",
                        "knnViewsTarget",
                        "0",
                        "sessionSampleSize",
                        "12",
                        "sessionSampleShared",
                        "6",
                        "maxNeighboursShared",
                        "80"),
                null);
        int compared = assertEquivalent(train, test, Format.SESSIONS, params);
        assertThat(compared).as("comparisons").isGreaterThanOrEqualTo(800);
    }

    /**
     * The same kind of sessions as TSV with real-looking clocks: sessions overlap in time (events
     * of different visitors interleave, some at the very same second), some pause more than the
     * 30-minute session gap (the job starts a new session: the profile's session items restart) and
     * some pause exactly 30 minutes (still the same session).
     */
    @Test
    void overlappingTsvSessionsWithPausesGiveTheSameListsAsTheBacktest() throws Exception {
        Random random = new Random(15);
        List<List<String>> sessions = syntheticSessions(random, 120, 60);
        Path train = writeTsv("train.tsv", sessions.subList(0, 80), 0, random);
        Path test = writeTsv("test.tsv", sessions.subList(80, 120), 80, random);
        int compared = assertEquivalent(train, test, Format.TSV);
        assertThat(compared).as("comparisons").isGreaterThanOrEqualTo(600);
    }

    /**
     * The first sessions of the real rsc15 sample (train and test files), when the shared datasets
     * are present.
     */
    @Test
    void firstSessionsOfTheRsc15SampleGiveTheSameListsAsTheBacktest() throws Exception {
        Path rsc = findRsc15();
        Assumptions.assumeTrue(
                rsc != null,
                "rsc15-sample absent (looked for shared/datasets/rsc15-sample above "
                        + Path.of("").toAbsolutePath()
                        + "): skipping the real-data part of the job/backtest equivalence");
        Path train =
                firstSessions(
                        rsc.resolve("yoochoose-clicks-100k_train_full.txt"), 300, "train.tsv");
        Path test = firstSessions(rsc.resolve("yoochoose-clicks-100k_test.txt"), 100, "test.tsv");
        int compared = assertEquivalent(train, test, Format.TSV);
        assertThat(compared).as("comparisons").isGreaterThanOrEqualTo(1000);
    }

    // ----------------------------------------------------------------------------------------------

    /** Runs both sides and compares every list; returns the number of lists compared. */
    private int assertEquivalent(Path train, Path test, Format format) throws Exception {
        return assertEquivalent(train, test, format, null);
    }

    /** As above, both sides with the recommender knobs of {@code paramsFile} (may be null). */
    private int assertEquivalent(Path train, Path test, Format format, Path paramsFile)
            throws Exception {
        // Every list is compared, so the job ranks every event: replaying history is a backlog,
        // where it would otherwise rank once per visitor and window (the last list is the same).
        JobConfig.Builder builder =
                JobConfig.builder()
                        .parallelism(1)
                        .stateDir(dir.resolve("checkpoints"))
                        .recommendationsBacklogCoalesce(Duration.ZERO);
        if (paramsFile != null) builder.recommenderParamsFile(paramsFile.toString());
        JobConfig config = builder.build();
        int k = config.recommendationsSize();

        List<Backtest.StreamList> expected = new ArrayList<>();
        Backtest.run(
                new Backtest.Options(
                        train,
                        test,
                        format,
                        k,
                        Backtest.Mode.STREAM,
                        null,
                        SESSION_INTERVAL_SECONDS,
                        config.recommenderConfig()),
                expected::add);

        List<Session> sessions =
                new ArrayList<>(SessionData.read(train, format, 0, SESSION_INTERVAL_SECONDS));
        sessions.addAll(SessionData.read(test, format, sessions.size(), SESSION_INTERVAL_SECONDS));
        Path events = writeEvents(sessions, dir.resolve("events.jsonl"));

        Map<String, List<JobList>> written =
                runJob(events, config, sessions.stream().mapToInt(Session::size).sum());

        int compared = 0, withNeighbours = 0;
        Map<String, Integer> next = new HashMap<>();
        for (Backtest.StreamList want : expected) {
            int n = Integer.parseInt(want.sessionId().substring(1));
            Session session = sessions.get(n);
            String where =
                    "session "
                            + n
                            + " ("
                            + session.id()
                            + ", visitor "
                            + want.visitor()
                            + ") position "
                            + want.position()
                            + " (item "
                            + want.item()
                            + " at "
                            + want.time()
                            + "; session so far "
                            + session.items().subList(0, want.position() + 1)
                            + ")";
            List<JobList> lists = written.getOrDefault(want.visitor(), List.of());
            int i = next.merge(want.visitor(), 1, Integer::sum) - 1;
            if (i >= lists.size()) {
                fail(
                        "the job wrote no list for "
                                + where
                                + ": it wrote "
                                + lists
                                + " for this visitor; "
                                + "backtest: "
                                + ids(want.items()));
            }
            JobList got = lists.get(i);
            if (got.updatedAt() != want.time()) {
                fail(
                        "list "
                                + i
                                + " of "
                                + want.visitor()
                                + " is for event time "
                                + got.updatedAt()
                                + ", expected "
                                + where);
            }
            List<String> wantIds = ids(want.items());
            if (!got.items().equals(wantIds)) {
                fail(
                        "job and backtest differ at "
                                + where
                                + "\n  job:      "
                                + got.items()
                                + "\n  backtest: "
                                + wantIds);
            }
            compared++;
            if (wantIds.size()
                    > session.items().subList(0, want.position() + 1).stream().distinct().count())
                withNeighbours++;
        }
        for (Map.Entry<String, List<JobList>> e : written.entrySet()) {
            assertThat(e.getValue())
                    .as("lists written for " + e.getKey() + " (one per event)")
                    .hasSize(next.getOrDefault(e.getKey(), 0));
        }
        assertThat(CollectingSink.<String>collected(DEAD_LETTERS)).as("dead letters").isEmpty();
        assertThat(compared)
                .as("every event compared")
                .isEqualTo(sessions.stream().mapToInt(Session::size).sum());
        // not a comparison of trivial lists: most recommend learned neighbours beyond the session's
        // own items
        assertThat(withNeighbours)
                .as("lists with items beyond the session's own")
                .isGreaterThan(compared / 2);
        System.out.printf(
                "job/backtest equivalence: %d lists compared (%d with learned neighbours), %d sessions, %s%n",
                compared, withNeighbours, sessions.size(), format);
        return compared;
    }

    /** One list the job wrote under {@code sk:recs:{visitor}}: its event time and item ids. */
    record JobList(String visitor, long updatedAt, List<String> items) implements Serializable {}

    /**
     * The real topology on the MiniCluster, from a bounded file source, into collecting sinks;
     * blocks until done. The end of event time (the final watermark of the bounded input) is held
     * until the job has written a list for each of the {@code eventCount} events: it fires every
     * anonymous visitor's expiry timer, and the resulting forget instruction reaches the
     * recommendation operator on a direct path, so it can overtake replies still on their way
     * through the item models; the operator then drops them (same final Redis state: the lists are
     * deleted either way, but the writes this test compares would be missing). A job reading Kafka
     * never reaches the end of event time.
     */
    private static Map<String, List<JobList>> runJob(Path events, JobConfig config, int eventCount)
            throws Exception {
        CollectingSink.clear(RECS);
        CollectingSink.clear(DEAD_LETTERS);
        CollectingSink.clear(SEGMENT_CHANGES);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PersonalizationJob.clusterConfiguration(config));
        env.setParallelism(1);
        FileSource<String> file =
                FileSource.forRecordStreamFormat(
                                new TextLineInputFormat(),
                                new org.apache.flink.core.fs.Path(events.toUri()))
                        .build();
        DataStream<DecodedRecord> records =
                env.fromSource(file, WatermarkStrategy.noWatermarks(), "events-file")
                        .map(
                                line ->
                                        DecodedRecord.decode(
                                                line.getBytes(StandardCharsets.UTF_8),
                                                Topics.CLICKSTREAM,
                                                0,
                                                -1,
                                                0))
                        .returns(DecodedRecord.class)
                        .assignTimestampsAndWatermarks(PersonalizationJob.watermarks(config))
                        .transform(
                                "hold-end-of-event-time",
                                TypeInformation.of(DecodedRecord.class),
                                new HoldEndOfEventTime<DecodedRecord>(
                                        () -> listsWritten() >= eventCount,
                                        Duration.ofSeconds(30)));
        String prefix = RedisKeys.recommendations("");
        PersonalizationJob.define(
                records,
                PersonalizationJob.segments(config),
                new JobSinks(
                        new CollectingSink<RedisWrite>(
                                RECS,
                                w ->
                                        !w.getKey().startsWith(prefix)
                                                ? null
                                                : w.getList() != null
                                                        ? new JobList(
                                                                w.getKey()
                                                                        .substring(prefix.length()),
                                                                w.getList().getUpdatedAt(),
                                                                ids(w.getList().getItems()))
                                                        : null),
                        new CollectingSink<>(
                                DEAD_LETTERS,
                                letter -> letter.getReason() + ": " + letter.getPayload()),
                        new CollectingSink<>(SEGMENT_CHANGES, change -> null)),
                config);
        env.execute("job-backtest-equivalence");

        Map<String, List<JobList>> byVisitor = new LinkedHashMap<>();
        for (JobList list : CollectingSink.<JobList>collected(RECS)) {
            byVisitor.computeIfAbsent(list.visitor(), v -> new ArrayList<>()).add(list);
        }
        return byVisitor;
    }

    private static int listsWritten() {
        return CollectingSink.collected(RECS).size();
    }

    private static List<String> ids(List<ScoredItem> items) {
        List<String> ids = new ArrayList<>(items.size());
        for (ScoredItem item : items) ids.add(item.getItemId());
        return ids;
    }

    /**
     * Session {@code n} as {@code product_view}s of {@code anon-s<n>} in session {@code s<n>}, all
     * sessions' events in event-time order (ties: session number, then position), one JSON event
     * per line.
     */
    private static Path writeEvents(List<Session> sessions, Path file) throws IOException {
        record Event(long time, int session, int position, ShopEvent event) {}
        List<Event> events = new ArrayList<>();
        for (int n = 0; n < sessions.size(); n++) {
            Session s = sessions.get(n);
            for (int p = 0; p < s.size(); p++) {
                ShopEvent e =
                        ShopEvents.viewed(
                                "anon-s" + n,
                                "s" + n,
                                s.items().get(p),
                                "c1",
                                Instant.ofEpochMilli(s.times()[p]));
                e.setEventId("s" + n + "-" + p);
                events.add(new Event(s.times()[p], n, p, e));
            }
        }
        events.sort(
                Comparator.comparingLong(Event::time)
                        .thenComparingInt(Event::session)
                        .thenComparingInt(Event::position));
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Event e : events) {
                String json = EventCodec.encodeToString(e.event());
                assertThat(json).doesNotContain("\n");
                out.write(json);
                out.write('\n');
            }
        }
        return file;
    }

    /**
     * Sessions walking a few shared paths over {@code items} items, with detours, repeats of the
     * previous item, jumps to another path; every tenth session longer than the 20-item session
     * cap.
     */
    private static List<List<String>> syntheticSessions(Random random, int count, int items) {
        List<List<String>> paths = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            List<String> path = new ArrayList<>();
            int length = 4 + random.nextInt(6);
            while (path.size() < length) {
                String item = "i" + random.nextInt(items);
                if (!path.contains(item)) path.add(item);
            }
            paths.add(path);
        }
        List<List<String>> sessions = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            int length = s % 10 == 9 ? 21 + random.nextInt(6) : 2 + random.nextInt(9);
            List<String> path = paths.get(random.nextInt(paths.size()));
            int at = random.nextInt(path.size());
            List<String> session = new ArrayList<>(length);
            while (session.size() < length) {
                double roll = random.nextDouble();
                if (roll < 0.15 && !session.isEmpty()) {
                    session.add(session.get(session.size() - 1)); // repeat
                } else if (roll < 0.25) {
                    session.add("i" + random.nextInt(items)); // detour
                } else if (roll < 0.32) {
                    path = paths.get(random.nextInt(paths.size())); // switch path
                    at = random.nextInt(path.size());
                    session.add(path.get(at));
                } else {
                    session.add(path.get(at));
                    at = (at + 1) % path.size();
                }
            }
            sessions.add(session);
        }
        return sessions;
    }

    private Path writeSessions(String name, List<List<String>> sessions) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (List<String> s : sessions) sb.append(String.join(" ", s)).append('\n');
        return Files.writeString(dir.resolve(name), sb.toString(), StandardCharsets.UTF_8);
    }

    /**
     * TSV with overlapping sessions: session {@code i} starts at {@code (first + i) / 2 * 60} s
     * (pairs start in the same second), items 10-90 s apart; every 7th session pauses 31-45 min
     * once, every 11th exactly 30 min.
     */
    private Path writeTsv(String name, List<List<String>> sessions, int first, Random random)
            throws IOException {
        StringBuilder sb = new StringBuilder("SessionId\tItemId\tTime\n");
        long base = 1_700_000_000L;
        for (int i = 0; i < sessions.size(); i++) {
            int id = first + i;
            List<String> items = sessions.get(i);
            long t = base + (long) (id / 2) * 60;
            int pauseAt = items.size() > 2 ? 1 + random.nextInt(items.size() - 1) : -1;
            for (int p = 0; p < items.size(); p++) {
                if (p > 0) t += 10 + random.nextInt(81);
                if (p == pauseAt && id % 7 == 3) t += 31 * 60 + random.nextInt(15 * 60);
                if (p == pauseAt && id % 11 == 5)
                    t += 30 * 60 - (t - lastTime(sb)); // exactly the session gap after the
                // previous item
                sb.append(1000 + id)
                        .append('\t')
                        .append(items.get(p))
                        .append('\t')
                        .append(t)
                        .append('\n');
            }
        }
        return Files.writeString(dir.resolve(name), sb.toString(), StandardCharsets.UTF_8);
    }

    /** Time (s) of the last row written to {@code sb}. */
    private static long lastTime(StringBuilder sb) {
        int end = sb.length() - 1;
        int start = sb.lastIndexOf("\t", end) + 1;
        return Long.parseLong(sb.substring(start, end));
    }

    /**
     * The first {@code count} sessions (by start time, as {@link SessionData} orders them) of a TSV
     * file.
     */
    private Path firstSessions(Path tsv, int count, String name) throws IOException {
        List<Session> sessions = SessionData.read(tsv, Format.TSV, 0, SESSION_INTERVAL_SECONDS);
        Map<String, Boolean> keep = new HashMap<>();
        for (Session s : sessions.subList(0, Math.min(count, sessions.size())))
            keep.put(s.id(), true);
        StringBuilder sb = new StringBuilder();
        try (BufferedReader in = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            sb.append(header).append('\n');
            int sid = List.of(header.split("\t")).indexOf("SessionId");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank() && keep.containsKey(line.split("\t")[sid].trim()))
                    sb.append(line).append('\n');
            }
        }
        return Files.writeString(dir.resolve(name), sb.toString(), StandardCharsets.UTF_8);
    }

    private static Path findRsc15() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("datasets").resolve("rsc15-sample");
            if (Files.isRegularFile(candidate.resolve("yoochoose-clicks-100k_train_full.txt")))
                return candidate;
        }
        return null;
    }
}
