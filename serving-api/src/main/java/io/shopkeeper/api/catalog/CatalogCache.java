package io.shopkeeper.api.catalog;

import io.shopkeeper.schemas.RedisKeys;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamInfo;

/**
 * The whole catalog in memory, so request-time rules (stock, category, price) cost no Redis round
 * trip. Written by the job: {@code sk:catalog} (HASH itemId -> ItemInfo JSON) and {@code
 * sk:catalog:changes} (STREAM, one {@code item=<id>} entry per change, capped).
 *
 * <ul>
 *   <li><b>Full load</b> (at start, and whenever the change stream cannot be followed): note the
 *       stream's newest id first, then {@code HSCAN} the hash in pages into a fresh map and swap it
 *       in; changes made during the scan come after the noted id, so they are applied again by the
 *       follower (idempotent: it re-reads the item).
 *   <li><b>Incremental refresh</b>, on one background thread: {@code XREAD BLOCK} from the last
 *       applied id, then one {@code HMGET} of the changed items; an item gone from the hash is
 *       dropped (unknown again: in stock). When entries after the last applied id were trimmed (the
 *       oldest entry left is newer than it), or the stream was deleted or recreated (its newest id
 *       is older, checked every few idle polls), it reloads fully.
 *   <li>Redis down: the cache keeps serving what it has (an empty cache at start: every item in
 *       stock) and retries; never fails a request.
 * </ul>
 *
 * Per item it keeps a {@link CatalogItem} (category, brand, price, list price, in stock).
 */
public final class CatalogCache implements Catalog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogCache.class);
    private static final String ITEM_FIELD = "item";
    private static final StreamEntryID START = new StreamEntryID(0, 0);

    /**
     * Tuning: items per {@code HSCAN} page, how long one {@code XREAD} blocks, entries per read,
     * idle polls between checks that the stream was not recreated, the pause after a Redis error.
     */
    public record Settings(
            int scanPageSize,
            Duration block,
            int readBatch,
            int idlePollsPerCheck,
            Duration retryDelay) {
        public static Settings defaults() {
            return new Settings(2000, Duration.ofMillis(500), 1000, 10, Duration.ofSeconds(1));
        }
    }

    private final UnifiedJedis redis;
    private final Settings settings;
    private final Thread follower;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong fullLoads = new AtomicLong();
    private final AtomicLong changesApplied = new AtomicLong();
    private ItemInfoParser parser = new ItemInfoParser();
    private volatile Map<String, CatalogItem> items = Map.of();

    /**
     * Last stream entry applied; {@code null} when a full load is due. Written by one thread at a
     * time.
     */
    private volatile StreamEntryID lastApplied;

    private int idlePolls;

    private CatalogCache(UnifiedJedis redis, Settings settings) {
        this.redis = redis;
        this.settings = settings;
        this.follower = new Thread(this::follow, "shopkeeper-catalog");
        this.follower.setDaemon(true);
    }

    /**
     * Loads the catalog (a failure is logged: the cache starts empty and the follower retries) and
     * starts following changes. The caller keeps ownership of {@code redis}; close the cache first.
     */
    public static CatalogCache start(UnifiedJedis redis, Settings settings) {
        CatalogCache cache = new CatalogCache(redis, settings);
        try {
            cache.reload();
        } catch (JedisException e) {
            LOG.warn(
                    "catalog not loaded at start (every item counts as in stock until it is): {}",
                    e.getMessage());
        }
        cache.follower.start();
        return cache;
    }

    @Override
    public CatalogItem get(String itemId) {
        return items.get(itemId);
    }

    /** Items known. */
    public int size() {
        return items.size();
    }

    /** Full loads done so far (1 after a successful start). */
    public long fullLoads() {
        return fullLoads.get();
    }

    /** Changed items applied from the stream so far. */
    public long changesApplied() {
        return changesApplied.get();
    }

    /** Stops the follower (within one block interval). Does not close the Redis client. */
    @Override
    public void close() {
        closed.countDown();
        try {
            follower.join(settings.block().toMillis() + settings.retryDelay().toMillis() + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean running() {
        return closed.getCount() > 0;
    }

    private void follow() {
        while (running()) {
            try {
                if (lastApplied == null) {
                    reload();
                } else {
                    poll();
                }
            } catch (
                    RuntimeException
                            e) { // JedisException: Redis down; anything else: keep following
                if (!running()) return;
                LOG.warn(
                        "catalog refresh failed, retrying in {} ms: {}",
                        settings.retryDelay().toMillis(),
                        e.toString());
                awaitClose(settings.retryDelay());
            }
        }
    }

    /** Reads the whole hash into a fresh map and swaps it in. */
    void reload() {
        StreamEntryID from = newestStreamId();
        ItemInfoParser freshParser = new ItemInfoParser();
        Map<String, CatalogItem> fresh =
                new ConcurrentHashMap<>(
                        Math.max(
                                16,
                                (int)
                                        Math.min(
                                                Integer.MAX_VALUE / 2,
                                                redis.hlen(RedisKeys.CATALOG) * 4 / 3 + 1)));
        ScanParams page = new ScanParams().count(settings.scanPageSize());
        String cursor = ScanParams.SCAN_POINTER_START;
        int unreadable = 0;
        do {
            ScanResult<Map.Entry<String, String>> result =
                    redis.hscan(RedisKeys.CATALOG, cursor, page);
            for (Map.Entry<String, String> entry : result.getResult()) {
                CatalogItem item = parse(freshParser, entry.getKey(), entry.getValue());
                if (item != null) fresh.put(entry.getKey(), item);
                else unreadable++;
            }
            cursor = result.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        parser = freshParser;
        items = fresh;
        lastApplied = from;
        idlePolls = 0;
        fullLoads.incrementAndGet();
        LOG.info(
                "catalog loaded: {} items{} (changes after {})",
                fresh.size(),
                unreadable > 0 ? ", " + unreadable + " unreadable skipped" : "",
                from);
    }

    private void poll() {
        StreamEntryID after = lastApplied;
        List<Map.Entry<String, List<StreamEntry>>> read =
                redis.xread(
                        XReadParams.xReadParams()
                                .count(settings.readBatch())
                                .block((int) settings.block().toMillis()),
                        Map.of(RedisKeys.CATALOG_CHANGES, after));
        List<StreamEntry> entries =
                read == null || read.isEmpty() ? List.of() : read.get(0).getValue();
        if (entries.isEmpty()) {
            if (++idlePolls % settings.idlePollsPerCheck() == 0 && streamWasReset(after)) {
                LOG.info("catalog change stream was deleted or recreated: reloading the catalog");
                lastApplied = null;
            }
            return;
        }
        if (!START.equals(after) && entriesWereTrimmed(after)) {
            LOG.info(
                    "catalog changes after {} were trimmed from the stream: reloading the catalog",
                    after);
            lastApplied = null;
            return;
        }
        Set<String> changed = new LinkedHashSet<>();
        for (StreamEntry entry : entries) {
            String item = entry.getFields().get(ITEM_FIELD);
            if (item != null && !item.isBlank()) changed.add(item);
        }
        if (!changed.isEmpty()) apply(changed.toArray(String[]::new));
        lastApplied = entries.get(entries.size() - 1).getID();
    }

    private void apply(String[] changed) {
        List<String> values = redis.hmget(RedisKeys.CATALOG, changed);
        Map<String, CatalogItem> current = items;
        for (int i = 0; i < changed.length; i++) {
            String json = values.get(i);
            CatalogItem item = json == null ? null : parse(parser, changed[i], json);
            if (item == null) current.remove(changed[i]);
            else current.put(changed[i], item);
        }
        changesApplied.addAndGet(changed.length);
    }

    /**
     * True when the oldest entry left is newer than {@code after}: entries we never read may be
     * gone.
     */
    private boolean entriesWereTrimmed(StreamEntryID after) {
        List<StreamEntry> oldest = redis.xrange(RedisKeys.CATALOG_CHANGES, "-", "+", 1);
        return !oldest.isEmpty() && oldest.get(0).getID().compareTo(after) > 0;
    }

    /** True when the stream we follow is gone or restarted below {@code after}. */
    private boolean streamWasReset(StreamEntryID after) {
        if (START.equals(after)) return false;
        try {
            StreamInfo info = redis.xinfoStream(RedisKeys.CATALOG_CHANGES);
            return info.getLastGeneratedId().compareTo(after) < 0;
        } catch (JedisDataException e) {
            return true; // no such key: the stream was deleted
        }
    }

    private StreamEntryID newestStreamId() {
        List<StreamEntry> newest = redis.xrevrange(RedisKeys.CATALOG_CHANGES, "+", "-", 1);
        return newest.isEmpty() ? START : newest.get(0).getID();
    }

    private static CatalogItem parse(ItemInfoParser parser, String itemId, String json) {
        try {
            return parser.parse(json);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable catalog entry {}: {}", itemId, e.getMessage());
            return null;
        }
    }

    private void awaitClose(Duration timeout) {
        try {
            closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.countDown();
        }
    }
}
