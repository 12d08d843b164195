package io.shopkeeper.jobs.recommend;

import java.util.HashMap;
import java.util.Map;

/**
 * The learned, bounded state of one item (Flink keyed state, keyed by item): decayed weights of the
 * items that followed it ({@link #getWeights()}, sequential rules) and preceded it
 * ({@link #getBackward()}) in sessions, and its decayed view count. Each map holds at most
 * {@link RecommenderConfig#getMaxNeighboursKept()} entries; all values are valid as of
 * {@link #getLastUpdate()} and halve every {@link RecommenderConfig#getHalfLifeMillis()} of event time.
 * A Flink POJO.
 */
public class ItemModel {
    /** Decayed 1/gap weight per following item (sequential rules), valid as of {@link #lastUpdate}. */
    private Map<String, Double> weights = new HashMap<>();
    /** Decayed 1/gap weight per preceding item (reverse rules), valid as of {@link #lastUpdate}. */
    private Map<String, Double> backward = new HashMap<>();
    /** Decayed number of views of this item, valid as of {@link #lastUpdate}. */
    private double occurrences;
    /** Event time (epoch millis) the weights were last decayed to. */
    private long lastUpdate;

    public ItemModel() {
    }

    public Map<String, Double> getWeights() { return weights; }
    public void setWeights(Map<String, Double> weights) { this.weights = weights; }
    public Map<String, Double> getBackward() { return backward; }
    public void setBackward(Map<String, Double> backward) { this.backward = backward; }
    public double getOccurrences() { return occurrences; }
    public void setOccurrences(double occurrences) { this.occurrences = occurrences; }
    public long getLastUpdate() { return lastUpdate; }
    public void setLastUpdate(long lastUpdate) { this.lastUpdate = lastUpdate; }
}
