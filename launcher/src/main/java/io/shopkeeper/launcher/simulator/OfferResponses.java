package io.shopkeeper.launcher.simulator;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import io.shopkeeper.schemas.offers.Campaign.OfferKind;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.Decision.Outcome;
import io.shopkeeper.schemas.offers.Offer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Simulated visitors reacting to what the job decided about them, the way people do: every few
 * seconds it reads the new decisions ({@code sk:offer-history:*}); a visitor sent an onsite offer
 * sees it (an {@code impression}), and some click and buy (with the coupon, when it is one); a
 * held-out visitor sometimes buys anyway. Bargain hunters (the profile's price-sensitive flag)
 * respond far more often than regulars, so the campaign's results show an uplift against its
 * holdout. Reactions are decided by a hash of the offer id (the same on every run) and sent to
 * Kafka like the storefront's events, stamped with the wall clock.
 */
public final class OfferResponses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfferResponses.class);

    /** Chance of buying: [price-sensitive][treated]. */
    static final double BARGAIN_TREATED = 0.5;

    static final double BARGAIN_HELD_OUT = 0.15;
    static final double REGULAR_TREATED = 0.08;
    static final double REGULAR_HELD_OUT = 0.05;

    /** Only decisions this recent (wall clock) get a reaction: not a restarted run's old ones. */
    static final Duration RECENT = Duration.ofMinutes(10);

    private static final int SEEN_KEPT = 200_000;

    private final JedisPooled redis;
    private final KafkaProducer<String, byte[]> producer;
    private final Duration pollEvery;
    private final Map<String, Boolean> seen =
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > SEEN_KEPT;
                }
            };
    private volatile boolean running;
    private Thread thread;
    private long sent;

    public OfferResponses(JedisPooled redis, String bootstrapServers, Duration pollEvery) {
        this.redis = redis;
        this.pollEvery = pollEvery;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "shopkeeper-offer-responses");
        this.producer = new KafkaProducer<>(props);
    }

    public synchronized OfferResponses start() {
        running = true;
        thread =
                new Thread(
                        () -> {
                            while (running) {
                                try {
                                    poll();
                                } catch (RuntimeException e) {
                                    LOG.debug("offer responses: {}", e.toString());
                                }
                                LockSupport.parkNanos(pollEvery.toNanos());
                            }
                        },
                        "offer-responses");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Events sent so far. */
    public long sent() {
        return sent;
    }

    /** One pass over the visitors' decision histories. */
    void poll() {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(RedisKeys.offerHistory("*")).count(1000);
        long recentFrom = Instant.now().minus(RECENT).toEpochMilli();
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                for (String json : redis.zrangeByScore(key, recentFrom, Double.MAX_VALUE)) {
                    Decision d;
                    try {
                        d = EventCodec.mapper().readValue(json, Decision.class);
                    } catch (Exception e) {
                        continue;
                    }
                    if (!d.outcome().isAssigned() || seen.put(d.offerId(), true) != null) continue;
                    respond(d);
                }
            }
            cursor = page.getCursor();
        } while (running && !ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    private void respond(Decision d) {
        boolean treated = d.outcome() == Outcome.SENT;
        String visitor = d.visitorId();
        ProfileDocument profile = read(redis.get(RedisKeys.profile(visitor)));
        boolean bargainHunter =
                profile != null
                        && profile.getPriceSensitive() != null
                        && profile.getPriceSensitive().isFlagged();
        Offer offer = null;
        if (treated) {
            String json = redis.hget(RedisKeys.offers(visitor), d.offerId());
            if (json == null) return; // outbound, or already expired
            try {
                offer = EventCodec.mapper().readValue(json, Offer.class);
            } catch (Exception e) {
                return;
            }
        }
        Instant now = Instant.now();
        if (treated) send(engagement(EventType.IMPRESSION, visitor, d.offerId(), now));
        double chance =
                bargainHunter
                        ? (treated ? BARGAIN_TREATED : BARGAIN_HELD_OUT)
                        : (treated ? REGULAR_TREATED : REGULAR_HELD_OUT);
        if (uniform(d.offerId()) >= chance) return;
        if (treated) send(engagement(EventType.CLICK, visitor, d.offerId(), now.plusSeconds(2)));
        String itemId =
                profile == null || profile.getRecentViews().isEmpty()
                        ? null
                        : profile.getRecentViews().get(0);
        ItemInfo item = itemId == null ? null : readItem(redis.get(RedisKeys.item(itemId)));
        if (item == null || item.getPrice() == null) return;
        double price = item.getPrice();
        double discount = 0;
        String coupon = null;
        if (offer != null && offer.kind() == OfferKind.COUPON) {
            coupon = offer.couponCode();
            discount =
                    offer.discountPercent() != null
                            ? Math.round(price * offer.discountPercent()) / 100.0
                            : Math.min(
                                    price,
                                    offer.discountAmount() == null ? 0 : offer.discountAmount());
        }
        ShopEvent order = base(EventType.ORDER_PLACED, visitor, profile, now.plusSeconds(20));
        order.setOrderId("o-offer-" + d.offerId());
        OrderLine line = new OrderLine();
        line.setItemId(itemId);
        line.setCategoryId(item.getCategoryId());
        line.setQuantity(1);
        line.setUnitPrice(price);
        line.setListPrice(item.getListPrice() == null ? price : item.getListPrice());
        order.setLines(List.of(line));
        order.setCouponCode(coupon);
        order.setDiscountTotal(discount);
        order.setTotal(Math.round((price - discount) * 100) / 100.0);
        order.setCurrency("EUR");
        send(order);
    }

    private ShopEvent engagement(EventType type, String visitor, String offerId, Instant at) {
        ShopEvent e = base(type, visitor, null, at);
        e.setSessionId("s-offer-" + offerId);
        e.setOfferId(offerId);
        return e;
    }

    private static ShopEvent base(
            EventType type, String visitor, ProfileDocument profile, Instant at) {
        ShopEvent e = new ShopEvent();
        e.setEventId("offer-" + type.wireName() + "-" + visitor + "-" + at.toEpochMilli());
        e.setType(type);
        e.setTimestamp(at);
        e.setSessionId("s-offer-" + visitor);
        boolean known =
                profile != null ? profile.getCustomerId() != null : !visitor.startsWith("anon");
        if (known) e.setCustomerId(visitor);
        else e.setAnonymousId(visitor);
        return e;
    }

    private void send(ShopEvent e) {
        producer.send(new ProducerRecord<>(e.topic(), e.partitionKey(), EventCodec.encode(e)));
        sent++;
    }

    /** A uniform number in [0, 1) from the offer id: the same reaction on every run. */
    static double uniform(String offerId) {
        try {
            byte[] h =
                    MessageDigest.getInstance("SHA-256")
                            .digest(("react\u0000" + offerId).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 7; i++) bits = (bits << 8) | (h[i] & 0xff);
            return bits / (double) (1L << 56);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProfileDocument read(String json) {
        if (json == null) return null;
        try {
            return ProfileDocument.read(json);
        } catch (Exception e) {
            return null;
        }
    }

    private static ItemInfo readItem(String json) {
        if (json == null) return null;
        try {
            return EventCodec.mapper().readValue(json, ItemInfo.class);
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
