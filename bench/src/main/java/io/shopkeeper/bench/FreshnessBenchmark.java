package io.shopkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.launcher.simulator.SimulatedCatalog;
import io.shopkeeper.launcher.simulator.SimulatorConfig;
import io.shopkeeper.launcher.simulator.StorefrontSimulator;
import io.shopkeeper.launcher.simulator.TrafficPublisher;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.shop.LocalShop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;

/**
 * Freshness: with the job running on a live stream at a fixed rate, the time from a probe event's
 * arrival in Kafka (the producer's acknowledgement) until the probe visitor's recommendations in
 * Redis reflect it ({@code RecommendationList.updatedAt} equals the probe's event time).
 *
 * <p>Probes are product views of dedicated visitors ({@code probe-N}), each visitor probed again
 * only after its previous probe was seen or timed out; they ride on simulator traffic at {@code
 * --rate} events/s. The product's target is p99 at most 250 ms at half the maximum sustainable
 * rate, so the default rate is half the steady rate of the last pipeline benchmark when one exists.
 */
@Command(
        name = "freshness",
        mixinStandardHelpOptions = true,
        description = "Kafka arrival to updated recommendations in Redis, under live traffic.")
public final class FreshnessBenchmark implements Callable<Integer> {
    @Option(
            names = "--rate",
            description =
                    "Background traffic in events/s (default: half the steady rate in pipeline-latest.json, else 2000).")
    Double rate;

    @Option(
            names = "--customers",
            defaultValue = "1000000",
            description = "Default: ${DEFAULT-VALUE}.")
    int customers;

    @Option(names = "--items", defaultValue = "100000", description = "Default: ${DEFAULT-VALUE}.")
    int items;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "30",
            description = "Traffic before the first probe. Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(
            names = "--duration-seconds",
            defaultValue = "60",
            description = "Probing time. Default: ${DEFAULT-VALUE}.")
    int durationSeconds;

    @Option(
            names = "--probes-per-second",
            defaultValue = "20",
            description = "Default: ${DEFAULT-VALUE}.")
    int probesPerSecond;

    @Option(
            names = "--probe-visitors",
            defaultValue = "200",
            description = "Default: ${DEFAULT-VALUE}.")
    int probeVisitors;

    @Option(
            names = "--probe-timeout-ms",
            defaultValue = "10000",
            description =
                    "A probe not seen after this long counts as missed. Default: ${DEFAULT-VALUE}.")
    int probeTimeoutMs;

    @Option(names = "--parallelism", defaultValue = "2")
    int parallelism;

    @Option(names = "--checkpoint-seconds", defaultValue = "10")
    int checkpointSeconds;

    @Option(
            names = "--buffer-timeout-ms",
            description =
                    "Experiment: override Flink's network buffer timeout (the job leaves Flink's default, 100 ms) before submitting.")
    Long bufferTimeoutMs;

    @Option(
            names = "--flink-option",
            description =
                    "Experiment: a Flink setting on top of the job's own (repeatable), e.g. --flink-option execution.checkpointing.unaligned.enabled=true.")
    Map<String, String> flinkOptions = new LinkedHashMap<>();

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(
            names = "--results-dir",
            defaultValue = "bench/results",
            description = "Default: ${DEFAULT-VALUE}.")
    Path resultsDir;

    /** A probe in flight. */
    static final class Probe {
        final String visitor;
        final long eventTime;
        final long sentNanos;
        volatile long ackNanos;

        Probe(String visitor, long eventTime, long sentNanos) {
            this.visitor = visitor;
            this.eventTime = eventTime;
            this.sentNanos = sentNanos;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new FreshnessBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        double trafficRate = rate != null ? rate : defaultRate(resultsDir);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("rate", trafficRate);
        options.put(
                "rateSource",
                rate != null ? "--rate" : "half of pipeline-latest.json steady rate (or 2000)");
        options.put("customers", customers);
        options.put("items", items);
        options.put("warmupSeconds", warmupSeconds);
        options.put("durationSeconds", durationSeconds);
        options.put("probesPerSecond", probesPerSecond);
        options.put("probeVisitors", probeVisitors);
        options.put("parallelism", parallelism);
        options.put("checkpointSeconds", checkpointSeconds);
        options.put("bufferTimeoutMs", bufferTimeoutMs == null ? "job default" : bufferTimeoutMs);
        options.put("flinkOptions", flinkOptions);
        Results results = new Results("freshness", options);
        GcPauses gcPauses = GcPauses.start();

        try (LocalShop shop = LocalShop.builder().start();
                JedisPooled redis = shop.redis().newClient()) {
            EmbeddedKafka kafka = shop.kafka();
            JobConfig config =
                    shop.jobConfig()
                            .parallelism(parallelism)
                            .checkpointInterval(Duration.ofSeconds(checkpointSeconds))
                            .startFromEarliest(true)
                            .groupId("bench-freshness")
                            .build();
            Configuration flink = PersonalizationJob.localConfiguration(config);
            flink.addAll(Configuration.fromMap(flinkOptions));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), flink);
            if (bufferTimeoutMs != null) env.setBufferTimeout(bufferTimeoutMs);
            JobClient job = shop.startJob(config, env);
            StorefrontSimulator simulator =
                    new StorefrontSimulator(
                            SimulatorConfig.large()
                                    .withCustomers(customers)
                                    .withItems(items)
                                    .withEventsPerSecond(trafficRate)
                                    .withSeed(seed));
            try (TrafficPublisher traffic =
                            new TrafficPublisher(kafka.bootstrapServers(), simulator, trafficRate)
                                    .start();
                    KafkaProducer<String, byte[]> producer =
                            BenchKafka.unbatchedProducer(kafka.bootstrapServers())) {
                System.err.printf(
                        "Job submitted; %,.0f events/s of traffic; warming up %d s...%n",
                        trafficRate, warmupSeconds);
                long appliedBefore = applied(redis);
                long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
                while (System.nanoTime() < warmEnd) TimeUnit.MILLISECONDS.sleep(200);
                long sentBefore = traffic.sent();
                long appliedAtStart = applied(redis);
                long t0 = System.nanoTime();
                Measured measured = probe(producer, redis, simulator.catalog());
                double seconds = (System.nanoTime() - t0) / 1e9;
                long appliedAtEnd = applied(redis);
                long sent = traffic.sent() - sentBefore;

                Map<String, Object> traffics = results.section("traffic");
                traffics.put("publishedPerSecond", Math.round(sent / seconds));
                traffics.put(
                        "appliedPerSecond", Math.round((appliedAtEnd - appliedAtStart) / seconds));
                traffics.put("publisherLagMsAtEnd", traffic.lag().toMillis());
                traffics.put("appliedDuringWarmup", appliedAtStart - appliedBefore);
                Map<String, Object> probes = results.section("probes");
                probes.put("sent", measured.sent);
                probes.put("seen", measured.arrivalToRedis.getTotalCount());
                probes.put("missed", measured.missed);
                probes.put("arrivalToRedis", Latency.summary(measured.arrivalToRedis));
                probes.put("sendToRedis", Latency.summary(measured.sendToRedis));
                probes.put(
                        "note",
                        "arrivalToRedis: from the producer's acknowledgement to the visitor's sk:recs value carrying the probe's event time; "
                                + "Redis is polled every millisecond");
                probes.put("timeline", measured.timeline);
                results.section("gcPauses").put("pauses", gcPauses.pauses());
                Map<String, Object> summary = results.section("summary");
                summary.put("rate", trafficRate);
                summary.put("p50Ms", Latency.summary(measured.arrivalToRedis).get("p50Ms"));
                summary.put("p99Ms", Latency.summary(measured.arrivalToRedis).get("p99Ms"));
                summary.put("p999Ms", Latency.summary(measured.arrivalToRedis).get("p999Ms"));
                summary.put("missedProbes", measured.missed);
                summary.put("targetP99Ms", 250);
                summary.put(
                        "jobKeptUp",
                        (appliedAtEnd - appliedAtStart)
                                >= 0.9 * sent); // applied counts visitor events only
                Path file = results.write(resultsDir);
                System.out.println();
                System.out.println("Freshness benchmark");
                System.out.printf(
                        "  traffic %,.0f events/s published, %,d/s applied by the job%n",
                        sent / seconds, (Long) traffics.get("appliedPerSecond"));
                System.out.printf(
                        "  Kafka arrival -> Redis: %s   (target p99 <= 250 ms)%n",
                        Latency.line(measured.arrivalToRedis));
                System.out.printf(
                        "  probes: %d sent, %d seen, %d missed (> %d ms)%n",
                        measured.sent,
                        measured.arrivalToRedis.getTotalCount(),
                        measured.missed,
                        probeTimeoutMs);
                System.out.println("  results: " + file);
            } finally {
                try {
                    job.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("cancelling the job failed: " + e);
                }
            }
        }
        return 0;
    }

    /**
     * The probes in the order they were seen: {@code [arrival, epoch ms; arrival to Redis, ms]},
     * and missed ones as {@code [sent, epoch ms; -1]}, to line the tail up against checkpoints and
     * GC pauses ({@code gcPauses}) of the same run.
     */
    record Measured(
            long sent,
            long missed,
            Histogram arrivalToRedis,
            Histogram sendToRedis,
            List<long[]> timeline) {}

    private Measured probe(
            KafkaProducer<String, byte[]> producer, JedisPooled redis, SimulatedCatalog catalog)
            throws Exception {
        Histogram arrival = Latency.newHistogram();
        Histogram send = Latency.newHistogram();
        Map<String, Probe> inFlight = new ConcurrentHashMap<>();
        List<String> idle = new ArrayList<>();
        for (int i = 1; i <= probeVisitors; i++) idle.add("probe-" + i);
        SplittableRandom rnd = new SplittableRandom(seed);
        long intervalNanos = 1_000_000_000L / probesPerSecond;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
        long nextProbe = start;
        long sent = 0, missed = 0;
        long lastEventTime = 0;
        List<long[]> timeline = new ArrayList<>();
        long epochOffsetMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        while (System.nanoTime() < end || !inFlight.isEmpty()) {
            long now = System.nanoTime();
            if (now >= nextProbe && now < end && !idle.isEmpty()) {
                String visitor = idle.remove(idle.size() - 1);
                long eventTime =
                        Math.max(
                                System.currentTimeMillis(),
                                lastEventTime + 1); // distinct per probe
                lastEventTime = eventTime;
                ShopEvent view = productView(visitor, eventTime, catalog, rnd);
                Probe probe = new Probe(visitor, eventTime, System.nanoTime());
                inFlight.put(visitor, probe);
                producer.send(
                        new ProducerRecord<>(
                                Topics.CLICKSTREAM,
                                null,
                                eventTime,
                                visitor,
                                EventCodec.encode(view)),
                        (metadata, error) -> {
                            if (error == null) probe.ackNanos = System.nanoTime();
                        });
                sent++;
                nextProbe += intervalNanos;
            }
            if (!inFlight.isEmpty()) {
                List<String> visitors = new ArrayList<>(inFlight.keySet());
                String[] keys =
                        visitors.stream().map(RedisKeys::recommendations).toArray(String[]::new);
                List<String> values = redis.mget(keys);
                long seenNanos = System.nanoTime();
                for (int i = 0; i < visitors.size(); i++) {
                    Probe p = inFlight.get(visitors.get(i));
                    if (p.ackNanos != 0 && updatedAt(values.get(i)) >= p.eventTime) {
                        Latency.record(arrival, (seenNanos - p.ackNanos) / 1_000);
                        Latency.record(send, (seenNanos - p.sentNanos) / 1_000);
                        timeline.add(
                                new long[] {
                                    epochOffsetMillis + p.ackNanos / 1_000_000,
                                    (seenNanos - p.ackNanos) / 1_000_000
                                });
                        inFlight.remove(p.visitor);
                        idle.add(0, p.visitor);
                    } else if (seenNanos - p.sentNanos
                            > TimeUnit.MILLISECONDS.toNanos(probeTimeoutMs)) {
                        missed++;
                        timeline.add(new long[] {epochOffsetMillis + p.sentNanos / 1_000_000, -1});
                        inFlight.remove(p.visitor);
                        idle.add(0, p.visitor);
                    }
                }
            }
            TimeUnit.MICROSECONDS.sleep(1_000); // poll Redis about every millisecond
        }
        return new Measured(sent, missed, arrival, send, timeline);
    }

    /**
     * A product view of a popular item (it has neighbours, so the job has recommendations to
     * write).
     */
    private static ShopEvent productView(
            String visitor, long eventTime, SimulatedCatalog catalog, SplittableRandom rnd) {
        SimulatedCatalog.Item item = catalog.item(rnd.nextInt(Math.min(catalog.size(), 200)));
        ShopEvent e = new ShopEvent();
        e.setEventId(UUID.randomUUID().toString());
        e.setType(EventType.PRODUCT_VIEW);
        e.setTimestamp(Instant.ofEpochMilli(eventTime));
        e.setSessionId("s-" + visitor);
        e.setCustomerId(visitor);
        e.setItemId(item.itemId());
        e.setCategoryId(item.categoryId());
        e.setBrand(item.brand());
        e.setPrice(item.price());
        e.setListPrice(item.listPrice());
        return e;
    }

    private static long updatedAt(String json) {
        if (json == null) return Long.MIN_VALUE;
        try {
            JsonNode node = EventCodec.mapper().readTree(json);
            return node.path("updatedAt").asLong(Long.MIN_VALUE);
        } catch (Exception e) {
            return Long.MIN_VALUE;
        }
    }

    private static long applied(JedisPooled redis) {
        String v = redis.get(RedisKeys.EVENTS_APPLIED);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Half the steady job rate of the last pipeline run, or 2,000 events/s without one. */
    static double defaultRate(Path resultsDir) {
        Path latest = resultsDir.resolve("pipeline-latest.json");
        try {
            if (Files.exists(latest)) {
                Object summary = Results.read(latest).get("summary");
                if (summary instanceof Map<?, ?> m
                        && m.get("jobSteadyRecordsPerSecond") instanceof Number n
                        && n.doubleValue() > 0) {
                    return Math.max(100, Math.round(n.doubleValue() / 2));
                }
            }
        } catch (Exception e) {
            System.err.println("cannot read " + latest + ": " + e);
        }
        return 2_000;
    }
}
