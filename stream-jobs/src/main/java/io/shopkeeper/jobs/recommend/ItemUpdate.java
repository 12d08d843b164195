package io.shopkeeper.jobs.recommend;

import java.util.ArrayList;
import java.util.List;

/**
 * One learning step for the model of {@link #getItemId()}, produced by {@link
 * SessionRecommender#updatesFor}, routed to the item's key and applied by {@link
 * SessionRecommender#apply}. The {@link #getKind() kind} says what was observed:
 *
 * <ul>
 *   <li>{@link Kind#FOLLOWED}: {@code otherItem} came after this item in a session, {@code weight}
 *       = 1/gap (a sequential rule);
 *   <li>{@link Kind#PRECEDED}: {@code otherItem} came before this item, {@code weight} = 1/gap (the
 *       reverse direction; together with FOLLOWED it is windowed co-occurrence);
 *   <li>{@link Kind#SEEN}: this item was viewed once ({@code otherItem} is null, {@code weight} 1);
 *       keeps the item's decayed view count.
 *   <li>{@link Kind#SESSION}: session {@code sessionId} (which contains this item) now ends with
 *       {@code sessionItems} (its last few items, oldest first); refreshes the session in the
 *       item's bounded session sample.
 *   <li>{@link Kind#CONTEXT}: in a session, {@code otherItem} came right after this item and {@code
 *       nextItem} right after that (a second-order rule, see {@link ContextRules}).
 * </ul>
 *
 * A Flink POJO (public no-arg constructor, getter and setter per field).
 */
public class ItemUpdate {
    /** What an update records. */
    public enum Kind {
        FOLLOWED,
        PRECEDED,
        SEEN,
        SESSION,
        CONTEXT
    }

    private String itemId;
    private String otherItem;
    private double weight;
    private Kind kind = Kind.FOLLOWED;

    /** Session id (only for {@link Kind#SESSION}). */
    private String sessionId;

    /** The session's last items, oldest first (only for {@link Kind#SESSION}). */
    private List<String> sessionItems = new ArrayList<>();

    /** The item that followed {@code otherItem} (only for {@link Kind#CONTEXT}). */
    private String nextItem;

    public ItemUpdate() {}

    /** A {@link Kind#FOLLOWED} step (sequential rule {@code itemId -> otherItem}). */
    public ItemUpdate(String itemId, String otherItem, double weight) {
        this(itemId, otherItem, weight, Kind.FOLLOWED);
    }

    public ItemUpdate(String itemId, String otherItem, double weight, Kind kind) {
        this.itemId = itemId;
        this.otherItem = otherItem;
        this.weight = weight;
        this.kind = kind;
    }

    /** A {@link Kind#SESSION} step for the model of {@code itemId}. */
    public static ItemUpdate session(String itemId, String sessionId, List<String> sessionItems) {
        ItemUpdate u = new ItemUpdate(itemId, null, 1.0, Kind.SESSION);
        u.sessionId = sessionId;
        u.sessionItems = sessionItems;
        return u;
    }

    /**
     * A {@link Kind#CONTEXT} step for the model of {@code itemId}: then {@code then}, then {@code
     * next}.
     */
    public static ItemUpdate context(String itemId, String then, String next) {
        ItemUpdate u = new ItemUpdate(itemId, then, 1.0, Kind.CONTEXT);
        u.nextItem = next;
        return u;
    }

    public String getNextItem() {
        return nextItem;
    }

    public void setNextItem(String nextItem) {
        this.nextItem = nextItem;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getOtherItem() {
        return otherItem;
    }

    public void setOtherItem(String otherItem) {
        this.otherItem = otherItem;
    }

    public double getWeight() {
        return weight;
    }

    public void setWeight(double weight) {
        this.weight = weight;
    }

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public String getSessionId() {
        return sessionId;
    }

    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public List<String> getSessionItems() {
        return sessionItems;
    }

    public void setSessionItems(List<String> sessionItems) {
        this.sessionItems = sessionItems;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SESSION -> kind + ":" + itemId + ":" + sessionId + sessionItems;
            case CONTEXT -> kind + ":" + itemId + "->" + otherItem + "->" + nextItem;
            default -> kind + ":" + itemId + "->" + otherItem + ":" + weight;
        };
    }
}
