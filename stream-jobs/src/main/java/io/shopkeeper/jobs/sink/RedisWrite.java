package io.shopkeeper.jobs.sink;

import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RecommendationList;

/**
 * One change to Redis.
 *
 * <ul>
 *   <li>{@link Operation#VALUE}: a value under a key (exactly one payload set, or none to delete
 *       the key). Serialized to JSON only when the sink flushes, so a key updated many times
 *       between flushes is serialized once (last write wins, which also makes replays idempotent).
 *   <li>{@link Operation#SET_ADD}, {@link Operation#SET_REMOVE}: {@link #getMember()} into or out
 *       of a SET.
 *   <li>{@link Operation#HASH_PUT}: {@link #getMember()} as the field of a HASH, the payload as its
 *       value.
 *   <li>{@link Operation#STREAM_ADD}: an entry {@code item=}{@link #getMember()} appended to a
 *       capped STREAM.
 * </ul>
 *
 * All but VALUE are applied in arrival order after the buffered values; VALUE keys never overlap
 * the others.
 */
public class RedisWrite {
    /** What to do with the key. */
    public enum Operation {
        VALUE,
        SET_ADD,
        SET_REMOVE,
        HASH_PUT,
        STREAM_ADD
    }

    private String key;
    private Operation operation = Operation.VALUE;
    private ProfileDocument profile;
    private RecommendationList list;
    private ItemInfo item;

    /** A plain string value (aliases, timestamps), written as is. */
    private String text;

    /** The SET member, HASH field or STREAM entry value. */
    private String member;

    /** Visitor events whose effect this write carries, added to the progress counter on flush. */
    private int eventsApplied;

    public RedisWrite() {}

    public static RedisWrite profile(String key, ProfileDocument profile) {
        RedisWrite w = value(key);
        w.profile = profile;
        w.eventsApplied = 1;
        return w;
    }

    public static RedisWrite list(String key, RecommendationList list) {
        RedisWrite w = value(key);
        w.list = list;
        return w;
    }

    public static RedisWrite item(String key, ItemInfo item) {
        RedisWrite w = value(key);
        w.item = item;
        return w;
    }

    public static RedisWrite text(String key, String value) {
        RedisWrite w = value(key);
        w.text = value;
        return w;
    }

    public static RedisWrite delete(String key) {
        return value(key);
    }

    public static RedisWrite setAdd(String key, String member) {
        return operation(key, Operation.SET_ADD, member);
    }

    public static RedisWrite setRemove(String key, String member) {
        return operation(key, Operation.SET_REMOVE, member);
    }

    public static RedisWrite hashPut(String key, String field, ItemInfo item) {
        RedisWrite w = operation(key, Operation.HASH_PUT, field);
        w.item = item;
        return w;
    }

    public static RedisWrite streamAdd(String key, String itemId) {
        return operation(key, Operation.STREAM_ADD, itemId);
    }

    private static RedisWrite value(String key) {
        RedisWrite w = new RedisWrite();
        w.key = key;
        return w;
    }

    private static RedisWrite operation(String key, Operation operation, String member) {
        RedisWrite w = value(key);
        w.operation = operation;
        w.member = member;
        return w;
    }

    /** The payload to serialize, or {@code null} for a deletion. */
    public Object payload() {
        if (profile != null) return profile;
        if (list != null) return list;
        if (text != null) return text;
        return item;
    }

    public boolean isValueWrite() {
        return operation == Operation.VALUE;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public Operation getOperation() {
        return operation;
    }

    public void setOperation(Operation operation) {
        this.operation = operation;
    }

    public ProfileDocument getProfile() {
        return profile;
    }

    public void setProfile(ProfileDocument profile) {
        this.profile = profile;
    }

    public RecommendationList getList() {
        return list;
    }

    public void setList(RecommendationList list) {
        this.list = list;
    }

    public ItemInfo getItem() {
        return item;
    }

    public void setItem(ItemInfo item) {
        this.item = item;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }

    public String getMember() {
        return member;
    }

    public void setMember(String member) {
        this.member = member;
    }

    public int getEventsApplied() {
        return eventsApplied;
    }

    public void setEventsApplied(int eventsApplied) {
        this.eventsApplied = eventsApplied;
    }

    @Override
    public String toString() {
        return "RedisWrite{" + operation + " " + key + (member == null ? "" : " " + member) + "}";
    }
}
