package io.shopkeeper.api;

import io.shopkeeper.api.store.RedisCustomerStore;
import io.shopkeeper.api.store.RedisOfferStore;
import io.shopkeeper.api.store.RedisRecommendationStore;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.EventCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.JedisPooled;

/**
 * A real redis-server per test class, emptied before every test, with the stores on it and a client
 * to seed what the streaming job would have written.
 */
public abstract class RedisTestBase {
    protected static EmbeddedRedis redisServer;
    protected static JedisPooled redis;
    protected static RedisRecommendationStore store;
    protected static RedisCustomerStore customers;
    protected static RedisOfferStore offers;

    @BeforeAll
    static void startRedis() throws Exception {
        redisServer = EmbeddedRedis.startTemporary();
        redis = redisServer.newClient();
        store =
                RedisRecommendationStore.connect(
                        redisServer.host(),
                        redisServer.port(),
                        RedisRecommendationStore.Settings.defaults());
        customers = new RedisCustomerStore(redis);
        offers = new RedisOfferStore(redis);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        store.close();
        redis.close();
        redisServer.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    /** Stores {@code value} as JSON at {@code key}, as the job does. */
    protected static void put(String key, Object value) {
        redis.set(key, value instanceof String s ? s : EventCodec.encodeToString(value));
    }
}
