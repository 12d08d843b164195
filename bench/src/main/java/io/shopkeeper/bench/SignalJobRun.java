package io.shopkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.launcher.personas.PersonaGenerator;
import io.shopkeeper.launcher.personas.PlantedVisitor;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.shop.LocalShop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import redis.clients.jedis.JedisPooled;

/**
 * Runs the planted personas through the real {@link PersonalizationJob} (in-process KRaft Kafka,
 * embedded Redis, Flink MiniCluster) and collects what the job said about each visitor: the flag
 * history from the {@code segment-changes} topic and the profile JSON stored in Redis.
 *
 * <p><b>How the events are fed.</b> Publishing the whole history up front and letting the job catch
 * up would not measure the signals but the catch-up: the Kafka source reads each partition of each
 * topic at its own pace, so a visitor's order (topic {@code orders}) can reach the profile days of
 * event time before the page views that led to it (topic {@code clickstream}), and the watermark,
 * emitted every 200 ms while thousands of records go by, lags by days, so session-end timers fire
 * after the visitor's next session has started. Live traffic has neither problem. The default
 * driver therefore publishes the merged events in event-time order in <em>rounds</em>, as live
 * traffic would arrive (the backfill case, {@code --feed backlog}, publishes everything before the
 * job starts and relies on the job's {@code event-time-order} step instead):
 *
 * <ul>
 *   <li>A round ends before an event whose visitor already has an event in the round on another
 *       topic; the next round starts only when the job has applied every visitor event published so
 *       far (the Redis sink's {@code sk:stats:events-applied} counter). Events of one visitor on
 *       one topic share a partition and stay in order by themselves.
 *   <li>Every round ends with a watermark tick on every partition of every input topic: an
 *       undecodable record whose Kafka timestamp is just below the next round's first event. The
 *       job sends it to the dead-letter topic and, as for every rejected record, takes its broker
 *       timestamp as its event time, so the partition's watermark moves on without touching any
 *       visitor's state. Without ticks a partition that gets few records (orders, catalog) would
 *       hold event time back.
 *   <li>A round also ends before a visitor's first event of a new session while that visitor's
 *       session-end timer may not have fired yet; the next round starts once the profile in Redis
 *       of the visitor whose pending session end is the latest the tick releases shows that session
 *       ended (the profile operator's watermark is past it, and watermarks travel ahead of every
 *       later record on every channel).
 * </ul>
 *
 * After the last event a tick a day later on every partition closes every visitor's last session;
 * the run waits until every visitor's profile shows it, then stops the job with a savepoint, which
 * flushes the Kafka and Redis sinks, and reads {@code segment-changes} to its end. Every wait is on
 * a condition with a deadline.
 */
final class SignalJobRun {
    static final String PRICE_SEGMENT = "price_sensitive";
    static final String DRIFT_SEGMENT = "drifting_now";

    /**
     * {@code --watermark.backlog-idleness} of the backlog case, as the README advises a backfill.
     */
    static final Duration BACKFILL_IDLENESS = Duration.ofSeconds(60);

    private static final byte[] TICK =
            "signal-benchmark watermark tick (not an event)".getBytes(StandardCharsets.UTF_8);
    private static final String TICK_KEY = "bench-watermark-tick";

    /** The job's settings for this run. */
    record Settings(
            int parallelism,
            int partitions,
            Duration timeout,
            Duration checkpointInterval,
            long watermarkIntervalMillis,
            boolean backlog) {}

    /** What the job produced. */
    record Output(
            Map<String, List<SegmentChange>> changes,
            Map<String, Integer> profileBytes,
            Duration sessionGap,
            Map<String, Object> stats) {}

    private final Settings settings;
    private final long deadline;

    private SignalJobRun(Settings settings) {
        this.settings = settings;
        this.deadline = System.nanoTime() + settings.timeout().toNanos();
    }

    static Output run(List<PlantedVisitor> visitors, Settings settings) throws Exception {
        return new SignalJobRun(settings).execute(visitors);
    }

    private Output execute(List<PlantedVisitor> visitors) throws Exception {
        List<ShopEvent> events = PersonaGenerator.merged(visitors);
        long first = events.get(0).eventTimeMillis();
        long last = events.get(events.size() - 1).eventTimeMillis();
        Map<String, Object> stats = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        // The planted history is weeks old and the broker's default retention (7 days by record
        // timestamp) could delete records, segment changes included, before they are read: keep
        // them forever.
        try (LocalShop shop =
                        LocalShop.builder()
                                .partitions(settings.partitions())
                                .topicConfigs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))
                                .start();
                JedisPooled redis = shop.redis().newClient()) {
            EmbeddedKafka kafka = shop.kafka();
            Path dir = shop.dataDir();
            // Anonymous visitors are forgotten after 30 quiet days; the final tick would forget
            // every anonymous
            // visitor last seen more than 30 days before the end and delete the profile we measure.
            // Nothing
            // the signals see depends on it (no planted visitor is quiet that long between
            // sessions).
            Duration anonymousTtl =
                    Duration.ofDays(Math.max(30, Duration.ofMillis(last - first).toDays() + 7));
            JobConfig config =
                    shop.jobConfig()
                            .parallelism(settings.parallelism())
                            .checkpointInterval(settings.checkpointInterval())
                            .startFromEarliest(true)
                            .groupId("bench-signals")
                            // Rounds wait for the job: short flush and buffer timeouts keep a round
                            // at a few ms.
                            .redisFlush(Duration.ofMillis(2), 1000)
                            .networkBufferTimeout(Duration.ofMillis(2))
                            .anonymousTtl(anonymousTtl)
                            // Planted history starts on a fixed date: accept it whatever today is.
                            .eventMaxAge(Duration.ofDays(100 * 365))
                            // A backfill's setting (README): a stall of the in-process broker on a
                            // busy machine is not taken for a partition read to its end.
                            .backlogIdleness(
                                    settings.backlog()
                                            ? BACKFILL_IDLENESS
                                            : JobConfig.builder().build().backlogIdleness())
                            .build();
            stats.put("parallelism", settings.parallelism());
            stats.put("partitions", settings.partitions());
            stats.put("sessionGap", config.sessionGap().toString());
            stats.put("maxOutOfOrderness", config.maxOutOfOrderness().toString());
            stats.put("sourceIdleness", config.sourceIdleness().toString());
            stats.put("backlogIdleness", config.backlogIdleness().toString());
            stats.put("anonymousTtl", anonymousTtl.toString());
            stats.put("redisFlushInterval", config.redisFlushInterval().toString());
            stats.put("networkBufferTimeout", config.networkBufferTimeout().toString());
            stats.put("autoWatermarkIntervalMs", settings.watermarkIntervalMillis());
            StreamExecutionEnvironment env = PersonalizationJob.localEnvironment(config);
            env.getConfig().setAutoWatermarkInterval(settings.watermarkIntervalMillis());
            KafkaProducer<String, byte[]> producer =
                    BenchKafka.unbatchedProducer(kafka.bootstrapServers());
            Driver driver = new Driver(producer, redis, config);
            long tPublish = System.nanoTime();
            if (settings.backlog()) {
                // A backfill: the whole history is in Kafka before the job starts.
                driver.publishAll(events);
                producer.flush();
                stats.put(
                        "backlogPublishSeconds",
                        Results.round((System.nanoTime() - tPublish) / 1e9, 1));
            }
            JobClient job = shop.startJob(config, env);
            try (producer) {
                if (settings.backlog()) {
                    producer.flush();
                    long applied = waitUntilDrained(redis, driver.published);
                    stats.put("visitorEventsApplied", applied);
                    stats.put(
                            "catchUpSeconds",
                            Results.round((System.nanoTime() - tPublish) / 1e9, 1));
                } else driver.feed(events);
                stats.put(
                        "feed",
                        settings.backlog()
                                ? "backlog (every event published before the job starts)"
                                : "rounds");
                stats.put("rounds", driver.rounds);
                stats.put("roundsForTimers", driver.timerRounds);
                stats.put("visitorEventsPublished", driver.published);
                stats.put("ticksPublished", driver.ticks);
                stats.put("feedSeconds", Results.round((System.nanoTime() - tPublish) / 1e9, 1));

                // Close every last session: a tick a day after the last event on every partition.
                driver.tickAll(last + Duration.ofDays(1).toMillis());
                producer.flush();
                long tEnd = System.nanoTime();
                waitForAllSessionsEnded(redis, visitors, config.sessionGap());
                stats.put("finalTimersSeconds", Results.round((System.nanoTime() - tEnd) / 1e9, 1));
                long tStop = System.nanoTime();
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoint").toUri().toString(),
                                SavepointFormatType.DEFAULT)
                        .get(remainingMillis(), TimeUnit.MILLISECONDS);
                stats.put(
                        "stopWithSavepointSeconds",
                        Results.round((System.nanoTime() - tStop) / 1e9, 1));
            } catch (Exception | Error e) {
                job.cancel(); // a failed or timed-out run must not leave the job running
                // against closing Kafka and Redis
                throw e;
            }
            Map<String, List<SegmentChange>> changes =
                    readSegmentChanges(kafka.bootstrapServers(), stats);
            Map<String, Integer> bytes = profileBytes(redis, visitors);
            stats.put("profilesFound", bytes.size());
            stats.put("wallSeconds", Results.round((System.nanoTime() - t0) / 1e9, 1));
            return new Output(changes, bytes, config.sessionGap(), stats);
        }
    }

    /** Publishes the events in rounds (see the class comment). */
    private final class Driver {
        private final KafkaProducer<String, byte[]> producer;
        private final JedisPooled redis;
        private final long gap;
        private final long outOfOrderness;

        /** Visitors with an event in the current round, and that event's topic. */
        private final Map<String, String> roundTopics = new HashMap<>();

        /**
         * Visitor to the end of its open session (last event + gap) whose timer is not known to
         * have fired.
         */
        private final Map<String, Long> openSessions = new HashMap<>();

        /** The same, by end time. */
        private final TreeMap<Long, Set<String>> byEnd = new TreeMap<>();

        private long released = Long.MIN_VALUE;
        long rounds;
        long timerRounds;
        long published;
        long ticks;

        Driver(KafkaProducer<String, byte[]> producer, JedisPooled redis, JobConfig config) {
            this.producer = producer;
            this.redis = redis;
            this.gap = config.sessionGap().toMillis();
            this.outOfOrderness = config.maxOutOfOrderness().toMillis();
        }

        void feed(List<ShopEvent> events) throws Exception {
            long report = System.nanoTime();
            for (ShopEvent e : events) {
                String v = e.partitionKey();
                String topic = e.topic();
                long at = e.eventTimeMillis();
                Long end = openSessions.get(v);
                boolean newSession = end != null && at > end;
                boolean crossTopic =
                        roundTopics.containsKey(v) && !topic.equals(roundTopics.get(v));
                boolean timerPending = newSession && end > released;
                if (crossTopic || timerPending) endRound(at, timerPending);
                producer.send(new ProducerRecord<>(topic, null, at, v, EventCodec.encode(e)));
                published++;
                roundTopics.put(v, topic);
                if (end != null) removeOpen(v, end);
                openSessions.put(v, at + gap);
                byEnd.computeIfAbsent(at + gap, k -> new HashSet<>()).add(v);
                if (System.nanoTime() - report > TimeUnit.SECONDS.toNanos(15)) {
                    report = System.nanoTime();
                    System.err.printf(
                            "  job mode: %,d of %,d events published, %,d rounds%n",
                            published, events.size(), rounds);
                }
            }
            endRound(Long.MAX_VALUE, false);
        }

        /**
         * {@code --feed backlog}: every event published at once, before the job starts, as a
         * backfill of history is; the job must then order each visitor's events across topics
         * itself.
         */
        void publishAll(List<ShopEvent> events) {
            for (ShopEvent e : events) {
                producer.send(
                        new ProducerRecord<>(
                                e.topic(),
                                null,
                                e.eventTimeMillis(),
                                e.partitionKey(),
                                EventCodec.encode(e)));
                published++;
            }
        }

        /** Ends the round before an event at {@code nextAt}: ticks, then waits for the job. */
        private void endRound(long nextAt, boolean releaseTimers) throws Exception {
            if (nextAt != Long.MAX_VALUE) tickAll(nextAt - 1);
            producer.flush();
            waitForApplied(redis, published);
            rounds++;
            roundTopics.clear();
            if (releaseTimers) {
                // The tick lets the watermark reach nextAt - 1 - outOfOrderness: wait for the
                // latest session end it releases.
                Map.Entry<Long, Set<String>> latest =
                        byEnd.floorEntry(nextAt - 1 - outOfOrderness - 1);
                if (latest == null)
                    throw new IllegalStateException("no session end to wait for before " + nextAt);
                String visitor = latest.getValue().iterator().next();
                waitForSessionEnded(redis, visitor, latest.getKey() - gap);
                released = latest.getKey();
                timerRounds++;
                for (Set<String> done : byEnd.headMap(released, true).values())
                    for (String v : done) openSessions.remove(v);
                byEnd.headMap(released, true).clear();
            }
        }

        private void removeOpen(String visitor, long end) {
            Set<String> s = byEnd.get(end);
            if (s != null && s.remove(visitor) && s.isEmpty()) byEnd.remove(end);
            openSessions.remove(visitor);
        }

        void tickAll(long at) {
            for (String topic : Topics.INPUTS) {
                for (int p = 0; p < settings.partitions(); p++) {
                    producer.send(new ProducerRecord<>(topic, p, at, TICK_KEY, TICK));
                    ticks++;
                }
            }
        }
    }

    /**
     * Backlog feed: until the job is done with every published visitor event, or the count has not
     * moved for 30 s after the job caught up. Returns the count applied.
     */
    private long waitUntilDrained(JedisPooled redis, long expected) {
        long last = -1;
        long since = System.nanoTime();
        while (true) {
            String v = redis.get(RedisKeys.EVENTS_APPLIED);
            long applied = v == null ? 0 : Long.parseLong(v);
            if (applied >= expected) return applied;
            if (applied != last) {
                last = applied;
                since = System.nanoTime();
            } else if (applied > 0 && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(30)) {
                System.err.printf(
                        "  backlog: %,d of %,d visitor events applied, no change for 30 s%n",
                        applied, expected);
                return applied;
            }
            pause("the job to catch up (applied: " + applied + " of " + expected + ")");
        }
    }

    private void waitForApplied(JedisPooled redis, long expected) {
        long applied = 0;
        while (true) {
            String v = redis.get(RedisKeys.EVENTS_APPLIED);
            applied = v == null ? 0 : Long.parseLong(v);
            if (applied >= expected) return;
            pause("the job to apply " + expected + " visitor events (applied: " + applied + ")");
        }
    }

    /**
     * Until the visitor's profile in Redis shows the session that ended at {@code lastSeen} closed.
     */
    private void waitForSessionEnded(JedisPooled redis, String visitor, long lastSeen) {
        while (!sessionEnded(redis.get(RedisKeys.profile(visitor)), lastSeen)) {
            pause("the session-end timer of " + visitor + " (last event at " + lastSeen + ")");
        }
    }

    private void waitForAllSessionsEnded(
            JedisPooled redis, List<PlantedVisitor> visitors, Duration gap) {
        List<String> keys =
                visitors.stream().map(v -> RedisKeys.profile(v.label().visitorId())).toList();
        long[] last =
                visitors.stream()
                        .mapToLong(v -> v.events().get(v.events().size() - 1).eventTimeMillis())
                        .toArray();
        while (true) {
            List<String> values = redis.mget(keys.toArray(String[]::new));
            int open = 0;
            String example = null;
            for (int i = 0; i < keys.size(); i++) {
                if (!sessionEnded(values.get(i), last[i])) {
                    open++;
                    if (example == null) example = keys.get(i);
                }
            }
            if (open == 0) return;
            pause(
                    "the last session-end timers ("
                            + open
                            + " visitors still open, e.g. "
                            + example
                            + ")");
        }
    }

    static boolean sessionEnded(String profileJson, long lastSeen) {
        if (profileJson == null) return false;
        try {
            JsonNode p = EventCodec.mapper().readTree(profileJson);
            JsonNode session = p.get("currentSessionId");
            return p.path("lastSeen").asLong() == lastSeen && (session == null || session.isNull());
        } catch (Exception e) {
            throw new IllegalStateException("unreadable profile: " + profileJson, e);
        }
    }

    private void pause(String waitingFor) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                    "timed out after "
                            + settings.timeout().toSeconds()
                            + " s (--job-timeout-seconds) waiting for "
                            + waitingFor);
        }
        LockSupport.parkNanos(200_000);
    }

    private long remainingMillis() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /**
     * Every price and drift change, per visitor, in topic order (each visitor's changes are sorted
     * by the caller).
     */
    private Map<String, List<SegmentChange>> readSegmentChanges(
            String bootstrap, Map<String, Object> stats) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        props.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, List<SegmentChange>> changes = new HashMap<>();
        long total = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.SEGMENT_CHANGES).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // The job is stopped: the end offsets no longer move.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    total++;
                    SegmentChange c = EventCodec.mapper().readValue(r.value(), SegmentChange.class);
                    if (PRICE_SEGMENT.equals(c.getSegment())
                            || DRIFT_SEGMENT.equals(c.getSegment())) {
                        changes.computeIfAbsent(c.getVisitorId(), k -> new ArrayList<>()).add(c);
                    }
                }
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException("timed out reading " + Topics.SEGMENT_CHANGES);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable segment change", e);
        }
        stats.put("segmentChanges", total);
        stats.put("signalSegmentChanges", changes.values().stream().mapToInt(List::size).sum());
        return changes;
    }

    private static Map<String, Integer> profileBytes(
            JedisPooled redis, List<PlantedVisitor> visitors) {
        List<String> ids = visitors.stream().map(v -> v.label().visitorId()).toList();
        List<String> values =
                redis.mget(ids.stream().map(RedisKeys::profile).toArray(String[]::new));
        Map<String, Integer> bytes = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (values.get(i) != null)
                bytes.put(ids.get(i), values.get(i).getBytes(StandardCharsets.UTF_8).length);
        }
        return bytes;
    }

    // ------------------------------------------------------------------ flag history to evaluation
    // points

    /** Anomalies met while mapping change times onto a visitor's events. */
    static final class MappingStats {
        long changes;

        /** {@code at} equal to an event's time. */
        long atEvent;

        /**
         * {@code at} equal to a session's last event + the session gap: that session's end timer.
         */
        long atSessionEnd;

        /** Any other {@code at} (before the first event, inside a session, not on a timer). */
        long elsewhere;

        /** A join while already on or a leave while off (would mean duplicates or lost changes). */
        long notToggling;
    }

    /**
     * The visitor's flag at every evaluation point the replay has (after each event, and at each
     * session's end timer), from the job's join/leave history of {@code segment}. A change at an
     * event's time is that event; a change after a session's last event is that session's end
     * timer.
     */
    static List<SignalBenchmark.FlagStep> timeline(
            PlantedVisitor v,
            List<SegmentChange> changes,
            String segment,
            long gap,
            MappingStats mapping) {
        List<ShopEvent> ev = v.events();
        int n = ev.size();
        // Point p: 2*i = after event i, 2*i+1 = the end timer of the session whose last event is i.
        boolean[] sessionEnd = new boolean[n];
        for (int i = 0; i < n; i++) {
            sessionEnd[i] =
                    i == n - 1
                            || ev.get(i + 1).eventTimeMillis() > ev.get(i).eventTimeMillis() + gap
                            || !Objects.equals(
                                    ev.get(i).getSessionId(), ev.get(i + 1).getSessionId());
        }
        List<SegmentChange> mine =
                new ArrayList<>(
                        changes == null
                                ? List.of()
                                : changes.stream()
                                        .filter(c -> segment.equals(c.getSegment()))
                                        .toList());
        mine.sort(
                java.util.Comparator.comparingLong(
                        SegmentChange::getAt)); // stable: topic order within one time
        TreeMap<Integer, Boolean> stateFrom = new TreeMap<>();
        boolean on = false;
        for (SegmentChange c : mine) {
            mapping.changes++;
            if (c.isJoined() == on) mapping.notToggling++;
            on = c.isJoined();
            int point = point(ev, sessionEnd, c.getAt(), gap, mapping);
            stateFrom.put(point, on);
        }
        List<SignalBenchmark.FlagStep> steps = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            for (int end = 0; end <= (sessionEnd[i] ? 1 : 0); end++) {
                Map.Entry<Integer, Boolean> s = stateFrom.floorEntry(2 * i + end);
                steps.add(
                        new SignalBenchmark.FlagStep(
                                i,
                                ev.get(i).getSessionId(),
                                end == 1,
                                s != null && s.getValue(),
                                List.of()));
            }
        }
        return steps;
    }

    private static int point(
            List<ShopEvent> ev, boolean[] sessionEnd, long at, long gap, MappingStats mapping) {
        int lo = 0, hi = ev.size() - 1, last = -1; // last event at or before `at`
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ev.get(mid).eventTimeMillis() <= at) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (last < 0) {
            mapping.elsewhere++;
            return 0;
        }
        long t = ev.get(last).eventTimeMillis();
        if (t == at) {
            mapping.atEvent++;
            return 2 * last;
        }
        if (sessionEnd[last] && at == t + gap) mapping.atSessionEnd++;
        else mapping.elsewhere++;
        return sessionEnd[last] ? 2 * last + 1 : 2 * last;
    }
}
