package io.shopkeeper.jobs.sink;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ItemInfo;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RecommendationListCodec;
import io.shopkeeper.schemas.RedisKeys;
import org.apache.flink.api.common.typeinfo.TypeInfo;

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
 *   <li>{@link Operation#SORTED_ADD}: {@link #getMember()} into a sorted SET with {@link
 *       #getScore()}, keeping the {@link #getKeep()} highest scored members.
 *   <li>{@link Operation#EXPIRE_AT}: the key expires at {@link #getExpireAt()} (epoch millis).
 *   <li>{@link Operation#DELETE}: the key is deleted, in order with the other operations (a VALUE
 *       deletion is applied before them).
 *   <li>{@link Operation#COUNT}: nothing is written but {@link #getEventsApplied()}, added to
 *       {@link RedisKeys#EVENTS_APPLIED} with the flush ({@link #eventsDone}).
 * </ul>
 *
 * All but VALUE are applied in arrival order after the buffered values; VALUE keys never overlap
 * the others.
 *
 * <p>Between operators a write travels in its stored form ({@link RedisWriteSerializer}): the
 * payload as the JSON Redis gets, so a profile is encoded once on its way and never taken apart
 * field by field; on the receiving side {@link #storedValue()} is that JSON, and the payload
 * objects are decoded from it only if asked for.
 */
@TypeInfo(RedisWriteSerializer.Factory.class)
public class RedisWrite {
    /** What to do with the key. */
    public enum Operation {
        VALUE,
        SET_ADD,
        SET_REMOVE,
        HASH_PUT,
        STREAM_ADD,
        SORTED_ADD,
        EXPIRE_AT,
        DELETE,
        COUNT
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

    /** What a received write's payload was (TEXT, PROFILE, LIST or ITEM), with its stored form. */
    private Payload storedKind;

    /** The payload's stored form, when this write was received from another operator. */
    private String stored;

    /** The kinds of payload, as a received write remembers them. */
    enum Payload {
        TEXT,
        PROFILE,
        LIST,
        ITEM
    }

    /** {@link Operation#SORTED_ADD}: the member's score and how many members the set keeps. */
    private double score;

    private int keep;

    /** {@link Operation#EXPIRE_AT}: epoch millis. */
    private long expireAt;

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

    /** A HASH field set to a plain string (written as is). */
    public static RedisWrite hashPutText(String key, String field, String value) {
        RedisWrite w = operation(key, Operation.HASH_PUT, field);
        w.text = value;
        return w;
    }

    /** {@code member} into a sorted SET at {@code score}; only the {@code keep} highest stay. */
    public static RedisWrite sortedAdd(String key, String member, double score, int keep) {
        RedisWrite w = operation(key, Operation.SORTED_ADD, member);
        w.score = score;
        w.keep = keep;
        return w;
    }

    public static RedisWrite expireAt(String key, long epochMillis) {
        RedisWrite w = operation(key, Operation.EXPIRE_AT, null);
        w.expireAt = epochMillis;
        return w;
    }

    /** Deletes the key in order with the other operations on it. */
    public static RedisWrite deleteInOrder(String key) {
        return operation(key, Operation.DELETE, null);
    }

    /**
     * Visitor events the job is done with that no other write carries (dropped as duplicates,
     * dead-lettered, changing nothing): only counted, see {@link RedisKeys#EVENTS_APPLIED}.
     */
    public static RedisWrite eventsDone(int events) {
        RedisWrite w = operation(RedisKeys.EVENTS_APPLIED, Operation.COUNT, null);
        w.eventsApplied = events;
        return w;
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

    /** The payload, or {@code null} for a deletion. */
    public Object payload() {
        if (profile != null) return profile;
        if (list != null) return list;
        if (text != null) return text;
        if (item != null) return item;
        return stored;
    }

    /**
     * What Redis stores for the payload: a text as is, a list in its compact form ({@link
     * RecommendationListCodec}), a profile as {@link ProfileDocument#toJson()} writes it, anything
     * else as JSON; {@code null} for a deletion.
     */
    public String storedValue() {
        if (text != null) return text;
        if (stored != null) return stored;
        if (profile != null) return profile.toJson();
        if (list != null) return RecommendationListCodec.encode(list);
        if (item != null) return EventCodec.encodeToString(item);
        return null;
    }

    /** The kind of this write's payload, or null for none (a deletion or a set operation). */
    Payload payloadKind() {
        if (text != null) return Payload.TEXT;
        if (profile != null) return Payload.PROFILE;
        if (list != null) return Payload.LIST;
        if (item != null) return Payload.ITEM;
        return stored == null ? null : storedKind;
    }

    /**
     * A write received from another operator: the payload in its stored form; the payload objects
     * are decoded from it only when asked for ({@link #getProfile()} etc., tests and collecting
     * sinks), never by the Redis sink.
     */
    static RedisWrite received(
            String key, Operation operation, String member, Payload kind, String value) {
        RedisWrite w = value(key);
        w.operation = operation;
        w.member = member;
        if (kind == Payload.TEXT) w.text = value;
        else if (kind != null) {
            w.storedKind = kind;
            w.stored = value;
        }
        return w;
    }

    private Object decodeStored(Payload kind) {
        if (stored == null || storedKind != kind) return null;
        try {
            return switch (kind) {
                case PROFILE -> ProfileDocument.read(stored);
                case LIST -> RecommendationListCodec.decode(stored);
                case ITEM -> EventCodec.mapper().readValue(stored, ItemInfo.class);
                case TEXT -> stored;
            };
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("unreadable stored " + kind + " at " + key, e);
        }
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
        if (profile == null && storedKind == Payload.PROFILE)
            profile = (ProfileDocument) decodeStored(Payload.PROFILE);
        return profile;
    }

    public void setProfile(ProfileDocument profile) {
        this.profile = profile;
    }

    public RecommendationList getList() {
        if (list == null && storedKind == Payload.LIST)
            list = (RecommendationList) decodeStored(Payload.LIST);
        return list;
    }

    public void setList(RecommendationList list) {
        this.list = list;
    }

    public ItemInfo getItem() {
        if (item == null && storedKind == Payload.ITEM)
            item = (ItemInfo) decodeStored(Payload.ITEM);
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

    public double getScore() {
        return score;
    }

    public void setScore(double score) {
        this.score = score;
    }

    public int getKeep() {
        return keep;
    }

    public void setKeep(int keep) {
        this.keep = keep;
    }

    public long getExpireAt() {
        return expireAt;
    }

    public void setExpireAt(long expireAt) {
        this.expireAt = expireAt;
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
