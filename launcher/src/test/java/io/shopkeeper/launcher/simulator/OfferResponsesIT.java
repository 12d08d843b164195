package io.shopkeeper.launcher.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.DecodeResult;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.schemas.offers.Campaign.Channel;
import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.Decision.Outcome;
import io.shopkeeper.schemas.offers.Offer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The simulator's reactions to offers, on a real Redis and Kafka: a bargain hunter sent a coupon
 * sees it, clicks and redeems it; a regular held out (whose draw says no) sends nothing; a decision
 * reacts once.
 */
class OfferResponsesIT {
    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redisServer;
    private static JedisPooled redis;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.startTemporary().createShopkeeperTopics(1);
        redisServer = EmbeddedRedis.startTemporary();
        redis = redisServer.newClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) redis.close();
        if (redisServer != null) redisServer.close();
        if (kafka != null) kafka.close();
    }

    /** An offer id whose reaction draw is below (or not below) {@code chance}. */
    private static String offerId(String prefix, double chance, boolean below) {
        for (int i = 0; ; i++) {
            String id = prefix + i;
            if ((OfferResponses.uniform(id) < chance) == below) return id;
        }
    }

    @Test
    void aBargainHunterRedeemsTheCouponAndAHeldOutRegularMayNot() throws Exception {
        Instant now = Instant.now();
        redis.set(
                RedisKeys.item("i1"),
                "{\"itemId\":\"i1\",\"categoryId\":\"c1\",\"price\":50.0,\"listPrice\":50.0}");
        String bargain = offerId("of_b", OfferResponses.BARGAIN_TREATED, true);
        redis.set(
                RedisKeys.profile("cust-b"),
                "{\"visitorId\":\"cust-b\",\"customerId\":\"cust-b\",\"recentViews\":[\"i1\"],"
                        + "\"priceSensitive\":{\"score\":0.8,\"flagged\":true,\"reasons\":[]}}");
        Offer coupon =
                new Offer(
                        bargain,
                        "cust-b",
                        "bargain-coupon",
                        1,
                        OfferKind.COUPON,
                        Channel.ONSITE,
                        "SK-TEST",
                        10.0,
                        null,
                        null,
                        null,
                        null,
                        now,
                        now.plusSeconds(3600),
                        "left_at_price:i1");
        redis.hset(RedisKeys.offers("cust-b"), bargain, EventCodec.encodeToString(coupon));
        decide("cust-b", Outcome.SENT, bargain, now);

        String regular = offerId("of_r", OfferResponses.REGULAR_HELD_OUT, false);
        redis.set(
                RedisKeys.profile("cust-r"),
                "{\"visitorId\":\"cust-r\",\"customerId\":\"cust-r\",\"recentViews\":[\"i1\"]}");
        decide("cust-r", Outcome.HELD_OUT, regular, now);

        try (OfferResponses responses =
                new OfferResponses(redis, kafka.bootstrapServers(), Duration.ofSeconds(1))) {
            responses.poll();
            responses.poll(); // each decision reacts once
        }
        List<ShopEvent> events = consume(3);
        assertThat(events)
                .extracting(ShopEvent::getType, ShopEvent::getCustomerId, ShopEvent::getOfferId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                EventType.IMPRESSION, "cust-b", bargain),
                        org.assertj.core.groups.Tuple.tuple(EventType.CLICK, "cust-b", bargain),
                        org.assertj.core.groups.Tuple.tuple(
                                EventType.ORDER_PLACED, "cust-b", null));
        ShopEvent order =
                events.stream()
                        .filter(e -> e.getType() == EventType.ORDER_PLACED)
                        .findFirst()
                        .get();
        assertThat(order.getCouponCode()).isEqualTo("SK-TEST");
        assertThat(order.getDiscountTotal()).isEqualTo(5.0);
        assertThat(order.getTotal()).isEqualTo(45.0);
    }

    private static void decide(String visitor, Outcome outcome, String offerId, Instant at) {
        Decision d =
                new Decision(
                        visitor,
                        "bargain-coupon",
                        1,
                        outcome,
                        outcome == Outcome.SENT ? "left_at_price" : "holdout",
                        "left_at_price:i1",
                        offerId,
                        at.toEpochMilli());
        redis.zadd(
                RedisKeys.offerHistory(visitor), at.toEpochMilli(), EventCodec.encodeToString(d));
    }

    /** Every event in the input topics, waiting until at least {@code n} (and 2 s more). */
    private static List<ShopEvent> consume(int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "offer-responses-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        List<ShopEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(Topics.INPUTS);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    DecodeResult d = EventCodec.decode(r.value());
                    assertThat(d.isValid()).as(d.toString()).isTrue();
                    events.add(d.event());
                }
                if (events.size() >= n && quietUntil == Long.MAX_VALUE)
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            }
        }
        return events;
    }
}
