package io.shopkeeper.shop;

import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.itemUpdate;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageView;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.jobs.testing.AwaitValue;
import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import io.shopkeeper.schemas.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The whole job on a MiniCluster (parallelism 2) between a real in-process Kafka broker and a real
 * Redis server: events in, profiles, similar items, recommendations and trending out; poison
 * records to the dead-letter topic while the good events around them still arrive.
 */
class PersonalizationJobIT extends ShopTestBase {
    @Test
    void sessionsTeachSimilarItemsAndANewVisitorGetsRecommendationsFromTheItemTheyView() {
        // Five shoppers browse i1 -> i2 -> i3 in the same category: the model learns i1 is followed
        // by i2 and i3.
        for (int v = 1; v <= 5; v++) {
            String visitor = "anon-teacher-" + v;
            String session = "s-teacher-" + v;
            send(viewed(visitor, session, "i1", "c1", seconds(v)));
            send(viewed(visitor, session, "i2", "c1", seconds(v + 10)));
            send(carted(visitor, session, "i3", "c1", seconds(v + 20)));
        }
        RecommendationList similar =
                awaitList(
                        RedisKeys.similarItems("i1"),
                        list -> itemIds(list).containsAll(List.of("i2", "i3")));
        assertThat(similar.getItems().get(0).getReason()).isEqualTo("similar_to:i1");

        send(viewed("anon-newcomer", "s-new", "i1", "c1", seconds(60)));

        RecommendationList recs =
                awaitList(
                        RedisKeys.recommendations("anon-newcomer"),
                        list -> itemIds(list).contains("i2"));
        assertThat(itemIds(recs)).contains("i2", "i3");
        assertThat(recs.getItems())
                .extracting(ScoredItem::getReason)
                .allMatch(r -> r != null && !r.isBlank());
        String profile =
                AwaitValue.until(
                        "newcomer profile",
                        TIMEOUT,
                        () -> redis.get(RedisKeys.profile("anon-newcomer")));
        assertThat(profile).contains("\"recentViews\":[\"i1\"]");

        JsonNode served = getJson("/v1/recommendations?customer=anon-newcomer&context=home&n=5");
        assertThat(served.get("strategy").asText()).contains("personalized");
        assertThat(served.get("items").findValuesAsText("itemId")).contains("i2", "i3");
        assertThat(
                        getJson("/v1/customers/anon-newcomer/profile")
                                .get("recentViews")
                                .get(0)
                                .asText())
                .isEqualTo("i1");
    }

    @Test
    void anEventPostedToTheApiForANewAnonymousVisitorChangesWhatTheApiRecommendsToThem()
            throws Exception {
        for (int v = 1; v <= 3; v++) {
            send(viewed("anon-api-teacher-" + v, "s-api-" + v, "q1", "c5", seconds(400 + v)));
            send(viewed("anon-api-teacher-" + v, "s-api-" + v, "q2", "c5", seconds(410 + v)));
        }
        awaitList(RedisKeys.similarItems("q1"), list -> itemIds(list).contains("q2"));
        assertThat(
                        getJson("/v1/recommendations?customer=anon-api-new&context=home&n=5")
                                .get("strategy")
                                .asText())
                .doesNotContain("personalized");

        String event =
                EventCodec.encodeToString(
                        viewed("anon-api-new", "s-api-new", "q1", "c5", seconds(420)));
        HttpResponse<String> posted = request("POST", "/v1/events", event);
        assertThat(posted.statusCode()).isEqualTo(202);

        JsonNode served =
                AwaitValue.until(
                        "personalized answer for the posted visitor",
                        TIMEOUT,
                        () -> {
                            JsonNode answer =
                                    getJson(
                                            "/v1/recommendations?customer=anon-api-new&context=home&n=5");
                            return answer.get("strategy").asText().contains("personalized")
                                    ? answer
                                    : null;
                        });
        assertThat(served.get("items").findValuesAsText("itemId")).contains("q2");
    }

    @Test
    void boughtItemsAreNotRecommendedAgain() {
        for (int v = 1; v <= 3; v++) {
            send(viewed("anon-t2-" + v, "s-t2-" + v, "k1", "c2", seconds(100 + v)));
            send(viewed("anon-t2-" + v, "s-t2-" + v, "k2", "c2", seconds(110 + v)));
            send(viewed("anon-t2-" + v, "s-t2-" + v, "k3", "c2", seconds(120 + v)));
        }
        awaitList(
                RedisKeys.similarItems("k1"),
                list -> itemIds(list).containsAll(List.of("k2", "k3")));

        send(ordered("cust-buyer", "s-buyer", "o-1", seconds(130), line("k2", "c2", 1, 20.0)));
        send(viewed("cust-buyer", "s-buyer", "k1", "c2", seconds(131)));

        // The order and the view travel on different topics: whichever the job sees last, the list
        // ends without k2.
        RecommendationList recs =
                awaitList(
                        RedisKeys.recommendations("cust-buyer"),
                        list -> itemIds(list).contains("k3") && !itemIds(list).contains("k2"));
        assertThat(recs.getItems()).allMatch(item -> !item.getItemId().equals("k2"));
    }

    @Test
    void itemsBoughtInTheSameOrdersAreFrequentlyBoughtTogether() {
        send(
                ordered(
                        "cust-basket-1",
                        "s-b1",
                        "o-b1",
                        seconds(600),
                        line("pasta", "food", 1, 2.0),
                        line("sauce", "food", 1, 3.0)));
        send(
                ordered(
                        "cust-basket-2",
                        "s-b2",
                        "o-b2",
                        seconds(610),
                        line("pasta", "food", 2, 2.0),
                        line("sauce", "food", 1, 3.0),
                        line("cheese", "food", 1, 4.0)));

        // The two orders are different customers' records, so they may reach the job in either
        // order: wait for the list that counts both (sauce twice as often as cheese; with only the
        // second order counted they tie at 1.0), then check the ranking.
        RecommendationList together =
                awaitList(
                        RedisKeys.boughtTogether("pasta"),
                        list ->
                                itemIds(list).containsAll(List.of("sauce", "cheese"))
                                        && scoreOf(list, "cheese") < 1.0);
        assertThat(together.getItems().get(0).getItemId()).isEqualTo("sauce");
        assertThat(together.getItems().get(0).getScore()).isEqualTo(1.0);
        assertThat(together.getItems().get(0).getReason()).isEqualTo("bought_together:pasta");
        assertThat(scoreOf(together, "cheese")).isCloseTo(0.5, within(0.01));
    }

    @Test
    void poisonRecordsGoToDeadLettersWithTheirReasonAndTheGoodEventsAroundThemStillArrive()
            throws Exception {
        send(viewed("anon-poison-before", "s-p1", "p1", "c3", seconds(200)));
        producer.send(
                        new ProducerRecord<>(
                                Topics.CLICKSTREAM,
                                "x",
                                "{not json".getBytes(StandardCharsets.UTF_8)))
                .get();
        producer.send(
                        new ProducerRecord<>(
                                Topics.CLICKSTREAM,
                                "x",
                                "{\"eventId\":\"bad-1\",\"type\":\"product_view\",\"timestamp\":\"2026-11-02T09:00:00Z\",\"sessionId\":\"s\",\"anonymousId\":\"anon-x\"}"
                                        .getBytes(StandardCharsets.UTF_8)))
                .get();
        send(viewed("anon-poison-after", "s-p2", "p2", "c3", seconds(201)));

        List<DeadLetter> deadLetters = readDeadLetters(2);
        assertThat(deadLetters)
                .extracting(DeadLetter::getReason)
                .anyMatch(reason -> reason.startsWith("malformed JSON"))
                .anyMatch(reason -> reason.equals("itemId is required"));
        assertThat(deadLetters)
                .extracting(DeadLetter::getSourceTopic)
                .containsOnly(Topics.CLICKSTREAM);
        assertThat(deadLetters).extracting(DeadLetter::getPayload).contains("{not json");

        AwaitValue.until(
                "profile written after the poison records",
                TIMEOUT,
                () -> redis.get(RedisKeys.profile("anon-poison-after")));
        assertThat(redis.get(RedisKeys.profile("anon-poison-before"))).isNotNull();
        assertThat(shop.job().getJobStatus().get().isGloballyTerminalState()).isFalse();
    }

    @Test
    void catalogUpdatesAreStoredAndTrendingListsAppearOnceEventTimeMovesOn() {
        send(itemUpdate("t1", "c9", 9.99, false, seconds(300)));
        for (int v = 0; v < 4; v++)
            send(viewed("anon-trend-" + v, "s-tr-" + v, "t1", "c9", seconds(300 + v)));
        send(viewed("anon-trend-x", "s-tr-x", "t2", "c9", seconds(305)));
        // The views are in (their visitors' profiles exist) before later traffic moves event time
        // past the end of their windows: sent together, the later events' partition could be read
        // first, and the views would then be late for their windows.
        for (String visitor :
                List.of(
                        "anon-trend-0",
                        "anon-trend-1",
                        "anon-trend-2",
                        "anon-trend-3",
                        "anon-trend-x"))
            AwaitValue.until(
                    visitor + "'s profile", TIMEOUT, () -> redis.get(RedisKeys.profile(visitor)));
        send(pageView("anon-clock", "s-clock", "home", seconds(500)));
        send(pageView("anon-clock", "s-clock", "home", seconds(520)));

        String item =
                AwaitValue.until(
                        "catalog facts of t1", TIMEOUT, () -> redis.get(RedisKeys.item("t1")));
        assertThat(item).contains("\"inStock\":false");
        assertThat(redis.hget(RedisKeys.CATALOG, "t1")).contains("\"inStock\":false");
        assertThat(redis.xrange(RedisKeys.CATALOG_CHANGES, "-", "+"))
                .anyMatch(entry -> "t1".equals(entry.getFields().get("item")));
        RecommendationList trending =
                awaitList(RedisKeys.trendingInCategory("c9"), list -> itemIds(list).contains("t1"));
        assertThat(trending.getItems().get(0).getItemId()).isEqualTo("t1");
        assertThat(trending.getItems().get(0).getReason()).isEqualTo("trending_in:c9");
        awaitList(RedisKeys.trending(), list -> itemIds(list).contains("t1"));
    }

    private static List<DeadLetter> readDeadLetters(int atLeast) {
        try (var consumer =
                new KafkaConsumer<String, String>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                shop.kafka().bootstrapServers(),
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "it-dead-letters",
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class,
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class))) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            List<DeadLetter> letters = new ArrayList<>();
            return AwaitValue.until(
                    atLeast + " dead letters",
                    TIMEOUT,
                    () -> {
                        consumer.poll(Duration.ofMillis(200))
                                .forEach(
                                        r -> {
                                            try {
                                                letters.add(
                                                        EventCodec.mapper()
                                                                .readValue(
                                                                        r.value(),
                                                                        DeadLetter.class));
                                            } catch (IOException e) {
                                                throw new AssertionError(
                                                        "unreadable dead letter " + r.value(), e);
                                            }
                                        });
                        return letters.size() >= atLeast ? letters : null;
                    });
        }
    }

    private static double scoreOf(RecommendationList list, String itemId) {
        return list.getItems().stream()
                .filter(item -> item.getItemId().equals(itemId))
                .mapToDouble(ScoredItem::getScore)
                .findFirst()
                .orElse(Double.NaN);
    }
}
