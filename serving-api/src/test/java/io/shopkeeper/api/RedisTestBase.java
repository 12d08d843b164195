package io.shopkeeper.api;

import io.shopkeeper.api.store.RedisCustomerStore;
import io.shopkeeper.api.store.RedisOfferStore;
import io.shopkeeper.api.store.RedisRecommendationStore;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.embedded.EmbeddedRedisCluster;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real redis-server per test class, emptied before every test, with the stores on it and a client
 * to seed what the streaming job would have written. A test class marked {@link OnRedisCluster}
 * gets a Redis Cluster (three masters, a replica each) instead: the same contract, keys spread over
 * every master.
 */
public abstract class RedisTestBase {
    /** Runs the test class on a Redis Cluster instead of one redis-server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    public @interface OnRedisCluster {}

    protected static AutoCloseable redisServer;
    protected static UnifiedJedis redis;
    private static ShopRedis seed;
    protected static ShopRedis shopRedis;
    protected static RedisRecommendationStore store;
    protected static RedisCustomerStore customers;
    protected static RedisOfferStore offers;

    @BeforeAll
    static void startRedis(TestInfo test) throws Exception {
        RedisEndpoint endpoint;
        if (test.getTestClass().orElseThrow().isAnnotationPresent(OnRedisCluster.class)) {
            EmbeddedRedisCluster cluster = EmbeddedRedisCluster.start(3);
            redisServer = cluster;
            endpoint = cluster.endpoint();
        } else {
            EmbeddedRedis server = EmbeddedRedis.startTemporary();
            redisServer = server;
            endpoint = RedisEndpoint.single(server.host(), server.port());
        }
        seed = ShopRedis.connect(endpoint, ShopRedis.ClientSettings.defaults("seed"));
        redis = seed.commands();
        store =
                RedisRecommendationStore.connect(
                        endpoint, RedisRecommendationStore.Settings.defaults());
        shopRedis =
                RedisRecommendationStore.pool(
                        endpoint, RedisRecommendationStore.Settings.defaults());
        customers = new RedisCustomerStore(shopRedis);
        offers = new RedisOfferStore(shopRedis);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        store.close();
        shopRedis.close();
        seed.close();
        redisServer.close();
    }

    @BeforeEach
    void emptyRedis() {
        for (HostAndPort master : seed.masters()) {
            try (Jedis node = new Jedis(master)) {
                node.flushAll();
            }
        }
    }

    /** Stores {@code value} as JSON at {@code key}, as the job does. */
    protected static void put(String key, Object value) {
        redis.set(key, value instanceof String s ? s : EventCodec.encodeToString(value));
    }
}
