package io.shopkeeper.jobs.recommend;

/**
 * One learning step for the model of {@link #getItemId()}: "in a session, {@code otherItem} followed
 * (or accompanied) this item with this weight". Produced by {@link SessionRecommender#updatesFor},
 * routed to the item's key, applied by {@link SessionRecommender#apply}.
 */
public class ItemUpdate {
    private String itemId;
    private String otherItem;
    private double weight;

    public ItemUpdate() {
    }

    public ItemUpdate(String itemId, String otherItem, double weight) {
        this.itemId = itemId;
        this.otherItem = otherItem;
        this.weight = weight;
    }

    public String getItemId() { return itemId; }
    public void setItemId(String itemId) { this.itemId = itemId; }
    public String getOtherItem() { return otherItem; }
    public void setOtherItem(String otherItem) { this.otherItem = otherItem; }
    public double getWeight() { return weight; }
    public void setWeight(double weight) { this.weight = weight; }

    @Override
    public String toString() {
        return itemId + "->" + otherItem + ":" + weight;
    }
}
