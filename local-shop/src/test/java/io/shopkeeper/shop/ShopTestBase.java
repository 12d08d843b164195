package io.shopkeeper.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.jobs.testing.ShopEvents;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RecommendationListCodec;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.schemas.ShopEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.JedisPooled;

/**
 * The whole product for an IT: the job on a MiniCluster (parallelism 2) between a real in-process
 * Kafka broker and a real Redis server, and the API on top. Subclasses send events and read Redis
 * or the API, waiting on conditions with a deadline.
 */
public abstract class ShopTestBase {
    protected static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** The job's parallelism in these tests. */
    protected static final int PARALLELISM = 2;

    /** Event age accepted in these tests: the fixed dates of recorded scenarios pass. */
    protected static final Duration RECORDED_HISTORY = Duration.ofDays(100 * 365);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    protected static LocalShop shop;
    protected static JedisPooled redis;
    protected static KafkaProducer<String, byte[]> producer;
    protected static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startProduct() throws Exception {
        // The scenarios are stamped from a fixed instant (ShopEvents.T0): accept them whatever
        // today's date.
        shop = LocalShop.builder().eventMaxAge(RECORDED_HISTORY).start();
        redis = shop.redis().newClient();
        producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        shop.kafka().bootstrapServers(),
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                        ByteArraySerializer.class));
        JobConfig config =
                shop.jobConfig()
                        .parallelism(PARALLELISM)
                        .checkpointInterval(Duration.ofSeconds(2))
                        .sourceIdleness(Duration.ofMillis(500))
                        .maxOutOfOrderness(Duration.ofSeconds(1))
                        .trending(Duration.ofSeconds(60), Duration.ofSeconds(30))
                        .similarPublishInterval(Duration.ofMillis(100))
                        .similarRefreshInterval(Duration.ofMillis(100))
                        .build();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PersonalizationJob.clusterConfiguration(config));
        env.setParallelism(PARALLELISM);
        shop.startJob(config, env);
        shop.startApi(0);
    }

    @AfterAll
    static void stopProduct() {
        if (producer != null) producer.close();
        if (redis != null) redis.close();
        if (shop != null) shop.close();
    }

    protected static void send(ShopEvent event) {
        try {
            producer.send(
                            new ProducerRecord<>(
                                    event.topic(), event.partitionKey(), EventCodec.encode(event)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce " + event, e);
        }
    }

    /**
     * Waits until live campaigns have reached every parallel instance of the job's decision
     * operator. Campaigns travel on their own topic, so events sent before a definition arrives
     * would find no campaign. Needs a live {@code left_at_price} campaign: a canary visitor keyed
     * to each instance looks at a product and leaves (events stamped {@code at}), again about every
     * second, until each canary has a recorded decision.
     */
    protected static void awaitCampaignsLiveInEveryDecisionSubtask(Instant at) {
        List<String> canaries = new ArrayList<>();
        for (int subtask = 0; subtask < PARALLELISM; subtask++) {
            for (int i = 0; ; i++) {
                String v = "cust-canary-" + i;
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                        v,
                                        KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
                                        PARALLELISM)
                                == subtask
                        && !canaries.contains(v)) {
                    canaries.add(v);
                    break;
                }
            }
        }
        int[] round = {0};
        AwaitValue.until(
                "a decision about a canary on every decision subtask",
                TIMEOUT,
                () -> {
                    round[0]++;
                    boolean all = true;
                    for (String v : canaries) {
                        if (getJson("/v1/customers/" + v + "/offers/history")
                                        .path("decisions")
                                        .size()
                                > 0) continue;
                        all = false;
                        if (round[0] % 20 != 1) continue; // a new attempt about every second
                        String session = "s-" + v + "-" + round[0];
                        send(ShopEvents.viewed(v, session, "c-item", "canary", at));
                        send(ShopEvents.pageLeft(v, session, at.plusSeconds(1)));
                    }
                    return all ? true : null;
                });
    }

    protected static String apiUrl(String path) {
        return "http://localhost:" + shop.api().port() + path;
    }

    /** A request to the API with the admin key, which every route accepts. */
    protected static HttpResponse<String> request(String method, String path, String body) {
        try {
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(URI.create(apiUrl(path)))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + shop.api().access().adminKey());
            builder.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** GET expecting 200, parsed. */
    protected static JsonNode getJson(String path) {
        HttpResponse<String> response = request("GET", path, null);
        assertThat(response.statusCode())
                .as("GET " + path + " -> " + response.body())
                .isEqualTo(200);
        return readTree(response.body());
    }

    /** GET, parsed when 200, {@code null} otherwise (for waiting until something exists). */
    protected static JsonNode getJsonIfPresent(String path) {
        HttpResponse<String> response = request("GET", path, null);
        return response.statusCode() == 200 ? readTree(response.body()) : null;
    }

    protected static JsonNode readTree(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("unreadable JSON: " + json, e);
        }
    }

    protected static RecommendationList awaitList(
            String key, Predicate<RecommendationList> condition) {
        return AwaitValue.until(
                "list at " + key + " matching the expectation",
                TIMEOUT,
                () -> {
                    String json = redis.get(key);
                    if (json == null) return null;
                    RecommendationList list = read(json);
                    return condition.test(list) ? list : null;
                });
    }

    protected static RecommendationList read(String json) {
        try {
            return RecommendationListCodec.decode(json);
        } catch (IOException e) {
            throw new AssertionError("unreadable list: " + json, e);
        }
    }

    protected static List<String> itemIds(RecommendationList list) {
        return list.getItems().stream().map(ScoredItem::getItemId).toList();
    }
}
