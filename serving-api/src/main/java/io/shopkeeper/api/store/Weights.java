package io.shopkeeper.api.store;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A read-only map of a profile's weights (category and brand affinities) in two arrays, in document
 * order, no value null: what {@link VisitorFacts#read} makes for each request without a hash table
 * or a boxed {@code Double} per entry. {@link #weight} and {@link #max} read it without boxing; as
 * a {@link Map} it equals any map of the same entries.
 */
public final class Weights extends AbstractMap<String, Double> {
    private final String[] keys;
    private final double[] values;
    private final int size;

    /**
     * The keys' hash codes: the ranking looks up two weights per candidate (about a hundred per
     * request), and comparing every key's characters was more work than the map it replaced.
     */
    private final int[] hashes;

    Weights(String[] keys, double[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.hashes = new int[size];
        for (int i = 0; i < size; i++) hashes[i] = keys[i].hashCode();
    }

    /** The weight of {@code key} in {@code weights}, 0 when absent or null. */
    public static double weight(Map<String, Double> weights, String key) {
        if (weights instanceof Weights w) {
            int i = w.index(key);
            return i < 0 ? 0 : w.values[i];
        }
        Double v = weights.get(key);
        return v == null ? 0 : v;
    }

    /** The largest weight in {@code weights}; 0 when there is none above 0. */
    public static double max(Map<String, Double> weights) {
        double max = 0;
        if (weights instanceof Weights w) {
            for (int i = 0; i < w.size; i++) if (w.values[i] > max) max = w.values[i];
            return max;
        }
        for (Double v : weights.values()) if (v != null && v > max) max = v;
        return max;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return index(key) >= 0;
    }

    @Override
    public Double get(Object key) {
        int i = index(key);
        return i < 0 ? null : values[i];
    }

    private int index(Object key) {
        if (key == null) return -1;
        int h = key.hashCode();
        for (int i = 0; i < size; i++) if (hashes[i] == h && keys[i].equals(key)) return i;
        return -1;
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (next >= size) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }
}
