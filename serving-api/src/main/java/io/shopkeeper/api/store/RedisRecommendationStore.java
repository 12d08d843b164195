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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link RecommendationStore} on Redis ({@link ShopRedis}: one server or a Redis Cluster), reading
 * the key layout of {@link RedisKeys}. A recommendation request reads at most eight values (list,
 * profile, similar, up to three bought-together lists, category trending, trending; of a shared
 * list {@link DecodedLists} trusts, its version instead, and the list itself only when that moved)
 * in one round trip: a single {@code MGET} on one server; on a cluster, where they live in
 * different hash slots, one pipeline of {@code GET}s per master, the masters read in parallel.
 * Profiles, segments and deletions are read by {@link RedisCustomerStore}, on the same connections.
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
    private final LongSupplier nanoTime;

    /**
     * The lists every visitor shares (trending, similar, bought together), decoded once and, while
     * their version in Redis stays the same, not read again ({@link DecodedLists}).
     */
    private final DecodedLists decoded = new DecodedLists(DecodedLists.MAX_LISTS);

    /** Wraps an existing client; the caller keeps ownership and closes it. */
    public RedisRecommendationStore(ShopRedis redis) {
        this(redis, false);
    }

    private RedisRecommendationStore(ShopRedis redis, boolean ownsClient) {
        this(redis, ownsClient, System::nanoTime);
    }

    /** With the clock that times how long a shared list is trusted ({@link System#nanoTime}). */
    RedisRecommendationStore(ShopRedis redis, boolean ownsClient, LongSupplier nanoTime) {
        this.redis = redis;
        this.ownsClient = ownsClient;
        this.nanoTime = nanoTime;
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
        // The visitor's list and profile, then the shared lists: [similar?, bought-together...,
        // category trending?, trending]; absent ones left out.
        List<String> together = query.boughtTogetherOf();
        String[] shared =
                new String
                        [1
                                + (query.similarOf() != null ? 1 : 0)
                                + together.size()
                                + (query.categoryId() != null ? 1 : 0)];
        int s = 0;
        int similarSlot = query.similarOf() != null ? s++ : -1;
        if (similarSlot >= 0) shared[similarSlot] = RedisKeys.similarItems(query.similarOf());
        int togetherSlot = s;
        for (String item : together) shared[s++] = RedisKeys.boughtTogether(item);
        int categorySlot = query.categoryId() != null ? s++ : -1;
        if (categorySlot >= 0)
            shared[categorySlot] = RedisKeys.trendingInCategory(query.categoryId());
        shared[s] = RedisKeys.trending();

        String[] own = {
            RedisKeys.recommendations(query.visitorId()), RedisKeys.profile(query.visitorId())
        };
        byte[][] values = new byte[own.length][];
        RecommendationList[] lists = read(own, values, shared);
        List<RecommendationList> boughtTogether =
                together.isEmpty() ? List.of() : new ArrayList<>(together.size());
        for (int i = 0; i < together.size(); i++) boughtTogether.add(lists[togetherSlot + i]);
        return new CandidateLists(
                parse(own[0], values[0]),
                similarSlot >= 0 ? lists[similarSlot] : null,
                boughtTogether,
                categorySlot >= 0 ? lists[categorySlot] : null,
                lists[s],
                parseProfile(own[1], values[1]));
    }

    @Override
    public List<RecommendationList> boughtTogether(List<String> itemIds) {
        if (itemIds.isEmpty()) return List.of();
        String[] keys = new String[itemIds.size()];
        for (int i = 0; i < keys.length; i++) keys[i] = RedisKeys.boughtTogether(itemIds.get(i));
        return Arrays.asList(read(NO_KEYS, null, keys));
    }

    @Override
    public Optional<RecommendationList> similarItems(String itemId) {
        return Optional.ofNullable(read(NO_KEYS, null, RedisKeys.similarItems(itemId))[0]);
    }

    @Override
    public Optional<RecommendationList> trending(String categoryId) {
        String key =
                categoryId == null
                        ? RedisKeys.trending()
                        : RedisKeys.trendingInCategory(categoryId);
        return Optional.ofNullable(read(NO_KEYS, null, key)[0]);
    }

    private static final String[] NO_KEYS = {};

    /**
     * Reads the keys {@code own} (their values into {@code values}) and the shared lists at {@code
     * shared} (returned, decoded, null where absent) in one round trip: a shared list trusted by
     * {@link DecodedLists} is not read, only its version; the others are read with their version. A
     * trusted list whose version moved (or went) is read in a second round trip.
     */
    private RecommendationList[] read(String[] own, byte[][] values, String... shared) {
        long now = nanoTime.getAsLong();
        int n = shared.length;
        DecodedLists.Decoded[] trusted = new DecodedLists.Decoded[n];
        String[] versionKeys = new String[n];
        int count = own.length;
        for (int i = 0; i < n; i++) {
            DecodedLists.Decoded known = decoded.trusted(shared[i], now);
            trusted[i] = known;
            versionKeys[i] = known != null ? known.versionKey() : RedisKeys.listVersion(shared[i]);
            count += known != null ? 1 : 2;
        }
        String[] keys = new String[count];
        System.arraycopy(own, 0, keys, 0, own.length);
        int k = own.length;
        for (int i = 0; i < n; i++) {
            keys[k++] = versionKeys[i];
            if (trusted[i] == null) keys[k++] = shared[i];
        }
        List<byte[]> read = mget(keys);
        for (int i = 0; i < own.length; i++) values[i] = read.get(i);
        RecommendationList[] lists = new RecommendationList[n];
        byte[][] versions = new byte[n][];
        int moved = 0;
        k = own.length;
        for (int i = 0; i < n; i++) {
            versions[i] = read.get(k++);
            if (trusted[i] == null) {
                lists[i] = decode(shared[i], read.get(k++), versionKeys[i], versions[i], now);
            } else if ((lists[i] = trusted[i].ifVersion(versions[i])) == null) {
                moved++;
            }
        }
        if (moved > 0) {
            String[] again = new String[moved];
            int m = 0;
            for (int i = 0; i < n; i++)
                if (trusted[i] != null && lists[i] == null) again[m++] = shared[i];
            List<byte[]> reread = mget(again);
            m = 0;
            for (int i = 0; i < n; i++) {
                if (trusted[i] != null && lists[i] == null) {
                    lists[i] = decode(shared[i], reread.get(m++), versionKeys[i], versions[i], now);
                }
            }
        }
        return lists;
    }

    /** A shared list: decoded once per stored form, trusted when {@code version} describes it. */
    private RecommendationList decode(
            String key, byte[] stored, String versionKey, byte[] version, long now) {
        return decoded.get(key, stored, versionKey, version, now, bytes -> parse(key, bytes));
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
