package io.shopkeeper.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.api.Await;
import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.RedisKeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

/** The {@link CatalogCache} contract on a real Redis: full load, incremental refresh, reloads. */
class CatalogCacheTest extends RedisTestBase {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Short blocks and a stream check on every idle poll, so tests see reloads quickly. */
    private static final CatalogCache.Settings FAST =
            new CatalogCache.Settings(100, Duration.ofMillis(50), 1000, 1, Duration.ofMillis(50));

    private static String info(
            String id,
            String category,
            String brand,
            Double price,
            Double listPrice,
            boolean inStock) {
        ItemInfo info = new ItemInfo();
        info.setItemId(id);
        info.setTitle("Title of " + id);
        info.setCategoryId(category);
        info.setBrand(brand);
        info.setPrice(price);
        info.setListPrice(listPrice);
        info.setInStock(inStock);
        return EventCodec.encodeToString(info);
    }

    /** What the job does on a catalog event: write the hash, then announce the change. */
    private static void change(String id, String json) {
        if (json == null) redis.hdel(RedisKeys.CATALOG, id);
        else redis.hset(RedisKeys.CATALOG, id, json);
        redis.xadd(
                RedisKeys.CATALOG_CHANGES,
                XAddParams.xAddParams()
                        .maxLen(RedisKeys.CATALOG_CHANGES_KEPT)
                        .approximateTrimming(),
                Map.of("item", id));
    }

    @Test
    void loadsTheWholeHashInPagesKeepingTheFactsRulesNeed() {
        Map<String, String> catalog = new HashMap<>();
        for (int i = 0; i < 2500; i++) {
            catalog.put(
                    "i" + i,
                    info(
                            "i" + i,
                            "cat" + (i % 7),
                            "brand" + (i % 3),
                            10.0 + i,
                            20.0 + i,
                            i % 2 == 0));
        }
        catalog.put("bad", "{not json");
        catalog.put("bare", "{\"itemId\":\"bare\"}");
        redis.hset(RedisKeys.CATALOG, catalog);

        try (CatalogCache cache = CatalogCache.start(redis, FAST)) {
            assertThat(cache.size()).isEqualTo(2501);
            assertThat(cache.fullLoads()).isEqualTo(1);
            CatalogItem i3 = cache.get("i3");
            assertThat(i3.categoryId()).isEqualTo("cat3");
            assertThat(i3.brand()).isEqualTo("brand0");
            assertThat(i3.price()).isEqualTo(13f);
            assertThat(i3.listPrice()).isEqualTo(23f);
            assertThat(i3.inStock()).isFalse();
            assertThat(cache.inStock("i4")).isTrue();
            // Category strings are shared between items.
            assertThat(cache.get("i10").categoryId()).isSameAs(i3.categoryId());
            // Unknown, unreadable and bare items: in stock, category unknown.
            assertThat(cache.get("bad")).isNull();
            assertThat(cache.inStock("never-seen")).isTrue();
            assertThat(cache.categoryOf("never-seen")).isNull();
            assertThat(cache.get("bare").inStock()).isTrue();
            assertThat(cache.get("bare").categoryId()).isNull();
            assertThat(Float.isNaN(cache.get("bare").price())).isTrue();
        }
    }

    @Test
    void followsChangesFromTheStream() {
        change("shoe", info("shoe", "shoes", "acme", 50.0, 50.0, true));
        change("hat", info("hat", "hats", null, 10.0, null, true));

        try (CatalogCache cache = CatalogCache.start(redis, FAST)) {
            assertThat(cache.inStock("shoe")).isTrue();

            change("shoe", info("shoe", "shoes", "acme", 40.0, 50.0, false));
            change("new", info("new", "toys", null, 5.0, null, true));
            change("hat", null); // gone from the catalog: unknown again

            Await.until(
                    "the changes to be applied",
                    WAIT,
                    () ->
                            !cache.inStock("shoe")
                                    && cache.get("new") != null
                                    && cache.get("hat") == null);
            assertThat(cache.get("shoe").discount())
                    .isEqualTo(0.2, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(cache.fullLoads()).isEqualTo(1);
            assertThat(cache.changesApplied()).isEqualTo(3);
        }
    }

    @Test
    void startsOnAnEmptyRedisAndPicksUpTheFirstChanges() {
        try (CatalogCache cache = CatalogCache.start(redis, FAST)) {
            assertThat(cache.size()).isZero();
            change("shoe", info("shoe", "shoes", null, 50.0, null, false));
            Await.until("the first change", WAIT, () -> !cache.inStock("shoe"));
            assertThat(cache.fullLoads()).isEqualTo(1);
        }
    }

    @Test
    void reloadsFullyWhenChangesItHasNotReadWereTrimmed() {
        change("a", info("a", "c", null, 1.0, null, true));
        try (CatalogCache cache = CatalogCache.start(redis, FAST)) {
            // The hash changes, then the stream is trimmed past the last entry the cache applied,
            // as
            // MAXLEN does when a cache falls too far behind. One transaction, so the follower
            // (blocked
            // in XREAD) cannot read entry "b" before it is trimmed: Redis serves it after EXEC.
            try (AbstractTransaction tx = redis.multi()) {
                tx.hset(RedisKeys.CATALOG, "b", info("b", "c", null, 1.0, null, false));
                tx.hset(RedisKeys.CATALOG, "a", info("a", "c", null, 1.0, null, false));
                tx.xadd(
                        RedisKeys.CATALOG_CHANGES,
                        XAddParams.xAddParams().id(new StreamEntryID(Long.MAX_VALUE / 4, 0)),
                        Map.of("item", "b"));
                tx.xadd(
                        RedisKeys.CATALOG_CHANGES,
                        XAddParams.xAddParams().id(new StreamEntryID(Long.MAX_VALUE / 4, 1)),
                        Map.of("item", "z"));
                tx.xtrim(RedisKeys.CATALOG_CHANGES, 1, false);
                tx.exec();
            }

            Await.until(
                    "a full reload",
                    WAIT,
                    () -> cache.fullLoads() >= 2 && !cache.inStock("a") && !cache.inStock("b"));
        }
    }

    @Test
    void reloadsFullyWhenTheStreamWasRecreated() {
        redis.xadd(
                RedisKeys.CATALOG_CHANGES,
                XAddParams.xAddParams().id(new StreamEntryID(1_000_000, 0)),
                Map.of("item", "a"));
        redis.hset(RedisKeys.CATALOG, "a", info("a", "c", null, 1.0, null, true));
        try (CatalogCache cache = CatalogCache.start(redis, FAST)) {
            assertThat(cache.inStock("a")).isTrue();
            // Redis emptied and the job starting over: a new stream with lower ids than the cache
            // read.
            redis.del(RedisKeys.CATALOG_CHANGES);
            redis.hset(RedisKeys.CATALOG, "a", info("a", "c", null, 1.0, null, false));
            redis.xadd(
                    RedisKeys.CATALOG_CHANGES,
                    XAddParams.xAddParams().id(new StreamEntryID(5, 0)),
                    Map.of("item", "a"));

            Await.until("a full reload", WAIT, () -> cache.fullLoads() >= 2 && !cache.inStock("a"));
        }
    }
}
