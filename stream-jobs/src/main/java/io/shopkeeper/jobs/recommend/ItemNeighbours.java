package io.shopkeeper.jobs.recommend;

import java.util.ArrayList;
import java.util.List;

/**
 * A read-only snapshot of an item's best neighbours (parallel lists, best first), small enough to
 * send to the visitor's operator and to cache there for every item of the current session.
 * Weights are the item's blended rule weights (following + {@code backwardWeight} x preceding),
 * decayed to the snapshot time; {@link #getOccurrences()} is the item's decayed view count, which
 * {@link SessionRecommender#recommend} uses to turn weights into comparable conditional scores.
 * A Flink POJO.
 */
public class ItemNeighbours {
    private String itemId;
    private List<String> items = new ArrayList<>();
    private List<Double> weights = new ArrayList<>();
    private double occurrences;

    public ItemNeighbours() {
    }

    public ItemNeighbours(String itemId, List<String> items, List<Double> weights) {
        this(itemId, items, weights, 0.0);
    }

    public ItemNeighbours(String itemId, List<String> items, List<Double> weights, double occurrences) {
        this.itemId = itemId;
        this.items = items;
        this.weights = weights;
        this.occurrences = occurrences;
    }

    public String getItemId() { return itemId; }
    public void setItemId(String itemId) { this.itemId = itemId; }
    public List<String> getItems() { return items; }
    public void setItems(List<String> items) { this.items = items; }
    public List<Double> getWeights() { return weights; }
    public void setWeights(List<Double> weights) { this.weights = weights; }
    public double getOccurrences() { return occurrences; }
    public void setOccurrences(double occurrences) { this.occurrences = occurrences; }

    public int size() {
        return items.size();
    }
}
