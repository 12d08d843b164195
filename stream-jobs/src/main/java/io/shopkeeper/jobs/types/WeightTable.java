package io.shopkeeper.jobs.types;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A map from id to weight for the weights that hot state keeps (an item model's neighbours and
 * rules, a profile's affinities and signal tallies): ids and weights in dense parallel arrays
 * ({@link #keyAt}, {@link #weightAt}, positions {@code 0..size-1}, no boxing) with an
 * open-addressing index from id to position. The scoring, the decay and the state serializers read
 * the arrays directly; everything else sees a {@code Map<String, Double>}. A table keeps a few to a
 * few hundred entries and changes a few per step, evicting the weakest when full: a removal moves
 * the last entry into the freed position, so iteration order is not insertion order (no caller may
 * depend on it: every ranking and eviction breaks ties by id). Ids are never null.
 *
 * <p>{@link #copy} clones the arrays and never reads a key: a state copy of a table that was read
 * from state (or last touched long ago) costs a few contiguous array copies, where copying a {@code
 * HashMap} visits every entry node and key string, each a likely cache miss.
 */
public final class WeightTable extends AbstractMap<String, Double> {
    private static final String[] NO_KEYS = new String[0];
    private static final double[] NO_WEIGHTS = new double[0];
    private static final int[] NO_SLOTS = new int[0];

    /** Room for this many entries at least: a profile's tallies often hold two or three. */
    private static final int MIN_CAPACITY = 4;

    private String[] keys = NO_KEYS;
    private double[] weights = NO_WEIGHTS;

    /** Each key's spread hash: a probe compares it before touching the key's string. */
    private int[] hashes = NO_SLOTS;

    private int size;

    /** Position + 1 of the id hashed to each slot, 0 when free; at most half full. */
    private int[] slots = NO_SLOTS;

    public WeightTable() {}

    /** An empty table with room for {@code n} entries. */
    public WeightTable(int n) {
        if (n > 0) grow(n);
    }

    /** The table of {@code map} itself when it is one, else a copy (maps of older POJO state). */
    public static WeightTable of(Map<String, Double> map) {
        if (map instanceof WeightTable table) return table;
        WeightTable table = new WeightTable(map == null ? 0 : map.size());
        if (map != null)
            for (Map.Entry<String, Double> e : map.entrySet()) table.put(e.getKey(), e.getValue());
        return table;
    }

    /** An independent table with the same entries in the same order (the keys are shared). */
    public WeightTable copy() {
        WeightTable copy = new WeightTable();
        if (size == 0) return copy;
        copy.keys = keys.clone();
        copy.weights = weights.clone();
        copy.hashes = hashes.clone();
        copy.slots = slots.clone();
        copy.size = size;
        return copy;
    }

    @Override
    public int size() {
        return size;
    }

    public String keyAt(int position) {
        return keys[position];
    }

    public double weightAt(int position) {
        return weights[position];
    }

    /** The position of {@code id}, or -1 when absent. */
    public int indexOf(String id) {
        return size == 0 ? -1 : indexOf(id, spread(id.hashCode()));
    }

    /**
     * The hash of the key at {@code position}: {@link #indexOf(String, int)} in another table takes
     * it instead of reading the key's string (a cold object when the table was read from state).
     */
    public int hashAt(int position) {
        return hashes[position];
    }

    /** The position of {@code id}, whose {@link #hashAt} is {@code hash}, or -1 when absent. */
    public int indexOf(String id, int hash) {
        if (size == 0) return -1;
        int mask = slots.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int held = slots[slot] - 1;
            if (held < 0) return -1;
            if (hashes[held] == hash) {
                String key = keys[held];
                if (key == id || key.equals(id)) return held;
            }
        }
    }

    /** Adds {@code weight} to the weight of {@code id} (an entry of {@code weight} if absent). */
    public void add(String id, double weight) {
        int at = indexOf(id);
        if (at >= 0) weights[at] = weights[at] + weight;
        else append(id, weight);
    }

    /** Sets the weight of {@code id}, adding the entry if absent. */
    public void set(String id, double weight) {
        int at = indexOf(id);
        if (at >= 0) weights[at] = weight;
        else append(id, weight);
    }

    /** Multiplies every weight by {@code factor}. */
    public void scale(double factor) {
        for (int i = 0; i < size; i++) weights[i] = weights[i] * factor;
    }

    /**
     * Removes the weakest entries until at most {@code cap} remain; ties: the lexicographically
     * largest id goes first, so the result does not depend on the order of the entries.
     */
    public void evictWeakest(int cap) {
        while (size > cap) {
            int weakest = -1;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                double v = weights[i];
                if (v < min || (v == min && weakest >= 0 && keys[i].compareTo(keys[weakest]) > 0)) {
                    min = v;
                    weakest = i;
                }
            }
            if (weakest < 0) return; // only NaN weights left: nothing is weaker than another
            removeAt(weakest);
        }
    }

    @Override
    public Double get(Object key) {
        int at = key instanceof String id ? indexOf(id) : -1;
        return at < 0 ? null : weights[at];
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String id && indexOf(id) >= 0;
    }

    @Override
    public Double put(String key, Double value) {
        Objects.requireNonNull(key);
        double w = value;
        int at = indexOf(key);
        if (at < 0) {
            append(key, w);
            return null;
        }
        double old = weights[at];
        weights[at] = w;
        return old;
    }

    @Override
    public Double merge(
            String key,
            Double value,
            BiFunction<? super Double, ? super Double, ? extends Double> remapping) {
        int at = indexOf(Objects.requireNonNull(key));
        if (at < 0) {
            append(key, value);
            return value;
        }
        Double merged = remapping.apply(weights[at], value);
        if (merged == null) removeAt(at);
        else weights[at] = merged;
        return merged;
    }

    @Override
    public void replaceAll(BiFunction<? super String, ? super Double, ? extends Double> f) {
        for (int i = 0; i < size; i++) weights[i] = f.apply(keys[i], weights[i]);
    }

    @Override
    public Double remove(Object key) {
        int at = key instanceof String id ? indexOf(id) : -1;
        if (at < 0) return null;
        double old = weights[at];
        removeAt(at);
        return old;
    }

    @Override
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(slots, 0);
        size = 0;
    }

    @Override
    public Set<Map.Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Double> next() {
                        if (next >= size) throw new NoSuchElementException();
                        last = next++;
                        return new Entry(last);
                    }

                    @Override
                    public void remove() {
                        if (last < 0) throw new IllegalStateException();
                        removeAt(last); // the last entry moves into its place: visit it next
                        next = last;
                        last = -1;
                    }
                };
            }
        };
    }

    /** A view of the entry at one position (valid until the table next changes its shape). */
    private final class Entry implements Map.Entry<String, Double> {
        private final int position;

        Entry(int position) {
            this.position = position;
        }

        @Override
        public String getKey() {
            return keys[position];
        }

        @Override
        public Double getValue() {
            return weights[position];
        }

        @Override
        public Double setValue(Double value) {
            double old = weights[position];
            weights[position] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e
                    && getKey().equals(e.getKey())
                    && getValue().equals(e.getValue());
        }

        @Override
        public int hashCode() {
            return getKey().hashCode() ^ getValue().hashCode();
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }

    private void append(String id, double weight) {
        if (size == keys.length || size * 2 >= slots.length) grow(size + 1);
        keys[size] = id;
        weights[size] = weight;
        hashes[size] = spread(id.hashCode());
        size++;
        insertSlot(size - 1);
    }

    private void insertSlot(int position) {
        int mask = slots.length - 1;
        int slot = hashes[position] & mask;
        while (slots[slot] != 0) slot = (slot + 1) & mask;
        slots[slot] = position + 1;
    }

    /** The slot that holds {@code position}. */
    private int slotOf(int position) {
        int mask = slots.length - 1;
        int slot = hashes[position] & mask;
        while (slots[slot] != position + 1) slot = (slot + 1) & mask;
        return slot;
    }

    /** Removes the entry at {@code position}; the last entry takes its position. */
    private void removeAt(int position) {
        freeSlot(slotOf(position));
        int last = size - 1;
        if (position != last) {
            slots[slotOf(last)] = position + 1;
            keys[position] = keys[last];
            weights[position] = weights[last];
            hashes[position] = hashes[last];
        }
        keys[last] = null;
        size = last;
    }

    /** Frees a slot, shifting back the entries of its probe run (linear probing, no tombstones). */
    private void freeSlot(int free) {
        int mask = slots.length - 1;
        int slot = free;
        while (true) {
            slot = (slot + 1) & mask;
            int held = slots[slot];
            if (held == 0) break;
            int home = hashes[held - 1] & mask;
            // the entry may move back to the free slot when its home is not in (free, slot]
            boolean movable =
                    free <= slot ? (home <= free || home > slot) : (home <= free && home > slot);
            if (movable) {
                slots[free] = held;
                free = slot;
            }
        }
        slots[free] = 0;
    }

    private void grow(int n) {
        int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, n - 1)) * 2);
        if (capacity > keys.length) {
            keys = Arrays.copyOf(keys, capacity);
            weights = Arrays.copyOf(weights, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
        }
        int slotCount = capacity * 2;
        if (slotCount > slots.length) {
            slots = new int[slotCount];
            for (int i = 0; i < size; i++) insertSlot(i);
        }
    }

    /** The hash {@link #hashAt} keeps for a key whose {@link String#hashCode} is {@code hash}. */
    public static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
