package io.shopkeeper.jobs.sink;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.RecommendationList;

/**
 * One change to Redis. Either a value under a key (exactly one payload set, or none to delete the
 * key), serialized to JSON only when the sink flushes so a key updated many times between flushes
 * is serialized once (last write wins, which also makes replays idempotent); or a set operation
 * ({@link #setAdd}/{@link #setRemove} of {@link #getMember()}), applied in order. Value keys and set
 * keys never overlap.
 */
public class RedisWrite {
    private String key;
    private CustomerProfile profile;
    private RecommendationList list;
    private ItemInfo item;
    /** A plain string value (aliases, timestamps), written as is. */
    private String text;
    /** For set operations: the member added ({@code setAdd}) or removed. */
    private String member;
    private boolean setAdd;
    private boolean setRemove;
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

    public static RedisWrite text(String key, String value) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        w.text = value;
        return w;
    }

    public static RedisWrite setAdd(String key, String member) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        w.member = member;
        w.setAdd = true;
        return w;
    }

    public static RedisWrite setRemove(String key, String member) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        w.member = member;
        w.setRemove = true;
        return w;
    }

    public boolean isSetOperation() {
        return setAdd || setRemove;
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
        if (text != null) return text;
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
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }
    public String getMember() { return member; }
    public void setMember(String member) { this.member = member; }
    public boolean isSetAdd() { return setAdd; }
    public void setSetAdd(boolean setAdd) { this.setAdd = setAdd; }
    public boolean isSetRemove() { return setRemove; }
    public void setSetRemove(boolean setRemove) { this.setRemove = setRemove; }
    public int getEventsApplied() { return eventsApplied; }
    public void setEventsApplied(int eventsApplied) { this.eventsApplied = eventsApplied; }

    @Override
    public String toString() {
        return "RedisWrite{" + key + "}";
    }
}
