package io.shopkeeper.jobs.recommend;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A read-only snapshot of an item's best neighbours (parallel lists, best first), small enough to
 * send to the visitor's operator and to cache there for every item of the current session. Weights
 * are the item's blended rule weights (following + {@code backwardWeight} x preceding), decayed to
 * the snapshot time; {@link #getOccurrences()} is the item's decayed view count, which {@link
 * SessionRecommender#recommend} uses to turn weights into comparable conditional scores. The {@code
 * sample*} lists are the most recent {@link RecommenderConfig#getSessionSampleShared()} sessions of
 * the item's session sample (same layout as in {@link ItemModel}): candidate neighbour sessions for
 * the session-kNN part of the scoring. The {@code context*} lists are the item's strongest
 * second-order rules "this item, then {@code contextThen[j]}, then {@code contextNext[j]}" with
 * their weights ({@link ContextRules}). Serialized by {@link ItemNeighboursSerializer}.
 */
@TypeInfo(ItemNeighboursSerializer.Factory.class)
public class ItemNeighbours {
    private String itemId;
    private List<String> items = new ArrayList<>();
    private List<Double> weights = new ArrayList<>();
    private double occurrences;
    private List<String> sampleSessions = new ArrayList<>();
    private List<Long> sampleTimes = new ArrayList<>();
    private List<Integer> sampleSizes = new ArrayList<>();
    private List<String> sampleItems = new ArrayList<>();
    private List<String> contextThen = new ArrayList<>();
    private List<String> contextNext = new ArrayList<>();
    private List<Double> contextWeights = new ArrayList<>();
    // the sampleSessions and sampleItems as ids in the TextIds of the ranking that decoded this
    // snapshot, or null
    private transient int[] sampleSessionIds;
    private transient int[] sampleItemIds;
    // the items and weights as ids in that TextIds and as doubles, or null
    private transient int[] itemIds;
    private transient double[] weightValues;

    public ItemNeighbours() {}

    public ItemNeighbours(String itemId, List<String> items, List<Double> weights) {
        this(itemId, items, weights, 0.0);
    }

    public ItemNeighbours(
            String itemId, List<String> items, List<Double> weights, double occurrences) {
        this.itemId = itemId;
        this.items = items;
        this.weights = weights;
        this.occurrences = occurrences;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public List<String> getItems() {
        return items;
    }

    public void setItems(List<String> items) {
        this.items = items;
        this.itemIds = null;
    }

    public List<Double> getWeights() {
        return weights;
    }

    public void setWeights(List<Double> weights) {
        this.weights = weights;
        this.weightValues = null;
    }

    public double getOccurrences() {
        return occurrences;
    }

    public void setOccurrences(double occurrences) {
        this.occurrences = occurrences;
    }

    public List<String> getSampleSessions() {
        return sampleSessions;
    }

    public void setSampleSessions(List<String> v) {
        this.sampleSessions = v;
        this.sampleSessionIds = null;
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
        this.sampleItemIds = null;
    }

    /**
     * The sampled sessions as ids in the {@link TextIds} table of the one ranking that decoded this
     * snapshot ({@link ItemNeighboursCodec}), or null (a snapshot made otherwise).
     */
    int[] sampleSessionIds() {
        return sampleSessionIds;
    }

    void setSampleSessionIds(int[] ids) {
        this.sampleSessionIds = ids;
    }

    /** The sampled items as ids, as {@link #sampleSessionIds()}. */
    int[] sampleItemIds() {
        return sampleItemIds;
    }

    void setSampleItemIds(int[] ids) {
        this.sampleItemIds = ids;
    }

    /**
     * The neighbours' items as ids in the {@link TextIds} table of the one ranking that decoded
     * this snapshot ({@link ItemNeighboursCodec}), or null (a snapshot made otherwise); set
     * together with {@link #weightValues()}.
     */
    int[] itemIds() {
        return itemIds;
    }

    /** The neighbours' weights as doubles when {@link #itemIds()} is set, else null. */
    double[] weightValues() {
        return weightValues;
    }

    /** Sets the items and weights, with their ids and values ({@link #itemIds()}). */
    void setNeighbours(List<String> items, int[] ids, List<Double> weights, double[] values) {
        this.items = items;
        this.weights = weights;
        this.itemIds = ids;
        this.weightValues = values;
    }

    public List<String> getContextThen() {
        return contextThen;
    }

    public void setContextThen(List<String> v) {
        this.contextThen = v;
    }

    public List<String> getContextNext() {
        return contextNext;
    }

    public void setContextNext(List<String> v) {
        this.contextNext = v;
    }

    public List<Double> getContextWeights() {
        return contextWeights;
    }

    public void setContextWeights(List<Double> v) {
        this.contextWeights = v;
    }

    public int size() {
        return items.size();
    }

    /**
     * The first {@code size} of {@code values} as a read-only list, boxed only on reading ({@link
     * SessionRecommender#topNeighbours} and {@link ItemNeighboursCodec} make their weights this way
     * instead of boxing each).
     */
    static List<Double> doubles(double[] values, int size) {
        return new Doubles(values, size);
    }

    /** The array behind a list of {@link #doubles}, else null. */
    static double[] unboxed(List<Double> values) {
        return values instanceof Doubles doubles ? doubles.values : null;
    }

    private static final class Doubles extends AbstractList<Double> implements RandomAccess {
        private final double[] values;
        private final int size;

        Doubles(double[] values, int size) {
            if (size > values.length) throw new IndexOutOfBoundsException(size);
            this.values = values;
            this.size = size;
        }

        @Override
        public Double get(int index) {
            return values[Objects.checkIndex(index, size)];
        }

        @Override
        public int size() {
            return size;
        }
    }
}
