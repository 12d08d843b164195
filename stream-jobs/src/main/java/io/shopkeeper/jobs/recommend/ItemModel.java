package io.shopkeeper.jobs.recommend;

import java.util.HashMap;
import java.util.Map;

/**
 * The learned, bounded state of one item (Flink keyed state, keyed by item): decayed weights of the
 * items that followed it in sessions. Bounded by {@link RecommenderConfig#getMaxNeighboursKept()}.
 */
public class ItemModel {
    /** Decayed weight per following item, valid as of {@link #lastUpdate}. */
    private Map<String, Double> weights = new HashMap<>();
    /** Event time (epoch millis) the weights were last decayed to. */
    private long lastUpdate;

    public ItemModel() {
    }

    public Map<String, Double> getWeights() { return weights; }
    public void setWeights(Map<String, Double> weights) { this.weights = weights; }
    public long getLastUpdate() { return lastUpdate; }
    public void setLastUpdate(long lastUpdate) { this.lastUpdate = lastUpdate; }
}
