package io.shopkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.api.ApiServer;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.launcher.LocalJobSettings;
import io.shopkeeper.launcher.simulator.OfferResponses;
import io.shopkeeper.launcher.simulator.SimulatedCatalog;
import io.shopkeeper.launcher.simulator.SimulatorConfig;
import io.shopkeeper.launcher.simulator.StorefrontSimulator;
import io.shopkeeper.launcher.simulator.TrafficPublisher;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.Holdout;
import io.shopkeeper.schemas.offers.Offer;
import io.shopkeeper.shop.LocalShop;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;

/**
 * Decision latency: with the quick start's simulated traffic running and 20 campaigns live ({@link
 * BenchCampaigns}), the time from a triggering event's arrival in Kafka (the producer's
 * acknowledgement) until the onsite offer it earns is readable in Redis, where the API reads it
 * ({@code sk:offers:{visitor}}, an unexpired offer of the campaign with the trigger as reason).
 *
 * <p>Probes are fresh anonymous visitors who behave like a bargain hunter in one session (a search
 * for coupons, cheapest first, a product view). Once their profile in Redis shows them flagged
 * price-sensitive, they leave the product page at its price ({@code page_leave}): the trigger of
 * {@code bargain-coupon}. Only probes whose hash is outside the campaign's holdout (and the global
 * one) are used, so each trigger should earn a sent coupon; a probe whose offer does not appear
 * within {@code --probe-timeout-ms} is counted as missed with the decision the job recorded. Probes
 * interleave with the background traffic, which decides on the other 19 campaigns as well.
 */
@Command(
        name = "decisions",
        mixinStandardHelpOptions = true,
        description =
                "Triggering event in Kafka to the onsite offer in Redis, with 20 live campaigns under the quick start's traffic.")
public final class DecisionBenchmark implements Callable<Integer> {
    /** Events of a probe's path before its trigger: a search, a sort, a product view. */
    static final int PATH_EVENTS = 3;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description =
                    "Background traffic in events/s (the quick start's default). Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--customers",
            defaultValue = "500",
            description = "Simulated customers (the quick start's). Default: ${DEFAULT-VALUE}.")
    int customers;

    @Option(
            names = "--items",
            defaultValue = "3000",
            description = "Catalog items (the quick start's). Default: ${DEFAULT-VALUE}.")
    int items;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "30",
            description =
                    "Traffic and unrecorded probes before measuring (at least until a probe on every decision subtask got its offer). Default: ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(
            names = "--duration-seconds",
            defaultValue = "90",
            description = "Measured probing time. Default: ${DEFAULT-VALUE}.")
    int durationSeconds;

    @Option(
            names = "--probes-per-second",
            defaultValue = "5",
            description = "New probe visitors per second. Default: ${DEFAULT-VALUE}.")
    double probesPerSecond;

    @Option(
            names = "--probe-timeout-ms",
            defaultValue = "10000",
            description =
                    "A triggered probe whose offer is not readable after this long counts as missed. Default: ${DEFAULT-VALUE}.")
    int probeTimeoutMs;

    @Option(
            names = "--offer-responses",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Simulated visitors react to their offers as in the quick start (OfferResponses). Default: ${DEFAULT-VALUE}.")
    boolean offerResponses;

    @Option(names = "--parallelism", defaultValue = "2")
    int parallelism;

    @Option(
            names = "--buffer-timeout-ms",
            description =
                    "Experiment: override the job's network buffer timeout (--network.buffer-timeout) before submitting.")
    Long bufferTimeoutMs;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(
            names = "--results-dir",
            defaultValue = "bench/results",
            description = "Default: ${DEFAULT-VALUE}.")
    Path resultsDir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DecisionBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("rate", rate);
        options.put("customers", customers);
        options.put("items", items);
        options.put("warmupSeconds", warmupSeconds);
        options.put("durationSeconds", durationSeconds);
        options.put("probesPerSecond", probesPerSecond);
        options.put("probeTimeoutMs", probeTimeoutMs);
        options.put("offerResponses", offerResponses);
        options.put("parallelism", parallelism);
        options.put("bufferTimeoutMs", bufferTimeoutMs == null ? "job default" : bufferTimeoutMs);
        options.put("seed", seed);
        Results results = new Results("decisions", options);
        double loadAtStart = Results.loadAverage();

        try (LocalShop shop = LocalShop.builder().start();
                JedisPooled redis = BenchRedis.patientClient(shop.redis())) {
            EmbeddedKafka kafka = shop.kafka();
            ApiServer api = shop.startApi(0);
            String adminKey = api.access().adminKey();
            List<String> campaigns = BenchCampaigns.define(api.port(), adminKey);
            JsonNode probed = BenchCampaigns.get(api.port(), adminKey, BenchCampaigns.PROBED);
            System.err.printf("Campaigns live: %d%n", campaigns.size());

            JobConfig.Builder jobSettings =
                    LocalJobSettings.apply(shop.jobConfig())
                            .parallelism(parallelism)
                            .startFromEarliest(true)
                            .groupId("bench-decisions");
            if (bufferTimeoutMs != null)
                jobSettings.networkBufferTimeout(Duration.ofMillis(bufferTimeoutMs));
            JobConfig config = jobSettings.build();
            StreamExecutionEnvironment env = PersonalizationJob.localEnvironment(config);
            JobClient job = shop.startJob(config, env);
            StorefrontSimulator simulator =
                    new StorefrontSimulator(
                            SimulatorConfig.defaults()
                                    .withCustomers(customers)
                                    .withItems(items)
                                    .withEventsPerSecond(rate)
                                    .withSeed(seed));
            Probes probes =
                    new Probes(
                            BenchCampaigns.PROBED,
                            probed.path("holdoutPercent").asDouble(),
                            config.offersGlobalHoldout(),
                            parallelism,
                            simulator.catalog(),
                            redis);
            OfferResponses responses = null;
            try (TrafficPublisher traffic =
                            new TrafficPublisher(kafka.bootstrapServers(), simulator, rate)
                                    .start();
                    KafkaProducer<String, byte[]> producer =
                            BenchKafka.unbatchedProducer(kafka.bootstrapServers())) {
                if (offerResponses)
                    responses =
                            new OfferResponses(
                                            shop.redis().newClient(),
                                            kafka.bootstrapServers(),
                                            Duration.ofSeconds(2))
                                    .start();
                System.err.printf(
                        "Job submitted; %,.0f events/s of traffic; warming up %d s with unrecorded probes...%n",
                        rate, warmupSeconds);
                Measured warm = new Measured();
                probes.run(producer, warm, TimeUnit.SECONDS.toNanos(warmupSeconds));
                long extra = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (warm.subtasksSeen() < parallelism && System.nanoTime() < extra)
                    probes.run(producer, warm, TimeUnit.SECONDS.toNanos(5));
                if (warm.subtasksSeen() < parallelism)
                    throw new IllegalStateException(
                            "no probe got its offer on every decision subtask during the warm-up: "
                                    + warm.describe());

                long sentBefore = traffic.sent();
                long appliedAtStart = applied(redis);
                long t0 = System.nanoTime();
                Measured measured = new Measured();
                probes.run(producer, measured, TimeUnit.SECONDS.toNanos(durationSeconds));
                double seconds = (System.nanoTime() - t0) / 1e9;
                long appliedAtEnd = applied(redis);
                long sent = traffic.sent() - sentBefore;

                Map<String, Object> trafficOut = results.section("traffic");
                trafficOut.put("publishedPerSecond", Math.round(sent / seconds));
                trafficOut.put(
                        "appliedPerSecond", Math.round((appliedAtEnd - appliedAtStart) / seconds));
                trafficOut.put("publisherLagMsAtEnd", traffic.lag().toMillis());
                trafficOut.put("offerResponsesSent", responses == null ? 0 : responses.sent());
                Map<String, Object> probesOut = results.section("probes");
                probesOut.put("campaign", BenchCampaigns.PROBED);
                probesOut.put("campaignHoldoutPercent", probed.path("holdoutPercent").asDouble());
                probesOut.put("started", measured.started);
                probesOut.put("triggered", measured.triggered);
                probesOut.put("seen", measured.arrivalToRedis.getTotalCount());
                probesOut.put("missed", measured.missed);
                probesOut.put("missedDecisions", probes.missedDecisions(measured));
                probesOut.put("notFlagged", measured.notFlagged);
                probesOut.put("seenBySubtask", measured.seenBySubtask);
                probesOut.put("arrivalToRedis", Latency.summary(measured.arrivalToRedis));
                probesOut.put("sendToRedis", Latency.summary(measured.sendToRedis));
                probesOut.put("arrivalToProfile", Latency.summary(measured.arrivalToProfile));
                probesOut.put("profileToOffer", Latency.summary(measured.profileToOffer));
                probesOut.put("flaggedAfterMs", Latency.summary(measured.pathToFlag));
                probesOut.put(
                        "note",
                        "arrivalToRedis: from the producer's acknowledgement of the page_leave to an unexpired bargain-coupon offer with reason left_at_price:<item> in sk:offers:<visitor> "
                                + "(Redis polled about every millisecond); arrivalToProfile: to the visitor's profile in Redis counting the page_leave (the job's path without the offers hop, same run and load); "
                                + "profileToOffer: from there to the offer (the offers hop: moments, the decision operator, its Redis write); flaggedAfterMs: from the path's first event to the profile in Redis flagged price-sensitive");
                results.put("campaigns", campaignCounters(redis, campaigns));

                Map<String, Object> summary = results.section("summary");
                Map<String, Object> latency = Latency.summary(measured.arrivalToRedis);
                summary.put("rate", rate);
                summary.put("campaignsLive", campaigns.size());
                summary.put("probesSeen", measured.arrivalToRedis.getTotalCount());
                summary.put("p50Ms", latency.get("p50Ms"));
                summary.put("p90Ms", latency.get("p90Ms"));
                summary.put("p99Ms", latency.get("p99Ms"));
                summary.put("maxMs", latency.get("maxMs"));
                summary.put("missedProbes", measured.missed);
                summary.put("targetP99Ms", 250);
                Map<String, Object> profile = Latency.summary(measured.arrivalToProfile);
                summary.put("profileP50Ms", profile.get("p50Ms"));
                summary.put("profileP99Ms", profile.get("p99Ms"));
                summary.put(
                        "ratioOfferToProfileP99",
                        Results.round(
                                measured.arrivalToRedis.getValueAtPercentile(99)
                                        / Math.max(
                                                1.0,
                                                measured.arrivalToProfile.getValueAtPercentile(99)),
                                2));
                summary.put(
                        "jobKeptUp",
                        (appliedAtEnd - appliedAtStart)
                                >= 0.9 * sent); // applied counts visitor events only
                summary.put("systemLoadAverageAtStart", loadAtStart);
                summary.put("systemLoadAverageMax", Math.max(warm.maxLoad, measured.maxLoad));
                summary.put("systemLoadAverageAtEnd", Results.loadAverage());
                Path file = results.write(resultsDir);
                System.out.println();
                System.out.println("Decision benchmark");
                System.out.printf(
                        "  traffic %,.0f events/s published, %,d/s applied by the job; %d campaigns live%n",
                        sent / seconds,
                        (Long) trafficOut.get("appliedPerSecond"),
                        campaigns.size());
                System.out.printf(
                        "  trigger in Kafka -> offer in Redis: %s   (target p99 <= 250 ms: %s, ratio %.2f)%n",
                        Latency.line(measured.arrivalToRedis),
                        measured.arrivalToRedis.getTotalCount() > 0
                                        && measured.arrivalToRedis.getValueAtPercentile(99)
                                                <= 250_000
                                        && measured.missed == 0
                                ? "met"
                                : "MISSED",
                        measured.arrivalToRedis.getValueAtPercentile(99) / 250_000.0);
                System.out.printf(
                        "  the same probes, trigger in Kafka -> profile in Redis (the job without the offers hop): %s; offer p99 / profile p99 = %.2f%n",
                        Latency.line(measured.arrivalToProfile),
                        (Double) summary.get("ratioOfferToProfileP99"));
                System.out.printf(
                        "  probes: %d started, %d triggered, %d offers seen, %d missed (> %d ms), %d never flagged%n",
                        measured.started,
                        measured.triggered,
                        measured.arrivalToRedis.getTotalCount(),
                        measured.missed,
                        probeTimeoutMs,
                        measured.notFlagged);
                System.out.printf(
                        "  load average: %.1f at start, %.1f max, %.1f at end (2 cores: above 2 the machine was busy)%n",
                        loadAtStart,
                        (Double) summary.get("systemLoadAverageMax"),
                        Results.loadAverage());
                System.out.println("  results: " + file);
            } finally {
                if (responses != null) responses.close();
                try {
                    job.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("cancelling the job failed: " + e);
                }
            }
        }
        return 0;
    }

    /** What one probing phase measured. */
    static final class Measured {
        final Histogram arrivalToRedis = Latency.newHistogram();
        final Histogram sendToRedis = Latency.newHistogram();
        final Histogram arrivalToProfile = Latency.newHistogram();
        final Histogram profileToOffer = Latency.newHistogram();
        final Histogram pathToFlag = Latency.newHistogram();
        final Map<Integer, Long> seenBySubtask = new TreeMap<>();
        final List<String> missedVisitors = new ArrayList<>();
        long started, triggered, missed, notFlagged;
        double maxLoad;

        int subtasksSeen() {
            return seenBySubtask.size();
        }

        String describe() {
            return String.format(
                    "%d started, %d triggered, %d seen (by subtask %s), %d missed, %d never flagged",
                    started,
                    triggered,
                    arrivalToRedis.getTotalCount(),
                    seenBySubtask,
                    missed,
                    notFlagged);
        }
    }

    /** One probe visitor on its way: the path sent, then the trigger, then its offer. */
    static final class Probe {
        final String visitor;
        final String itemId;
        final long startedNanos;
        long viewedAt;
        long profileNanos;
        volatile long ackNanos;
        long leaveSentNanos;

        Probe(String visitor, String itemId, long startedNanos) {
            this.visitor = visitor;
            this.itemId = itemId;
            this.startedNanos = startedNanos;
        }

        String reason() {
            return "left_at_price:" + itemId;
        }
    }

    /** Probe visitors: their ids, their path, the offer they are waiting for. */
    final class Probes {
        private final String campaignId;
        private final double campaignHoldout;
        private final double globalHoldout;
        private final int parallelism;
        private final SimulatedCatalog catalog;
        private final JedisPooled redis;
        private final SplittableRandom rnd;
        private final String prefix;
        private int next;

        Probes(
                String campaignId,
                double campaignHoldout,
                double globalHoldout,
                int parallelism,
                SimulatedCatalog catalog,
                JedisPooled redis) {
            this.campaignId = campaignId;
            this.campaignHoldout = campaignHoldout;
            this.globalHoldout = globalHoldout;
            this.parallelism = parallelism;
            this.catalog = catalog;
            this.redis = redis;
            this.rnd = new SplittableRandom(seed);
            this.prefix = "anon-probe-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        }

        /** Starts, triggers and waits for probes for {@code nanos}, then for those in flight. */
        void run(KafkaProducer<String, byte[]> producer, Measured out, long nanos)
                throws Exception {
            long intervalNanos = (long) (1e9 / probesPerSecond);
            long start = System.nanoTime();
            long end = start + nanos;
            long nextStart = start;
            long nextProfilePoll = start;
            List<Probe> preparing = new ArrayList<>();
            List<Probe> triggered = new ArrayList<>();
            long prepareTimeout = TimeUnit.SECONDS.toNanos(30);
            long triggerTimeout = TimeUnit.MILLISECONDS.toNanos(probeTimeoutMs);
            long nextLoad = start;
            while (System.nanoTime() < end || !preparing.isEmpty() || !triggered.isEmpty()) {
                long now = System.nanoTime();
                if (now >= nextLoad) {
                    out.maxLoad = Math.max(out.maxLoad, Results.loadAverage());
                    nextLoad = now + TimeUnit.SECONDS.toNanos(1);
                }
                if (now >= nextStart && now < end) {
                    preparing.add(startPath(producer));
                    out.started++;
                    nextStart += intervalNanos;
                }
                if (!preparing.isEmpty() && now >= nextProfilePoll) {
                    nextProfilePoll = now + TimeUnit.MILLISECONDS.toNanos(5);
                    List<String> profiles =
                            redis.mget(
                                    preparing.stream()
                                            .map(p -> RedisKeys.profile(p.visitor))
                                            .toArray(String[]::new));
                    Iterator<Probe> it = preparing.iterator();
                    for (String profile : profiles) {
                        Probe p = it.next();
                        if (isFlaggedAfterPath(profile)) {
                            it.remove();
                            Latency.record(
                                    out.pathToFlag, (System.nanoTime() - p.startedNanos) / 1_000);
                            trigger(producer, p);
                            triggered.add(p);
                            out.triggered++;
                        } else if (now - p.startedNanos > prepareTimeout) {
                            it.remove();
                            out.notFlagged++;
                        }
                    }
                }
                if (!triggered.isEmpty()) {
                    List<Response<List<String>>> offers = new ArrayList<>(triggered.size());
                    List<Response<String>> profiles = new ArrayList<>(triggered.size());
                    try (var pipeline = redis.pipelined()) {
                        for (Probe p : triggered) {
                            offers.add(pipeline.hvals(RedisKeys.offers(p.visitor)));
                            profiles.add(pipeline.get(RedisKeys.profile(p.visitor)));
                        }
                        pipeline.sync();
                    }
                    long seenNanos = System.nanoTime();
                    Instant wallNow = Instant.now();
                    Iterator<Probe> it = triggered.iterator();
                    for (int i = 0; i < offers.size(); i++) {
                        Probe p = it.next();
                        if (p.ackNanos != 0
                                && p.profileNanos == 0
                                && isApplied(profiles.get(i).get(), PATH_EVENTS + 1))
                            p.profileNanos = seenNanos;
                        if (p.ackNanos != 0
                                && hasOffer(offers.get(i).get(), campaignId, p.reason(), wallNow)) {
                            it.remove();
                            Latency.record(out.arrivalToRedis, (seenNanos - p.ackNanos) / 1_000);
                            Latency.record(out.sendToRedis, (seenNanos - p.leaveSentNanos) / 1_000);
                            long profileNanos = p.profileNanos == 0 ? seenNanos : p.profileNanos;
                            Latency.record(
                                    out.arrivalToProfile, (profileNanos - p.ackNanos) / 1_000);
                            Latency.record(out.profileToOffer, (seenNanos - profileNanos) / 1_000);
                            out.seenBySubtask.merge(subtask(p.visitor, parallelism), 1L, Long::sum);
                        } else if (seenNanos - p.leaveSentNanos > triggerTimeout) {
                            it.remove();
                            out.missed++;
                            out.missedVisitors.add(p.visitor);
                        }
                    }
                }
                TimeUnit.MICROSECONDS.sleep(1_000); // poll Redis about every millisecond
            }
        }

        /** A bargain hunter's session: a search for coupons, cheapest first, a product view. */
        private Probe startPath(KafkaProducer<String, byte[]> producer) {
            String visitor = nextVisitor();
            SimulatedCatalog.Item item = catalog.item(rnd.nextInt(Math.min(catalog.size(), 200)));
            Probe p = new Probe(visitor, item.itemId(), System.nanoTime());
            long at = System.currentTimeMillis();
            ShopEvent search = event(EventType.SEARCH, visitor, at);
            search.setQuery("coupon code");
            search.setResultCount(12);
            ShopEvent sort = event(EventType.SORT, visitor, at + 1);
            sort.setSortBy("price_asc");
            ShopEvent view = event(EventType.PRODUCT_VIEW, visitor, at + 2);
            view.setItemId(item.itemId());
            view.setCategoryId(item.categoryId());
            view.setBrand(item.brand());
            view.setPrice(item.price());
            view.setListPrice(item.listPrice());
            p.viewedAt = at + 2;
            for (ShopEvent e : List.of(search, sort, view)) send(producer, e, null);
            return p;
        }

        /** The trigger: the visitor leaves the product page at its price. */
        private void trigger(KafkaProducer<String, byte[]> producer, Probe p) {
            ShopEvent leave =
                    event(
                            EventType.PAGE_LEAVE,
                            p.visitor,
                            Math.max(System.currentTimeMillis(), p.viewedAt + 1));
            leave.setPageType("product");
            leave.setItemId(p.itemId);
            p.leaveSentNanos = System.nanoTime();
            send(producer, leave, p);
        }

        private void send(KafkaProducer<String, byte[]> producer, ShopEvent e, Probe acked) {
            producer.send(
                    new ProducerRecord<>(
                            Topics.CLICKSTREAM,
                            null,
                            e.eventTimeMillis(),
                            e.partitionKey(),
                            EventCodec.encode(e)),
                    (metadata, error) -> {
                        if (error == null && acked != null) acked.ackNanos = System.nanoTime();
                    });
        }

        /** The next probe id outside the campaign's holdout and the global one. */
        private String nextVisitor() {
            while (true) {
                String v = prefix + next++;
                if (isOutsideHoldouts(v, campaignId, campaignHoldout, globalHoldout)) return v;
            }
        }

        /** Counts of the decision the job recorded for each missed probe (or none). */
        Map<String, Long> missedDecisions(Measured m) {
            Map<String, Long> counts = new TreeMap<>();
            for (String v : m.missedVisitors) {
                String outcome = "no decision";
                for (String json : redis.zrange(RedisKeys.offerHistory(v), 0, -1)) {
                    try {
                        Decision d = EventCodec.mapper().readValue(json, Decision.class);
                        if (campaignId.equals(d.campaignId()))
                            outcome = d.outcome().wireName() + ":" + d.reason();
                    } catch (Exception e) {
                        outcome = "unreadable decision";
                    }
                }
                counts.merge(outcome, 1L, Long::sum);
            }
            return counts;
        }
    }

    private static ShopEvent event(EventType type, String visitor, long at) {
        ShopEvent e = new ShopEvent();
        e.setEventId(java.util.UUID.randomUUID().toString());
        e.setType(type);
        e.setTimestamp(Instant.ofEpochMilli(at));
        e.setSessionId("s-" + visitor);
        e.setAnonymousId(visitor);
        return e;
    }

    /**
     * Whether a probe id is sent its offer when eligible: outside the campaign's holdout and the
     * global one (the job's hash-based assignment, {@link Holdout}).
     */
    static boolean isOutsideHoldouts(
            String visitor, String campaignId, double campaignHoldout, double globalHoldout) {
        return !Holdout.isHeldOut(Holdout.GLOBAL, visitor, globalHoldout)
                && !Holdout.isHeldOut(campaignId, visitor, campaignHoldout);
    }

    /**
     * Whether the profile JSON in Redis shows the probe's path applied (its three events) and the
     * visitor flagged price-sensitive.
     */
    static boolean isFlaggedAfterPath(String profileJson) {
        JsonNode p = readProfile(profileJson);
        return p != null
                && p.path("events").asLong() >= PATH_EVENTS
                && p.path("priceSensitive").path("flagged").asBoolean();
    }

    /** Whether the profile JSON in Redis counts at least {@code events} applied events. */
    static boolean isApplied(String profileJson, int events) {
        JsonNode p = readProfile(profileJson);
        return p != null && p.path("events").asLong() >= events;
    }

    private static JsonNode readProfile(String json) {
        if (json == null) return null;
        try {
            return EventCodec.mapper().readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Whether the visitor's offers (the values of {@code sk:offers:{visitor}}, as the API reads
     * them) hold an offer of {@code campaignId} for this trigger, not expired at {@code now}.
     */
    static boolean hasOffer(List<String> offers, String campaignId, String reason, Instant now) {
        if (offers == null) return false;
        for (String json : offers) {
            try {
                Offer o = EventCodec.mapper().readValue(json, Offer.class);
                if (campaignId.equals(o.campaignId())
                        && reason.equals(o.reason())
                        && (o.expiresAt() == null || o.expiresAt().isAfter(now))) return true;
            } catch (Exception e) {
                // not an offer: ignored, as the API does
            }
        }
        return false;
    }

    /** The decision subtask that owns a visitor (Flink's key group assignment). */
    static int subtask(String visitor, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(
                visitor, KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM, parallelism);
    }

    private static long applied(JedisPooled redis) {
        String v = redis.get(RedisKeys.EVENTS_APPLIED);
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Each campaign's decision counters (sent, held out, capped, not eligible) at the end. */
    static Map<String, Object> campaignCounters(JedisPooled redis, List<String> campaigns) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String id : campaigns) {
            Map<String, String> counters = redis.hgetAll(RedisKeys.campaignResults(id));
            Map<String, Object> c = new LinkedHashMap<>();
            for (String f :
                    List.of(
                            io.shopkeeper.schemas.offers.CampaignResults.SENT,
                            io.shopkeeper.schemas.offers.CampaignResults.HELD_OUT,
                            io.shopkeeper.schemas.offers.CampaignResults.CAPPED,
                            io.shopkeeper.schemas.offers.CampaignResults.NOT_ELIGIBLE))
                c.put(f, (long) Double.parseDouble(counters.getOrDefault(f, "0")));
            out.put(id, c);
        }
        return out;
    }
}
