package io.shopkeeper.jobs.recommend;

/**
 * One learning step for the model of {@link #getItemId()}, produced by
 * {@link SessionRecommender#updatesFor}, routed to the item's key and applied by
 * {@link SessionRecommender#apply}. The {@link #getKind() kind} says what was observed:
 * <ul>
 *   <li>{@link Kind#FOLLOWED}: {@code otherItem} came after this item in a session, {@code weight} = 1/gap
 *   (a sequential rule);</li>
 *   <li>{@link Kind#PRECEDED}: {@code otherItem} came before this item, {@code weight} = 1/gap
 *   (the reverse direction; together with FOLLOWED it is windowed co-occurrence);</li>
 *   <li>{@link Kind#SEEN}: this item was viewed once ({@code otherItem} is null, {@code weight} 1);
 *   keeps the item's decayed view count.</li>
 * </ul>
 * A Flink POJO (public no-arg constructor, getter and setter per field).
 */
public class ItemUpdate {
    /** What an update records. */
    public enum Kind { FOLLOWED, PRECEDED, SEEN }

    private String itemId;
    private String otherItem;
    private double weight;
    private Kind kind = Kind.FOLLOWED;

    public ItemUpdate() {
    }

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

    public String getItemId() { return itemId; }
    public void setItemId(String itemId) { this.itemId = itemId; }
    public String getOtherItem() { return otherItem; }
    public void setOtherItem(String otherItem) { this.otherItem = otherItem; }
    public double getWeight() { return weight; }
    public void setWeight(double weight) { this.weight = weight; }
    public Kind getKind() { return kind; }
    public void setKind(Kind kind) { this.kind = kind; }

    @Override
    public String toString() {
        return kind + ":" + itemId + "->" + otherItem + ":" + weight;
    }
}
