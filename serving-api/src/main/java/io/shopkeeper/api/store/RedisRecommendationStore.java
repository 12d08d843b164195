package io.shopkeeper.api.store;

import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RecommendationListCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * {@link RecommendationStore} on Redis ({@link ShopRedis}: one server or a Redis Cluster), reading
 * the key layout of {@link RedisKeys}. A recommendation request reads at most eight keys (list,
 * profile, similar, up to three bought-together lists, category trending, trending) in one round
 * trip: a single {@code MGET} on one server; on a cluster, where they live in different hash slots,
 * one pipeline of {@code GET}s per master, the masters read in parallel. Profiles, segments and
 * deletions are read by {@link RedisCustomerStore}, on the same connections.
 */
public final class RedisRecommendationStore implements RecommendationStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRecommendationStore.class);

    /**
     * Pool and timeout settings (per node on a cluster); the defaults suit one API instance serving
     * thousands of requests/s.
     */
    public record Settings(
            int maxConnections,
            int minIdleConnections,
            Duration connectTimeout,
            Duration socketTimeout,
            Duration maxWaitForConnection) {
        public static Settings defaults() {
            return new Settings(
                    64,
                    8,
                    Duration.ofMillis(500),
                    Duration.ofMillis(1000),
                    Duration.ofMillis(1000));
        }

        ShopRedis.ClientSettings client() {
            return new ShopRedis.ClientSettings(
                    maxConnections,
                    minIdleConnections,
                    connectTimeout,
                    socketTimeout,
                    maxWaitForConnection,
                    "shopkeeper-api");
        }
    }

    private final ShopRedis redis;
    private final boolean ownsClient;

    /** The lists every visitor shares (trending, similar, bought together), decoded once. */
    private final DecodedLists decoded = new DecodedLists(DecodedLists.MAX_LISTS);

    /** Wraps an existing client; the caller keeps ownership and closes it. */
    public RedisRecommendationStore(ShopRedis redis) {
        this(redis, false);
    }

    private RedisRecommendationStore(ShopRedis redis, boolean ownsClient) {
        this.redis = redis;
        this.ownsClient = ownsClient;
    }

    /** Connects to the one server at {@code host:port}; {@link #close()} closes the client. */
    public static RedisRecommendationStore connect(String host, int port, Settings settings) {
        return connect(RedisEndpoint.single(host, port), settings);
    }

    /** Connects to {@code endpoint}; {@link #close()} closes the client. */
    public static RedisRecommendationStore connect(RedisEndpoint endpoint, Settings settings) {
        return new RedisRecommendationStore(pool(endpoint, settings), true);
    }

    /**
     * A client of the one server at {@code host:port}, for sharing between the stores; the caller
     * closes it.
     */
    public static ShopRedis pool(String host, int port, Settings settings) {
        return pool(RedisEndpoint.single(host, port), settings);
    }

    /** A client of {@code endpoint}, for sharing between the stores; the caller closes it. */
    public static ShopRedis pool(RedisEndpoint endpoint, Settings settings) {
        return ShopRedis.connect(endpoint, settings.client());
    }

    @Override
    public CandidateLists candidates(CandidateQuery query) {
        // Fixed slots: [recs, profile, similar?, bought-together..., category trending?, trending];
        // absent ones left out of the MGET.
        List<String> together = query.boughtTogetherOf();
        String[] keys =
                new String
                        [3
                                + (query.similarOf() != null ? 1 : 0)
                                + together.size()
                                + (query.categoryId() != null ? 1 : 0)];
        int k = 0;
        keys[k++] = RedisKeys.recommendations(query.visitorId());
        keys[k++] = RedisKeys.profile(query.visitorId());
        int similarSlot = query.similarOf() != null ? k++ : -1;
        if (similarSlot >= 0) keys[similarSlot] = RedisKeys.similarItems(query.similarOf());
        int togetherSlot = k;
        for (String item : together) keys[k++] = RedisKeys.boughtTogether(item);
        int categorySlot = query.categoryId() != null ? k++ : -1;
        if (categorySlot >= 0)
            keys[categorySlot] = RedisKeys.trendingInCategory(query.categoryId());
        keys[k] = RedisKeys.trending();

        List<byte[]> values = mget(keys);
        List<RecommendationList> boughtTogether =
                together.isEmpty() ? List.of() : new ArrayList<>(together.size());
        for (int i = 0; i < together.size(); i++) {
            boughtTogether.add(shared(keys[togetherSlot + i], values.get(togetherSlot + i)));
        }
        return new CandidateLists(
                parse(keys[0], values.get(0)),
                similarSlot >= 0 ? shared(keys[similarSlot], values.get(similarSlot)) : null,
                boughtTogether,
                categorySlot >= 0 ? shared(keys[categorySlot], values.get(categorySlot)) : null,
                shared(keys[k], values.get(k)),
                parseProfile(keys[1], values.get(1)));
    }

    @Override
    public List<RecommendationList> boughtTogether(List<String> itemIds) {
        if (itemIds.isEmpty()) return List.of();
        String[] keys = new String[itemIds.size()];
        for (int i = 0; i < keys.length; i++) keys[i] = RedisKeys.boughtTogether(itemIds.get(i));
        List<byte[]> values = mget(keys);
        List<RecommendationList> lists = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) lists.add(shared(keys[i], values.get(i)));
        return lists;
    }

    @Override
    public Optional<RecommendationList> similarItems(String itemId) {
        String key = RedisKeys.similarItems(itemId);
        return Optional.ofNullable(shared(key, get(key)));
    }

    @Override
    public Optional<RecommendationList> trending(String categoryId) {
        String key =
                categoryId == null
                        ? RedisKeys.trending()
                        : RedisKeys.trendingInCategory(categoryId);
        return Optional.ofNullable(shared(key, get(key)));
    }

    @Override
    public boolean ping() {
        return redis.ping();
    }

    @Override
    public void close() {
        if (ownsClient) {
            redis.close();
        }
    }

    private byte[] get(String key) {
        try {
            return redis.commands().get(SafeEncoder.encode(key));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** The values as stored (UTF-8): parsed from the bytes, no text made for them. */
    private List<byte[]> mget(String[] keys) {
        try {
            return redis.getBytes(keys);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    private static StoreUnavailableException unavailable(JedisException e) {
        return new StoreUnavailableException("redis is unavailable: " + e.getMessage(), e);
    }

    private static VisitorFacts parseProfile(String key, byte[] json) {
        if (json == null) return null;
        try {
            try {
                return VisitorFacts.read(json);
            } catch (IOException notUtf8OrMalformed) {
                // What the text reader makes of it (invalid UTF-8 read as U+FFFD, as before).
                return VisitorFacts.read(new String(json, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable profile at {}: {}", key, e.getMessage());
            return null;
        }
    }

    /** A list many requests read (not a visitor's own): decoded once per stored form. */
    private RecommendationList shared(String key, byte[] json) {
        return decoded.get(key, json, stored -> parse(key, stored));
    }

    /** From the bytes; what the text reader makes of them when they are not UTF-8 or malformed. */
    private static RecommendationList decode(byte[] json) throws IOException {
        try {
            return RecommendationListCodec.decode(json);
        } catch (IOException notUtf8OrMalformed) {
            return RecommendationListCodec.decode(new String(json, StandardCharsets.UTF_8));
        }
    }

    /** The stored list, its items read-only (shared lists are shared between requests). */
    private static RecommendationList parse(String key, byte[] json) {
        if (json == null) {
            return null;
        }
        try {
            RecommendationList list = decode(json);
            list.setItems(
                    list.getItems() == null
                            ? List.of()
                            : Collections.unmodifiableList(list.getItems()));
            return list;
        } catch (IOException e) {
            LOG.warn("ignoring unreadable value at {}: {}", key, e.getMessage());
            return null;
        }
    }
}
