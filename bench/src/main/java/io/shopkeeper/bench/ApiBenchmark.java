package io.shopkeeper.bench;

import io.shopkeeper.api.ApiServer;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.launcher.simulator.SimulatedCatalog;
import io.shopkeeper.launcher.simulator.SimulatorConfig;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ListVersion;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RecommendationListCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.shop.LocalShop;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;

/**
 * Serving throughput and latency of {@code GET /v1/recommendations} against the Redis reads it is
 * made of, at the same concurrency, in the same run.
 *
 * <ol>
 *   <li>Seeds an embedded Redis with realistic lists: {@code --visitors} recommendation lists of 20
 *       items, similar-items lists for every catalog item, overall and per-category trending.
 *   <li>Starts the API ({@link ApiServer}) on a free loopback port, without Kafka.
 *   <li>Closed loop: {@code --concurrency} threads each send a request, wait for the answer,
 *       repeat, for {@code --duration-seconds}: requests/s and latency percentiles.
 *   <li>Raw Redis: the same threads issue the exact read the API issues per request (an {@code
 *       MGET} of the visitor's list, the item's similar list and trending) with Jedis: the ceiling.
 *   <li>Fixed rate: {@code --rate} requests/s spread over the same threads, latency measured from
 *       each request's scheduled start (no coordinated omission): p99 and p99.9, and a timeline
 *       (requests, p99 and max per second of the schedule) that shows when a stall happened.
 * </ol>
 */
@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description =
                "API requests/s and latency against the same Redis reads at the same concurrency.")
public final class ApiBenchmark implements Callable<Integer> {
    @Option(
            names = "--visitors",
            defaultValue = "10000",
            description = "Visitors with a recommendation list. Default: ${DEFAULT-VALUE}.")
    int visitors;

    @Option(
            names = "--items",
            defaultValue = "3000",
            description =
                    "SimulatedCatalog items (each with a similar-items list). Default: ${DEFAULT-VALUE}.")
    int items;

    @Option(
            names = "--unknown-share",
            defaultValue = "0.1",
            description =
                    "Share of requests for visitors without a list (new visitors). Default: ${DEFAULT-VALUE}.")
    double unknownShare;

    @Option(
            names = "--concurrency",
            defaultValue = "32",
            description =
                    "Client threads, each with one request in flight. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(
            names = "--duration-seconds",
            defaultValue = "30",
            description = "Length of each closed-loop run. Default: ${DEFAULT-VALUE}.")
    int durationSeconds;

    @Option(
            names = "--warmup-seconds",
            defaultValue = "75",
            description =
                    "Untimed warm-up of API and Redis clients (two thirds API). On 2 busy cores the JIT"
                            + " still compiles the request path after 20 s of API warm-up. Default:"
                            + " ${DEFAULT-VALUE}.")
    int warmupSeconds;

    @Option(
            names = "--rate",
            defaultValue = "5000",
            description = "Requests/s of the fixed-rate run. Default: ${DEFAULT-VALUE}.")
    int rate;

    @Option(
            names = "--rate-seconds",
            defaultValue = "30",
            description = "Length of the fixed-rate run. Default: ${DEFAULT-VALUE}.")
    int rateSeconds;

    @Option(
            names = "--rate-warmup-seconds",
            defaultValue = "5",
            description =
                    "Untimed run at --rate just before the timed fixed-rate run, so the timed one starts"
                            + " from the steady state at that rate, not from the closed loops' (load, JIT,"
                            + " the switch to new connections). Default: ${DEFAULT-VALUE}.")
    int rateWarmupSeconds;

    @Option(
            names = "--n",
            defaultValue = "10",
            description = "Items asked per request. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(
            names = "--client",
            defaultValue = "keepalive",
            description =
                    "HTTP client: keepalive (a lean blocking HTTP/1.1 connection per thread, like Jedis for Redis) or jdk (java.net.http.HttpClient). Default: ${DEFAULT-VALUE}.")
    String client;

    @Option(
            names = "--fixed-rate-client",
            defaultValue = "nio",
            description =
                    "Client of the fixed-rate run: nio (one sender and one receiver thread over --concurrency kept-alive connections, FixedRateHttp) or threads (--concurrency blocking threads, each with its own connection of --client). Default: ${DEFAULT-VALUE}.")
    String fixedRateClient;

    @Option(
            names = "--http-floor",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Also run the closed loop against the HTTP layer alone (HttpFloor: the API's Jetty and Javalin set-up answering a fixed answer). Default: ${DEFAULT-VALUE}.")
    boolean httpFloor;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(
            names = "--results-dir",
            defaultValue = "bench/results",
            description = "Default: ${DEFAULT-VALUE}.")
    Path resultsDir;

    /** One request: the visitor and the item on screen. */
    record Ask(String visitor, String item, URI uri, byte[] rawRequest, String[] redisKeys) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ApiBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("visitors", visitors);
        options.put("items", items);
        options.put("unknownShare", unknownShare);
        options.put("concurrency", concurrency);
        options.put("durationSeconds", durationSeconds);
        options.put("warmupSeconds", warmupSeconds);
        options.put("rate", rate);
        options.put("rateSeconds", rateSeconds);
        options.put("rateWarmupSeconds", rateWarmupSeconds);
        options.put("n", n);
        options.put("client", client);
        options.put("fixedRateClient", fixedRateClient);
        options.put("httpFloor", httpFloor);
        Results results = new Results("api", options);

        try (LocalShop shop = LocalShop.builder().withoutKafka().start();
                JedisPooled redis = pooled(shop.redis(), concurrency)) {
            SimulatedCatalog catalog =
                    SimulatedCatalog.generate(
                            SimulatorConfig.defaults().withItems(items).withSeed(seed));
            Map<String, Object> seeded = seed(redis, catalog);
            results.put("seeded", seeded);
            ApiServer api = shop.startApi(0);
            try {
                String key = api.access().storefrontKey();
                List<Ask> asks = asks(catalog, api.port(), key);
                Probe apiProbe = apiProbe(api.port(), key);
                Probe redisProbe =
                        ask -> {
                            List<String> values = redis.mget(ask.redisKeys());
                            int bytes = 0;
                            for (String v : values) bytes += v == null ? 0 : v.length();
                            return bytes;
                        };
                System.err.printf("Warming up API and Redis clients for %d s...%n", warmupSeconds);
                closedLoop(apiProbe, asks, Math.max(1, warmupSeconds * 2 / 3));
                closeConnections();
                closedLoop(redisProbe, asks, Math.max(1, warmupSeconds / 3));

                Run apiRun = closedLoop(apiProbe, asks, durationSeconds);
                closeConnections();
                System.err.printf(
                        "API closed loop  : %,.0f requests/s, %s%n",
                        apiRun.perSecond(), Latency.line(apiRun.latency));
                Run redisRun = closedLoop(redisProbe, asks, durationSeconds);
                System.err.printf(
                        "Redis closed loop: %,.0f MGETs/s, %s%n",
                        redisRun.perSecond(), Latency.line(redisRun.latency));
                Run floorRun = null;
                if (httpFloor) {
                    try (HttpFloor floor = HttpFloor.start(answerOf(asks.get(0), key))) {
                        Probe floorProbe = apiProbe(floor.port(), key);
                        closedLoop(floorProbe, asks, Math.max(1, warmupSeconds / 8));
                        floorRun = closedLoop(floorProbe, asks, durationSeconds);
                        closeConnections();
                    }
                    System.err.printf(
                            "HTTP floor       : %,.0f requests/s, %s%n",
                            floorRun.perSecond(), Latency.line(floorRun.latency));
                }
                if (rateWarmupSeconds > 0) {
                    System.err.printf(
                            "Warming up at %,d/s for %d s (untimed)...%n", rate, rateWarmupSeconds);
                    fixedRun(api.port(), apiProbe, asks, rateWarmupSeconds, redisPid(redis));
                    closeConnections();
                }
                FixedRun fixed = fixedRun(api.port(), apiProbe, asks, rateSeconds, redisPid(redis));
                System.err.printf(
                        "API at %,d/s     : achieved %,.0f/s, %s (from scheduled start)%n",
                        rate, fixed.run.perSecond(), Latency.line(fixed.run.latency));
                Map<String, Object> fixedThreads =
                        ThreadCpu.report(
                                fixed.threadsAtStart,
                                fixed.threadsAtEnd,
                                fixed.run.requests,
                                fixed.run.seconds,
                                "Request");
                fixedThreads.put(
                        "note",
                        "each thread's CPU time (user+sys, /proc/<pid>/task/*/stat) of this JVM (the API, the load threads, GC, JIT) and redis-server over the fixed-rate run, by group, per request: what the machine spends at this rate, and the load threads' (the client's) share of it");
                printThreads(fixedThreads, 8);

                results.put("apiClosedLoop", apiRun.toMap());
                results.put("redisClosedLoop", redisRun.toMap());
                Map<String, Object> fixedMap = fixed.run.toMap();
                fixedMap.put("targetPerSecond", rate);
                fixedMap.put("serviceTime", Latency.summary(fixed.serviceTime));
                fixedMap.put("cpuByThread", fixedThreads);
                if (fixed.timeline != null) {
                    fixedMap.put("timeline", fixed.timeline);
                    Map<String, Object> worst =
                            fixed.timeline.stream()
                                    .max(
                                            java.util.Comparator.comparingDouble(
                                                    sec -> (Double) sec.get("maxMs")))
                                    .orElse(null);
                    System.err.printf("  worst second of the fixed-rate run: %s%n", worst);
                }
                fixedMap.put(
                        "note",
                        "latency counted from each request's scheduled start (corrects coordinated omission); serviceTime from the actual send");
                results.put("apiFixedRate", fixedMap);
                if (floorRun != null) results.put("httpFloorClosedLoop", floorRun.toMap());
                results.put(
                        "redisMemory",
                        Map.of(
                                "recommendationLists",
                                        RedisMemory.sample(
                                                redis, RedisKeys.recommendations("*"), 1000),
                                "usedMemoryBytes", RedisMemory.usedMemory(redis)));

                Map<String, Object> summary = results.section("summary");
                summary.put("apiRequestsPerSecond", Math.round(apiRun.perSecond()));
                summary.put("redisSameReadsPerSecond", Math.round(redisRun.perSecond()));
                summary.put(
                        "ratioApiToRedis",
                        Results.round(apiRun.perSecond() / redisRun.perSecond(), 3));
                summary.put("targetRatio", 0.5);
                summary.put(
                        "apiServerCpuMicrosPerRequest",
                        apiRun.toMap().get("serverCpuMicrosPerRequest"));
                summary.put(
                        "apiServerAllocatedBytesPerRequest",
                        apiRun.toMap().get("serverAllocatedBytesPerRequest"));
                summary.put(
                        "clientCpuMicrosPerRequestApiRedis",
                        List.of(
                                apiRun.toMap().get("clientCpuMicrosPerRequest"),
                                redisRun.toMap().get("clientCpuMicrosPerRequest")));
                if (floorRun != null) {
                    summary.put("httpFloorRequestsPerSecond", Math.round(floorRun.perSecond()));
                    summary.put(
                            "ratioApiToHttpFloor",
                            Results.round(apiRun.perSecond() / floorRun.perSecond(), 3));
                    summary.put(
                            "httpFloorServerCpuMicrosPerRequest",
                            floorRun.toMap().get("serverCpuMicrosPerRequest"));
                    summary.put(
                            "httpFloorServerAllocatedBytesPerRequest",
                            floorRun.toMap().get("serverAllocatedBytesPerRequest"));
                }
                summary.put("closedLoopP50Ms", Latency.summary(apiRun.latency).get("p50Ms"));
                summary.put("closedLoopP99Ms", Latency.summary(apiRun.latency).get("p99Ms"));
                summary.put("closedLoopP999Ms", Latency.summary(apiRun.latency).get("p999Ms"));
                summary.put("fixedRatePerSecond", rate);
                summary.put("fixedRateAchievedPerSecond", Math.round(fixed.run.perSecond()));
                summary.put("fixedRateP50Ms", Latency.summary(fixed.run.latency).get("p50Ms"));
                summary.put("fixedRateP99Ms", Latency.summary(fixed.run.latency).get("p99Ms"));
                summary.put("fixedRateP999Ms", Latency.summary(fixed.run.latency).get("p999Ms"));
                if (fixed.timeline != null) {
                    summary.put(
                            "fixedRateSecondsWithP99Over2Ms",
                            fixed.timeline.stream()
                                    .filter(sec -> (Double) sec.get("p99Ms") > 2.0)
                                    .map(sec -> sec.get("second"))
                                    .toList());
                    summary.put(
                            "fixedRateSecondsWithMaxOver10Ms",
                            fixed.timeline.stream()
                                    .filter(sec -> (Double) sec.get("maxMs") > 10.0)
                                    .map(sec -> sec.get("second"))
                                    .toList());
                }
                summary.put("fixedRateCoresUsed", fixedThreads.get("coresUsed"));
                summary.put(
                        "fixedRateClientShareOfCpu",
                        shareOf(fixedThreads, "benchmark load threads"));
                summary.put("targetP99Ms", 2.0);
                summary.put("targetP999Ms", 10.0);
                summary.put(
                        "errors",
                        apiRun.errors.get() + redisRun.errors.get() + fixed.run.errors.get());
                for (Run run : List.of(apiRun, redisRun, fixed.run)) {
                    if (run.firstError.get() != null) {
                        summary.putIfAbsent("firstError", run.firstError.get());
                        System.err.println("first error: " + run.firstError.get());
                    }
                }
                summary.put(
                        "systemLoadAverageMax",
                        Math.max(
                                Math.max(apiRun.loadAtEnd, redisRun.loadAtEnd),
                                fixed.run.loadAtEnd));
                Path file = results.write(resultsDir);
                printSummary(summary, file);
            } finally {
                opened.forEach(KeepAliveHttp::close);
            }
        }
        return 0;
    }

    /** The API's answer to {@code ask}, as bytes (the HTTP floor sends it back every time). */
    private static byte[] answerOf(Ask ask, String apiKey) throws Exception {
        HttpResponse<byte[]> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(ask.uri())
                                        .header("Authorization", "Bearer " + apiKey)
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200)
            throw new IllegalStateException("HTTP " + response.statusCode());
        return response.body();
    }

    /** Every kept-alive connection opened, closed when the benchmark ends. */
    private final List<KeepAliveHttp> opened =
            java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Closes the connections of the load threads that finished: every run starts new threads with
     * new connections, and the API closes a client's connections beyond 64 at once (HttpLimits), so
     * the fixed-rate run's connections were all refused while the closed loop's stayed open.
     */
    private void closeConnections() {
        synchronized (opened) {
            opened.forEach(KeepAliveHttp::close);
            opened.clear();
        }
    }

    /**
     * The HTTP side: one kept-alive connection per load thread, or the JDK client shared by all
     * threads.
     */
    private Probe apiProbe(int port, String apiKey) {
        if (client.equals("jdk")) {
            HttpClient http =
                    HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(2))
                            .build();
            return ask -> {
                HttpResponse<byte[]> response =
                        http.send(
                                HttpRequest.newBuilder(ask.uri())
                                        .header("Authorization", "Bearer " + apiKey)
                                        .timeout(Duration.ofSeconds(5))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200)
                    throw new IllegalStateException("HTTP " + response.statusCode());
                return response.body().length;
            };
        }
        if (!client.equals("keepalive"))
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "--client must be keepalive or jdk");
        ThreadLocal<KeepAliveHttp> connections =
                ThreadLocal.withInitial(
                        () -> {
                            KeepAliveHttp connection = new KeepAliveHttp("127.0.0.1", port, 5_000);
                            opened.add(connection);
                            return connection;
                        });
        return ask -> connections.get().get(ask.rawRequest());
    }

    /**
     * Seeds lists shaped like the job's: {@link RecommendationList}s of 20 scored items in their
     * stored form ({@link RecommendationListCodec}).
     */
    private Map<String, Object> seed(JedisPooled redis, SimulatedCatalog catalog) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long now = System.currentTimeMillis();
        int written = 0;
        try (AbstractPipeline p = redis.pipelined()) {
            for (int v = 1; v <= visitors; v++) {
                String visitor = "cust-" + v;
                p.set(
                        RedisKeys.recommendations(visitor),
                        RecommendationListCodec.encode(
                                list(visitor, "session", now, catalog, rnd, 20, true)));
                p.set(
                        RedisKeys.profile(visitor),
                        EventCodec.encodeToString(profile(visitor, now, catalog, rnd)));
                if (++written % 5_000 == 0) p.sync();
            }
            for (int i = 0; i < catalog.size(); i++) {
                String item = catalog.item(i).itemId();
                shared(
                        p,
                        RedisKeys.similarItems(item),
                        RecommendationListCodec.encode(
                                list(item, "co-occurrence", now, catalog, rnd, 20, false)));
                shared(
                        p,
                        RedisKeys.boughtTogether(item),
                        RecommendationListCodec.encode(
                                list(item, "bought_together", now, catalog, rnd, 10, false)));
                if (++written % 5_000 == 0) p.sync();
            }
            shared(
                    p,
                    RedisKeys.trending(),
                    RecommendationListCodec.encode(
                            list("all", "trending", now, catalog, rnd, 50, false)));
            for (int c = 0; c < catalog.categoryCount(); c++) {
                String category =
                        catalog.item(c).categoryId(); // the first items cover every category
                shared(
                        p,
                        RedisKeys.trendingInCategory(category),
                        RecommendationListCodec.encode(
                                list(category, "trending", now, catalog, rnd, 50, false)));
            }
            p.sync();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recommendationLists", visitors);
        m.put("profiles", visitors);
        m.put("boughtTogetherLists", catalog.size());
        m.put("similarItemLists", catalog.size());
        m.put("trendingLists", 1 + catalog.categoryCount());
        return m;
    }

    /** A shared list as the job's sink writes it: the list, then its {@link ListVersion}. */
    private static void shared(AbstractPipeline p, String key, String list) {
        p.set(key, list);
        p.set(RedisKeys.listVersion(key), ListVersion.of(list));
    }

    private static RecommendationList list(
            String subject,
            String strategy,
            long now,
            SimulatedCatalog catalog,
            SplittableRandom rnd,
            int size,
            boolean withReasons) {
        List<ScoredItem> scored = new ArrayList<>(size);
        double score = 1.0;
        for (int k = 0; k < size; k++) {
            String item = catalog.item(rnd.nextInt(catalog.size())).itemId();
            String reason =
                    withReasons
                            ? "similar_to:" + catalog.item(rnd.nextInt(catalog.size())).itemId()
                            : null;
            scored.add(new ScoredItem(item, Results.round(score, 4), reason));
            score *= 0.93;
        }
        return new RecommendationList(subject, strategy, now, scored);
    }

    /**
     * A profile shaped like the job's: recent items, affinities, orders; one visitor in five
     * price-sensitive.
     */
    private static ProfileDocument profile(
            String visitor, long now, SimulatedCatalog catalog, SplittableRandom rnd) {
        ProfileDocument p = new ProfileDocument();
        p.setVisitorId(visitor);
        p.setCustomerId(visitor);
        p.setFirstSeen(now - 90L * 24 * 3600 * 1000);
        p.setLastSeen(now);
        p.setEvents(40 + rnd.nextInt(200));
        p.setSessions(3 + rnd.nextInt(20));
        for (int k = 0; k < 12; k++)
            p.getRecentViews().add(catalog.item(rnd.nextInt(catalog.size())).itemId());
        for (int k = 0; k < 3; k++)
            p.getRecentCarts().add(catalog.item(rnd.nextInt(catalog.size())).itemId());
        for (int k = 0; k < 6; k++)
            p.getPurchasedItems().add(catalog.item(rnd.nextInt(catalog.size())).itemId());
        for (int k = 0; k < 6; k++) {
            SimulatedCatalog.Item item = catalog.item(rnd.nextInt(catalog.size()));
            p.getCategoryAffinity()
                    .put(item.categoryId(), Results.round(1 + rnd.nextDouble() * 20, 3));
            p.getBrandAffinity().put(item.brand(), Results.round(1 + rnd.nextDouble() * 10, 3));
        }
        p.setOrders(1 + rnd.nextInt(8));
        p.setSpend(Results.round(p.getOrders() * (20 + rnd.nextDouble() * 80), 2));
        p.setAverageOrderValue(Results.round(p.getSpend() / p.getOrders(), 2));
        p.setLifecycle("active");
        boolean priceSensitive = rnd.nextInt(5) == 0;
        p.setPriceSensitive(
                new ProfileDocument.Signal(
                        priceSensitive ? 0.7 : 0.1,
                        priceSensitive,
                        priceSensitive
                                ? new ArrayList<>(List.of("coupon_search"))
                                : new ArrayList<>(),
                        priceSensitive ? now : 0));
        return p;
    }

    /** A fixed, shuffled mix of requests: mostly known visitors, popular items more often. */
    private List<Ask> asks(SimulatedCatalog catalog, int port, String apiKey) {
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        List<Ask> asks = new ArrayList<>(1 << 16);
        for (int i = 0; i < 1 << 16; i++) {
            String visitor =
                    rnd.nextDouble() < unknownShare
                            ? "anon-new-" + i
                            : "cust-" + (1 + rnd.nextInt(visitors));
            int index = (int) (catalog.size() * Math.pow(rnd.nextDouble(), 2));
            String item = catalog.item(index).itemId();
            URI uri =
                    URI.create(
                            "http://127.0.0.1:"
                                    + port
                                    + "/v1/recommendations?customer="
                                    + visitor
                                    + "&context=product&item="
                                    + item
                                    + "&n="
                                    + n);
            // The keys the API's store reads in its one MGET for this request (product context, no
            // category).
            String[] keys = {
                RedisKeys.recommendations(visitor),
                RedisKeys.profile(visitor),
                RedisKeys.similarItems(item),
                RedisKeys.boughtTogether(item),
                RedisKeys.trending()
            };
            asks.add(new Ask(visitor, item, uri, KeepAliveHttp.request(uri, apiKey), keys));
        }
        return asks;
    }

    @FunctionalInterface
    interface Probe {
        /** Performs one request; returns the bytes received. */
        int call(Ask ask) throws Exception;
    }

    /** Counts and latencies of one run. */
    static final class Run {
        final Histogram latency;
        final AtomicLong errors = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> firstError =
                new java.util.concurrent.atomic.AtomicReference<>();
        long requests;
        long bytes;
        double seconds;

        Run(Histogram latency) {
            this.latency = latency;
        }

        void failed(Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, String.valueOf(e));
        }

        final long[] gcAtStart = Results.gcTotals();
        final double loadAtStart = Results.loadAverage();
        final long serverCpuAtStart = serverCpuNanos();
        final long serverAllocatedAtStart = serverAllocatedBytes();
        long serverAllocated;
        long gcCount;
        long gcMillis;
        double loadAtEnd;
        long serverCpuNanos;
        long clientCpuNanos;

        void finish(long startNanos) {
            seconds = (System.nanoTime() - startNanos) / 1e9;
            long[] gc = Results.gcTotals();
            gcCount = gc[0] - gcAtStart[0];
            gcMillis = gc[1] - gcAtStart[1];
            loadAtEnd = Results.loadAverage();
            serverCpuNanos = serverCpuNanos() - serverCpuAtStart;
            serverAllocated = serverAllocatedBytes() - serverAllocatedAtStart;
        }

        /** CPU time of one load thread, added when it ends. */
        synchronized void clientCpu(long nanos) {
            clientCpuNanos += nanos;
        }

        private double microsPerRequest(long nanos) {
            return requests == 0 ? 0 : Results.round(nanos / 1e3 / requests, 1);
        }

        double perSecond() {
            return requests / seconds;
        }

        synchronized void merge(Histogram h, long count, long received) {
            latency.add(h);
            requests += count;
            bytes += received;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", requests);
            m.put("seconds", Results.round(seconds, 2));
            m.put("perSecond", Math.round(perSecond()));
            m.put("errors", errors.get());
            if (firstError.get() != null) m.put("firstError", firstError.get());
            m.put("meanResponseBytes", requests == 0 ? 0 : bytes / requests);
            m.put("latency", Latency.summary(latency));
            m.put("serverCpuMicrosPerRequest", microsPerRequest(serverCpuNanos));
            m.put("clientCpuMicrosPerRequest", microsPerRequest(clientCpuNanos));
            m.put("serverAllocatedBytesPerRequest", requests == 0 ? 0 : serverAllocated / requests);
            m.put("gcCollections", gcCount);
            m.put("gcMillis", gcMillis);
            m.put("systemLoadAverageStartEnd", List.of(loadAtStart, loadAtEnd));
            return m;
        }
    }

    /**
     * A fixed-rate run, its service times (from the actual send) and every thread's CPU time at its
     * start and end (after the run's collection, so that is not counted).
     */
    record FixedRun(
            Run run,
            Histogram serviceTime,
            ThreadCpu.Snapshot threadsAtStart,
            ThreadCpu.Snapshot threadsAtEnd,
            List<Map<String, Object>> timeline) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * CPU time so far of the API's request threads (Jetty's pool, named {@code qtp...}): they
     * parse, read Redis, rank and answer. A thread that ended in between is not counted. CPU per
     * request is what contention distorts least: the rates of a busy machine are not the API's.
     */
    static long serverCpuNanos() {
        long total = 0;
        for (long id : serverThreads()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu > 0) total += cpu;
        }
        return total;
    }

    /**
     * Bytes allocated so far by the API's request threads: what a request costs the garbage
     * collector, the same however busy the machine.
     */
    static long serverAllocatedBytes() {
        if (!(THREADS instanceof com.sun.management.ThreadMXBean allocation)) return 0;
        long total = 0;
        for (long id : serverThreads()) {
            long bytes = allocation.getThreadAllocatedBytes(id);
            if (bytes > 0) total += bytes;
        }
        return total;
    }

    private static List<Long> serverThreads() {
        List<Long> ids = new ArrayList<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("qtp")) ids.add(info.getThreadId());
        }
        return ids;
    }

    /** One latency histogram per load thread, made before the run (see {@link #quiescedRun}). */
    private static Histogram[] histograms(int threads) {
        Histogram[] histograms = new Histogram[threads];
        for (int t = 0; t < threads; t++) histograms[t] = Latency.newHistogram();
        return histograms;
    }

    /**
     * A new run on a collected heap. The load threads' histograms (about 140 KB each, 4-9 MB a run)
     * live for the whole run: made inside it, every young collection of the run copied them again
     * from survivor space to survivor space (G1 logged 16-26 MB of survivors at 1.2 GB of eden),
     * which lengthened the pauses the API's requests wait in. Made before it and collected once
     * here, they are old before the first request, as the benchmark's other long-lived data (the
     * request mix, the earlier runs' results) is.
     */
    private static Run quiescedRun() {
        Histogram latency = Latency.newHistogram();
        System.gc();
        return new Run(latency);
    }

    /**
     * {@code concurrency} threads, each issuing its next request as soon as the previous one is
     * answered.
     */
    private Run closedLoop(Probe probe, List<Ask> asks, int seconds) throws InterruptedException {
        Histogram[] latencies = histograms(concurrency);
        Run run = quiescedRun();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (int t = 0; t < concurrency; t++) {
            int offset = t * (asks.size() / concurrency);
            Histogram h = latencies[t];
            Thread worker =
                    new Thread(
                            () -> {
                                long count = 0, bytes = 0;
                                int i = offset;
                                try {
                                    long now = System.nanoTime();
                                    while (now < end) {
                                        Ask ask = asks.get(i++ & (asks.size() - 1));
                                        try {
                                            bytes += probe.call(ask);
                                            long after = System.nanoTime();
                                            Latency.record(h, (after - now) / 1_000);
                                            count++;
                                            now = after;
                                        } catch (Exception e) {
                                            run.failed(e);
                                            now = System.nanoTime();
                                        }
                                    }
                                } finally {
                                    run.merge(h, count, bytes);
                                    run.clientCpu(THREADS.getCurrentThreadCpuTime());
                                    done.countDown();
                                }
                            },
                            "closed-loop-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        done.await();
        run.finish(start);
        return run;
    }

    /**
     * A fixed-rate run at {@code --rate} for {@code seconds} with the {@code --fixed-rate-client}.
     */
    private FixedRun fixedRun(int port, Probe apiProbe, List<Ask> asks, int seconds, long redisPid)
            throws Exception {
        return fixedRateClient.equals("nio")
                ? fixedRateNio(port, asks, rate, seconds, redisPid)
                : fixedRate(apiProbe, asks, rate, seconds, redisPid);
    }

    /**
     * {@code perSecond} requests/s over {@code concurrency} threads; thread {@code t} owns the
     * slots {@code t, t + concurrency, ...} of a global schedule. Latency counts from the scheduled
     * start, so a stall delays (and is charged to) every request queued behind it.
     */
    private FixedRun fixedRate(
            Probe probe, List<Ask> asks, int perSecond, int seconds, long redisPid)
            throws InterruptedException {
        Histogram service = Latency.newHistogram();
        Histogram[] latencies = histograms(concurrency);
        Histogram[] services = histograms(concurrency);
        Run run = quiescedRun();
        ThreadCpu.Snapshot threadsAtStart = ThreadCpu.take(redisPid, "redis-server");
        CountDownLatch done = new CountDownLatch(concurrency);
        // The load threads stay until the end snapshot is taken: a thread that ended is no longer
        // in /proc, and its CPU would be missing from it.
        CountDownLatch measured = new CountDownLatch(1);
        long intervalNanos = 1_000_000_000L / perSecond;
        long total = (long) perSecond * seconds;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int t = 0; t < concurrency; t++) {
            int thread = t;
            Histogram h = latencies[t];
            Histogram s = services[t];
            Thread worker =
                    new Thread(
                            () -> {
                                long count = 0, bytes = 0;
                                try {
                                    for (long slot = thread; slot < total; slot += concurrency) {
                                        long scheduled = start + slot * intervalNanos;
                                        long wait;
                                        while ((wait = scheduled - System.nanoTime()) > 0) {
                                            LockSupport.parkNanos(wait);
                                        }
                                        long sent = System.nanoTime();
                                        Ask ask = asks.get((int) (slot & (asks.size() - 1)));
                                        try {
                                            bytes += probe.call(ask);
                                            long after = System.nanoTime();
                                            Latency.record(h, (after - scheduled) / 1_000);
                                            Latency.record(s, (after - sent) / 1_000);
                                            count++;
                                        } catch (Exception e) {
                                            run.failed(e);
                                        }
                                    }
                                } finally {
                                    run.merge(h, count, bytes);
                                    run.clientCpu(THREADS.getCurrentThreadCpuTime());
                                    synchronized (service) {
                                        service.add(s);
                                    }
                                    done.countDown();
                                    awaitQuietly(measured);
                                }
                            },
                            "fixed-rate-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        done.await();
        run.finish(start);
        ThreadCpu.Snapshot threadsAtEnd = ThreadCpu.take(redisPid, "redis-server");
        measured.countDown();
        return new FixedRun(run, service, threadsAtStart, threadsAtEnd, null);
    }

    /**
     * The same schedule as {@link #fixedRate}, sent by {@link FixedRateHttp}: one sender and one
     * receiver thread over {@code concurrency} kept-alive connections, so the client's own CPU does
     * not crowd the API out of the 2 cores it is measured on.
     */
    private FixedRun fixedRateNio(
            int port, List<Ask> asks, int perSecond, int seconds, long redisPid) throws Exception {
        Histogram latency = Latency.newHistogram();
        Histogram service = Latency.newHistogram();
        long total = (long) perSecond * seconds;
        // Each request's latency by its place in the schedule (-1 unanswered), for the timeline;
        // made before the run's collection, so it is old before the first request.
        long[] byRequest = new long[(int) total];
        java.util.Arrays.fill(byRequest, -1);
        Run run = quiescedRun();
        ThreadCpu.Snapshot threadsAtStart = ThreadCpu.take(redisPid, "redis-server");
        CountDownLatch measured = new CountDownLatch(1);
        AtomicLong clientCpu = new AtomicLong();
        long[] counts = new long[2];
        long intervalNanos = 1_000_000_000L / perSecond;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        FixedRateHttp.Sink sink =
                new FixedRateHttp.Sink() {
                    @Override
                    public void answered(long scheduled, long sent, long done, int bodyBytes) {
                        Latency.record(latency, (done - scheduled) / 1_000);
                        int slot = (int) ((scheduled - start) / intervalNanos);
                        if (slot >= 0 && slot < byRequest.length)
                            byRequest[slot] = (done - scheduled) / 1_000;
                        Latency.record(service, (done - sent) / 1_000);
                        counts[0]++;
                        counts[1] += bodyBytes;
                    }

                    @Override
                    public void failed(Exception e) {
                        run.failed(e);
                    }
                };
        new FixedRateHttp("127.0.0.1", port, concurrency, 5_000)
                .run(
                        FixedRateHttp.cycling(asks),
                        total,
                        start,
                        intervalNanos,
                        sink,
                        clientCpu,
                        measured);
        run.finish(start);
        ThreadCpu.Snapshot threadsAtEnd = ThreadCpu.take(redisPid, "redis-server");
        measured.countDown();
        // counts were written by the receiver thread, which ended before run() returned
        run.merge(latency, counts[0], counts[1]);
        run.clientCpu(clientCpu.get());
        return new FixedRun(
                run, service, threadsAtStart, threadsAtEnd, timeline(byRequest, perSecond));
    }

    /**
     * Per second of the schedule (by each request's scheduled start): requests answered, p99 and
     * max latency in ms, so a stall shows when it happened (and whether it was one or many).
     */
    static List<Map<String, Object>> timeline(long[] byRequest, int perSecond) {
        List<Map<String, Object>> seconds = new ArrayList<>();
        for (int from = 0; from < byRequest.length; from += perSecond) {
            int to = Math.min(byRequest.length, from + perSecond);
            long[] answered = new long[to - from];
            int n = 0;
            for (int i = from; i < to; i++) if (byRequest[i] >= 0) answered[n++] = byRequest[i];
            java.util.Arrays.sort(answered, 0, n);
            Map<String, Object> second = new LinkedHashMap<>();
            second.put("second", from / perSecond);
            second.put("requests", n);
            second.put(
                    "p99Ms",
                    n == 0 ? 0 : Results.round(answered[(int) Math.ceil(n * 0.99) - 1] / 1e3, 3));
            second.put("maxMs", n == 0 ? 0 : Results.round(answered[n - 1] / 1e3, 3));
            seconds.add(second);
        }
        return seconds;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** redis-server's process id, from {@code INFO server}; -1 when it cannot tell. */
    private static long redisPid(JedisPooled redis) {
        try {
            return RedisMemory.infoField(redis, "server", "process_id");
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The share of the CPU of the groups whose name starts with {@code prefix}. */
    @SuppressWarnings("unchecked")
    private static double shareOf(Map<String, Object> byThread, String prefix) {
        double share = 0;
        for (Map<String, Object> g : (List<Map<String, Object>>) byThread.get("groups"))
            if (((String) g.get("group")).startsWith(prefix)) share += (Double) g.get("share");
        return Results.round(share, 3);
    }

    /** The largest thread groups of a {@link ThreadCpu#report} per request, one line each. */
    @SuppressWarnings("unchecked")
    private static void printThreads(Map<String, Object> byThread, int lines) {
        System.err.printf(
                "  CPU by thread: %s cores busy, %s us per request%n",
                byThread.get("coresUsed"), byThread.get("totalMicrosPerRequest"));
        List<Map<String, Object>> groups = (List<Map<String, Object>>) byThread.get("groups");
        for (Map<String, Object> g : groups.subList(0, Math.min(lines, groups.size()))) {
            System.err.printf(
                    "  %5.1f%%  %7s us/request  %s%n",
                    100 * (Double) g.get("share"), g.get("microsPerRequest"), g.get("group"));
        }
    }

    private static JedisPooled pooled(EmbeddedRedis redis, int concurrency) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(concurrency + 4);
        pool.setMaxIdle(concurrency + 4);
        pool.setJmxEnabled(false);
        return new JedisPooled(pool, redis.host(), redis.port());
    }

    private static void printSummary(Map<String, Object> s, Path file) {
        System.out.println();
        System.out.println("API benchmark");
        System.out.printf(
                "  API  GET /v1/recommendations : %,d requests/s (p50 %s ms, p99 %s ms, p99.9 %s ms)%n",
                (Long) s.get("apiRequestsPerSecond"),
                s.get("closedLoopP50Ms"),
                s.get("closedLoopP99Ms"),
                s.get("closedLoopP999Ms"));
        System.out.printf(
                "  Redis same MGET, same threads: %,d reads/s%n",
                (Long) s.get("redisSameReadsPerSecond"));
        System.out.printf(
                "  ratio API / Redis            : %.3f   (target >= 0.5)%n",
                (Double) s.get("ratioApiToRedis"));
        System.out.printf(
                "  per request                  : API's request threads %s us CPU, %,d B allocated; load threads %s us CPU (API, Redis)%n",
                s.get("apiServerCpuMicrosPerRequest"),
                (Long) s.get("apiServerAllocatedBytesPerRequest"),
                s.get("clientCpuMicrosPerRequestApiRedis"));
        if (s.get("httpFloorRequestsPerSecond") != null)
            System.out.printf(
                    "  HTTP floor (Jetty + Javalin, a fixed answer): %,d requests/s, %s us CPU, %,d B allocated per request; API / floor %.3f%n",
                    (Long) s.get("httpFloorRequestsPerSecond"),
                    s.get("httpFloorServerCpuMicrosPerRequest"),
                    (Long) s.get("httpFloorServerAllocatedBytesPerRequest"),
                    (Double) s.get("ratioApiToHttpFloor"));
        System.out.printf(
                "  at %,d requests/s            : p99 %s ms, p99.9 %s ms   (target p99 <= 2 ms, p99.9 <= 10 ms; achieved %,d/s)%n",
                (Integer) s.get("fixedRatePerSecond"),
                s.get("fixedRateP99Ms"),
                s.get("fixedRateP999Ms"),
                (Long) s.get("fixedRateAchievedPerSecond"));
        System.out.printf(
                "  at that rate the machine spent : %s cores (of %d), the load threads (the client) %.0f%% of it%n",
                s.get("fixedRateCoresUsed"),
                Runtime.getRuntime().availableProcessors(),
                100 * (Double) s.get("fixedRateClientShareOfCpu"));
        System.out.printf(
                "  errors: %s; system load average up to %s on %d cores (above the core count, other work competed)%n",
                s.get("errors"),
                s.get("systemLoadAverageMax"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("  results: " + file);
    }
}
