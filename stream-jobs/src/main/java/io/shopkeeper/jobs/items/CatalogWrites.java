package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A catalog update as Redis writes: the item's own key, its field in the catalog hash (which the
 * API loads into memory), and an entry in the change stream (from which the API refreshes that
 * copy).
 */
public class CatalogWrites implements FlatMapFunction<ShopEvent, RedisWrite> {
    @Override
    public void flatMap(ShopEvent update, Collector<RedisWrite> out) {
        ItemInfo info = ItemInfo.of(update);
        out.collect(RedisWrite.item(RedisKeys.item(update.getItemId()), info));
        out.collect(RedisWrite.hashPut(RedisKeys.CATALOG, update.getItemId(), info));
        out.collect(RedisWrite.streamAdd(RedisKeys.CATALOG_CHANGES, update.getItemId()));
    }
}
