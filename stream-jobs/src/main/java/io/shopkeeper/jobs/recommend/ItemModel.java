package io.shopkeeper.jobs.recommend;

import io.shopkeeper.jobs.types.WeightTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The learned, bounded state of one item (Flink keyed state, keyed by item): decayed weights of the
 * items that followed it ({@link #getWeights()}, sequential rules) and preceded it ({@link
 * #getBackward()}) in sessions, and its decayed view count. Each map holds at most {@link
 * RecommenderConfig#getMaxNeighboursKept()} entries; all values are valid as of {@link
 * #getLastUpdate()} and halve every {@link RecommenderConfig#getHalfLifeMillis()} of event time.
 *
 * <p>It also keeps a bounded, recency-ordered sample of the recent sessions that contained the item
 * (for the session-neighbourhood part of the scoring), as parallel flat lists, most recent first:
 * session {@code i} has id {@code sampleSessions[i]}, last event time {@code sampleTimes[i]} and
 * its items (oldest first) are the next {@code sampleSizes[i]} entries of {@code sampleItems}. At
 * most {@link RecommenderConfig#getSessionSampleSize()} sessions of at most {@link
 * RecommenderConfig#getSessionSampleItems()} items each; the oldest session is dropped beyond it.
 *
 * <p>And the decayed weights of its second-order rules ({@link #getContexts()}, see {@link
 * ContextRules}), at most {@link RecommenderConfig#getContextsKept()}. A Flink POJO (for the
 * migration of older savepoints; its state serializer is {@link ItemModelSerializer}) whose maps
 * are {@link WeightTable}s: arrays the scoring reads without boxing.
 */
public class ItemModel {
    /**
     * Decayed 1/gap weight per following item (sequential rules), valid as of {@link #lastUpdate}.
     */
    private Map<String, Double> weights = new WeightTable();

    /** Decayed 1/gap weight per preceding item (reverse rules), valid as of {@link #lastUpdate}. */
    private Map<String, Double> backward = new WeightTable();

    /** Decayed number of views of this item, valid as of {@link #lastUpdate}. */
    private double occurrences;

    /** Event time (epoch millis) the weights were last decayed to. */
    private long lastUpdate;

    /** Ids of the sampled sessions, most recent first. */
    private List<String> sampleSessions = new ArrayList<>();

    /** Event time (epoch millis) of each sampled session's last update. */
    private List<Long> sampleTimes = new ArrayList<>();

    /** Number of items of each sampled session in {@link #sampleItems}. */
    private List<Integer> sampleSizes = new ArrayList<>();

    /** The sampled sessions' items, concatenated in the order of {@link #sampleSessions}. */
    private List<String> sampleItems = new ArrayList<>();

    /**
     * Decayed weight per second-order rule "this item, then b, then c", keyed {@code
     * ContextRules.key(b, c)}, valid as of {@link #lastUpdate}.
     */
    private Map<String, Double> contexts = new WeightTable();

    public ItemModel() {}

    public Map<String, Double> getContexts() {
        return rules();
    }

    /** Sets the rules' weights (copied into the model's own table unless one already). */
    public void setContexts(Map<String, Double> contexts) {
        this.contexts = WeightTable.of(contexts);
    }

    public Map<String, Double> getWeights() {
        return followed();
    }

    /** Sets the followers' weights (copied into the model's own table unless one already). */
    public void setWeights(Map<String, Double> weights) {
        this.weights = WeightTable.of(weights);
    }

    public Map<String, Double> getBackward() {
        return preceded();
    }

    /** Sets the predecessors' weights (copied into the model's own table unless one already). */
    public void setBackward(Map<String, Double> backward) {
        this.backward = WeightTable.of(backward);
    }

    // The POJO serializer (older savepoints, migrated on restore) sets the fields to plain maps:
    // the
    // model turns them into tables on first use.

    WeightTable followed() {
        if (weights instanceof WeightTable table) return table;
        WeightTable table = WeightTable.of(weights);
        weights = table;
        return table;
    }

    WeightTable preceded() {
        if (backward instanceof WeightTable table) return table;
        WeightTable table = WeightTable.of(backward);
        backward = table;
        return table;
    }

    WeightTable rules() {
        if (contexts instanceof WeightTable table) return table;
        WeightTable table = WeightTable.of(contexts);
        contexts = table;
        return table;
    }

    public double getOccurrences() {
        return occurrences;
    }

    public void setOccurrences(double occurrences) {
        this.occurrences = occurrences;
    }

    public long getLastUpdate() {
        return lastUpdate;
    }

    public void setLastUpdate(long lastUpdate) {
        this.lastUpdate = lastUpdate;
    }

    public List<String> getSampleSessions() {
        return sampleSessions;
    }

    public void setSampleSessions(List<String> v) {
        this.sampleSessions = v;
    }

    public List<Long> getSampleTimes() {
        return sampleTimes;
    }

    public void setSampleTimes(List<Long> v) {
        this.sampleTimes = v;
    }

    public List<Integer> getSampleSizes() {
        return sampleSizes;
    }

    public void setSampleSizes(List<Integer> v) {
        this.sampleSizes = v;
    }

    public List<String> getSampleItems() {
        return sampleItems;
    }

    public void setSampleItems(List<String> v) {
        this.sampleItems = v;
    }
}
