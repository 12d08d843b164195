package io.shopkeeper.launcher;

import io.shopkeeper.api.ApiServer;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.launcher.simulator.OfferResponses;
import io.shopkeeper.launcher.simulator.SimulatorConfig;
import io.shopkeeper.launcher.simulator.StorefrontSimulator;
import io.shopkeeper.launcher.simulator.TrafficPublisher;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.shop.LocalShop;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import sun.misc.Signal;

/**
 * {@code shopkeeper quickstart}: the whole product in one process on real components: a KRaft Kafka
 * broker, a redis-server, the personalization job on a Flink MiniCluster (with its web UI), the
 * API, and a storefront simulator sending realistic sessions. Everything is kept in the data
 * folder: Ctrl-C stops the job with a savepoint, then everything else in reverse order, and the
 * next start resumes from it (or from the last retained checkpoint after a crash) with the same
 * Kafka offsets. "ready" is printed once {@code /health} says Redis, Kafka and the job are all up.
 */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description =
                "Start Kafka, Redis, the Flink job, the API and simulated storefront traffic in one process.")
public final class QuickStartCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(QuickStartCommand.class);

    @Option(
            names = "--data-dir",
            defaultValue = ".shopkeeper-data",
            description =
                    "Folder for the Kafka log, Redis data, Flink checkpoints and savepoints, kept across restarts (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--wipe", description = "Delete the data folder before starting.")
    private boolean wipe;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description = "Simulated events per second (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(
            names = "--customers",
            defaultValue = "500",
            description = "Simulated customers (default: ${DEFAULT-VALUE}).")
    private int customers;

    @Option(
            names = "--items",
            defaultValue = "3000",
            description = "SimulatedCatalog size (default: ${DEFAULT-VALUE}).")
    private int items;

    @Option(
            names = "--no-traffic",
            description = "Do not simulate storefront traffic; only what you post arrives.")
    private boolean noTraffic;

    @Option(
            names = "--api-port",
            defaultValue = "7070",
            description = "API port (default: ${DEFAULT-VALUE}).")
    private int apiPort;

    @Option(
            names = "--redis-port",
            defaultValue = "6379",
            description = "Redis port (default: ${DEFAULT-VALUE}).")
    private int redisPort;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Kafka port (default: ${DEFAULT-VALUE}).")
    private int kafkaPort;

    @Option(
            names = "--flink-ui-port",
            defaultValue = "8081",
            description = "Flink web UI port (default: ${DEFAULT-VALUE}).")
    private int flinkUiPort;

    private LocalShop shop;
    private TrafficPublisher traffic;
    private OfferResponses offerResponses;

    @Override
    public Integer call() throws Exception {
        if (wipe) LocalShop.deleteRecursively(dataDir);
        // Ctrl-C (or a TERM) asks for an orderly stop on this thread: the job's savepoint needs the
        // MiniCluster intact, which JVM shutdown hooks would already be tearing down.
        CountDownLatch stopRequested = new CountDownLatch(1);
        for (String signal : List.of("INT", "TERM")) {
            Signal.handle(new Signal(signal), s -> stopRequested.countDown());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "shopkeeper-shutdown"));
        long startedAt = System.nanoTime();
        try {
            start();
        } catch (Exception e) {
            LOG.error("Quick start failed: {}", e.getMessage(), e);
            stopAll();
            return 1;
        }
        announceReady(startedAt);
        stopRequested.await();
        System.out.println(
                "\nStopping: the job takes a savepoint in "
                        + dataDir.resolve("savepoints").toAbsolutePath()
                        + ", then everything stops...");
        stopAll();
        System.out.println("Stopped. `./shopkeeper quickstart` resumes where it stopped.");
        return 0;
    }

    /** Prints "ready" once {@code /health} answers 200: Redis, Kafka and the job are all up. */
    private void announceReady(long startedAt) {
        Thread watcher =
                new Thread(
                        () -> {
                            HttpClient http = HttpClient.newHttpClient();
                            HttpRequest health =
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://localhost:"
                                                                    + apiPort
                                                                    + "/health"))
                                            .timeout(Duration.ofSeconds(2))
                                            .build();
                            while (true) {
                                try {
                                    if (http.send(health, HttpResponse.BodyHandlers.discarding())
                                                    .statusCode()
                                            == 200) {
                                        System.out.printf(
                                                " Shopkeeper is ready (Redis, Kafka and the job are up) after %.1f s%s%n",
                                                (System.nanoTime() - startedAt) / 1e9,
                                                shop != null && shop.resumedFrom() != null
                                                        ? "; resumed from " + shop.resumedFrom()
                                                        : "");
                                        return;
                                    }
                                } catch (IOException e) {
                                    LOG.debug("not ready: {}", e.toString());
                                } catch (InterruptedException e) {
                                    return;
                                }
                                LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
                            }
                        },
                        "ready-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private synchronized void start() throws Exception {
        shop =
                LocalShop.builder()
                        .dataDir(dataDir)
                        .redisPort(redisPort)
                        .kafkaPort(kafkaPort)
                        .durable()
                        .start();
        JobConfig jobConfig = LocalJobSettings.apply(shop.jobConfig()).build();
        Configuration flinkConf = PersonalizationJob.localConfiguration(jobConfig);
        flinkConf.set(RestOptions.PORT, flinkUiPort);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flinkConf);
        env.setParallelism(jobConfig.parallelism());
        shop.startJob(jobConfig, env);
        ApiServer api =
                shop.startApi(apiPort, QuickStartKeys.loadOrCreate(dataDir, System.getenv()));

        SimulatorConfig simConfig =
                SimulatorConfig.defaults()
                        .withCustomers(customers)
                        .withItems(items)
                        .withEventsPerSecond(rate);
        if (!noTraffic) {
            traffic =
                    new TrafficPublisher(
                                    shop.kafka().bootstrapServers(),
                                    new StorefrontSimulator(simConfig),
                                    rate)
                            .start();
        }
        defineExampleCampaigns(api.port(), api.access().adminKey());
        if (!noTraffic) {
            offerResponses =
                    new OfferResponses(
                                    shop.redis().newClient(),
                                    shop.kafka().bootstrapServers(),
                                    Duration.ofSeconds(2))
                            .start();
        }
        printWelcome(shop.kafka(), shop.redis(), api.port(), api.access());
        if (!noTraffic) announceFirstPersonalizedCustomer(shop.redis(), api.port());
    }

    /**
     * Tells the user which simulated customer to ask about, once the job has written their first
     * list.
     */
    private void announceFirstPersonalizedCustomer(EmbeddedRedis redis, int port) {
        Thread watcher =
                new Thread(
                        () -> {
                            try (JedisPooled client = redis.newClient()) {
                                ScanParams match =
                                        new ScanParams()
                                                .match(RedisKeys.recommendations("cust-*"))
                                                .count(1000);
                                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                                while (System.nanoTime() < deadline) {
                                    List<String> keys =
                                            client.scan(ScanParams.SCAN_POINTER_START, match)
                                                    .getResult();
                                    if (!keys.isEmpty()) {
                                        String customer =
                                                keys.get(0)
                                                        .substring(
                                                                RedisKeys.recommendations("")
                                                                        .length());
                                        System.out.printf(
                                                "%n First personalized recommendations are in Redis. Try:%n"
                                                        + "   curl -H \"Authorization: Bearer $SK_STORE\" 'http://localhost:%d/v1/recommendations?customer=%s&context=home&n=5'%n"
                                                        + "   curl -H \"Authorization: Bearer $SK_ADMIN\" 'http://localhost:%d/v1/customers/%s/profile'%n%n",
                                                port, customer, port, customer);
                                        return;
                                    }
                                    LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
                                }
                            } catch (RuntimeException e) {
                                LOG.debug("watcher stopped: {}", e.getMessage());
                            }
                        },
                        "first-recommendations-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The example campaigns, live; one already stored (a resumed run, or edited) is left alone. */
    public static final List<String> EXAMPLE_CAMPAIGNS = List.of("bargain-coupon", "cart-reminder");

    /**
     * Defines the example campaigns through the API on {@code port} (also used by the pipeline
     * benchmark, so it measures the job with campaigns live); returns how many are live (created
     * now or already stored).
     */
    public static int defineExampleCampaigns(int port, String adminKey) {
        HttpClient http = HttpClient.newHttpClient();
        int live = 0;
        for (String id : EXAMPLE_CAMPAIGNS) {
            try (InputStream in =
                    QuickStartCommand.class.getResourceAsStream("/campaigns/" + id + ".json")) {
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://localhost:"
                                                                + port
                                                                + "/v1/campaigns"))
                                        .header("Authorization", "Bearer " + adminKey)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(json))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 201 && r.statusCode() != 409)
                    LOG.warn("example campaign {} not created: {}", id, r.body());
                else live++;
            } catch (Exception e) {
                LOG.warn("example campaign {} not created: {}", id, e.toString());
            }
        }
        return live;
    }

    /** The traffic first, then the shop in reverse start order. */
    private synchronized void stopAll() {
        if (offerResponses != null) {
            offerResponses.close();
            offerResponses = null;
        }
        if (traffic != null) {
            try {
                traffic.close();
            } catch (Exception e) {
                LOG.warn("while stopping the traffic: {}", e.getMessage());
            }
            traffic = null;
        }
        if (shop != null) shop.close();
        shop = null;
    }

    private void printWelcome(
            EmbeddedKafka kafka, EmbeddedRedis redis, int port, AccessSettings access) {
        String api = "http://localhost:" + port;
        System.out.printf(
                """

                ==================================================================
                 Shopkeeper is starting (Ctrl-C stops everything; "ready" follows)
                ==================================================================
                 API            %s   (health: %s/health, metrics: %s/metrics)
                 Flink web UI   http://localhost:%d
                 Kafka          %s   (topics: %s)
                 Redis          %s:%d
                 Data folder    %s   (Kafka's log, Redis, checkpoints, savepoints; --wipe clears it)
                 Traffic        %s

                 Console        %s/console/#key=%s
                 Demo shop      %s/demo/   (click around: recommendations and offers react)

                 API keys       (kept in %s; --wipe makes new ones)
                   export SK_STORE=%s   # storefront: events, recommendations; goes in pages
                   export SK_ADMIN=%s   # admin: profiles, segments, deletion; keep it secret

                 Try (give the job ~20 s to see the first sessions):
                   curl -H "Authorization: Bearer $SK_STORE" '%s/v1/recommendations?customer=cust-1&context=home&n=5'
                   curl -H "Authorization: Bearer $SK_STORE" '%s/v1/recommendations?customer=someone-new&context=home&n=5'
                   curl -H "Authorization: Bearer $SK_ADMIN" '%s/v1/customers/cust-1/profile'
                 Post an event for a new visitor, then ask for their recommendations:
                   curl -X POST %s/v1/events -H "Authorization: Bearer $SK_STORE" -H 'Content-Type: application/json' -d '{"eventId":"demo-1","type":"product_view","timestamp":"'$(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)'","sessionId":"demo-s","anonymousId":"anon-demo","itemId":"i1"}'
                   curl -H "Authorization: Bearer $SK_STORE" '%s/v1/recommendations?customer=anon-demo&context=product&item=i1&n=5'
                ==================================================================
                %n""",
                api,
                api,
                api,
                flinkUiPort,
                kafka.bootstrapServers(),
                String.join(", ", Topics.ALL),
                redis.host(),
                redis.port(),
                dataDir.toAbsolutePath(),
                noTraffic
                        ? "off"
                        : String.format(
                                "%.0f events/s from %d customers over %d items",
                                rate, customers, items),
                api,
                access.adminKey(),
                api,
                dataDir.resolve(QuickStartKeys.FILE).toAbsolutePath(),
                access.storefrontKey(),
                access.adminKey(),
                api,
                api,
                api,
                api,
                api);
    }
}
