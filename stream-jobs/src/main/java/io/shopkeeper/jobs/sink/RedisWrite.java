package io.shopkeeper.jobs.sink;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.RecommendationList;

/**
 * One value to put under one Redis key; exactly one payload is set, or none to delete the key.
 * The value is serialized to JSON only when the sink flushes, so a key updated many times between
 * flushes is serialized once (last write wins, which also makes replays idempotent).
 */
public class RedisWrite {
    private String key;
    private CustomerProfile profile;
    private RecommendationList list;
    private ItemInfo item;
    /** Visitor events whose effect this write carries, added to the progress counter on flush. */
    private int eventsApplied;

    public RedisWrite() {
    }

    public static RedisWrite profile(String key, CustomerProfile profile) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        w.profile = profile;
        w.eventsApplied = 1;
        return w;
    }

    public static RedisWrite list(String key, RecommendationList list) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        w.list = list;
        return w;
    }

    public static RedisWrite item(String key, ItemInfo item) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        w.item = item;
        return w;
    }

    public static RedisWrite delete(String key) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        return w;
    }

    /** The payload to serialize, or {@code null} for a deletion. */
    public Object payload() {
        if (profile != null) return profile;
        if (list != null) return list;
        return item;
    }

    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
    public CustomerProfile getProfile() { return profile; }
    public void setProfile(CustomerProfile profile) { this.profile = profile; }
    public RecommendationList getList() { return list; }
    public void setList(RecommendationList list) { this.list = list; }
    public ItemInfo getItem() { return item; }
    public void setItem(ItemInfo item) { this.item = item; }
    public int getEventsApplied() { return eventsApplied; }
    public void setEventsApplied(int eventsApplied) { this.eventsApplied = eventsApplied; }

    @Override
    public String toString() {
        return "RedisWrite{" + key + "}";
    }
}
