package io.shopkeeper.jobs.types;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A bounded heap cache in front of one keyed {@link ValueState}: values read are kept, values
 * stored are written to the state only when evicted (least recently used first) or when the
 * operator calls {@link #writeBack()} (before every checkpoint barrier), so a checkpoint holds
 * exactly what the cache holds, and a key's state read and written on every one of its events costs
 * a state access once per checkpoint instead.
 *
 * <p>Values in the cache are never changed: {@link #load} hands out a copy of a cached value (or
 * the state's own fresh copy), the caller changes that and {@link #store}s it, and a step that
 * fails leaves the cache as it was. Without a key context (the function run by an operator that
 * does not write back) or with a capacity of 0 it writes through, as plain state does.
 *
 * <p>State TTL ({@link StateTtl#afterLastWrite}): a value stored longer ago than {@code ttl} (the
 * caller's processing time) is expired in the cache as it would be in the state, and is read from
 * the state again; in the state its TTL counts from the write-back, at most a checkpoint interval
 * later.
 *
 * <p>Each key has one entry, changed in place by a store (no allocation per store); its {@code
 * dirty} flag marks a value the state does not hold yet, and {@link #writeBack} walks the entries
 * (at most {@code capacity}, once per checkpoint) instead of keeping a second set of keys.
 */
public final class WriteBackCache<K, V> {
    private final ValueState<V> state;
    private int capacity;
    private final UnaryOperator<V> copier;
    private final long ttlMillis;
    private final LinkedHashMap<K, Entry<V>> cache = new LinkedHashMap<>(64, 0.75f, true);

    /** Entries whose value the state does not hold yet. */
    private int dirtyCount;

    private KeyContext keys;

    /**
     * @param state the keyed state behind the cache
     * @param capacity values kept on the heap at most; 0 writes through
     * @param copier a deep copy of a value
     * @param ttl the state's time to live after a write
     */
    public WriteBackCache(
            ValueState<V> state, int capacity, UnaryOperator<V> copier, Duration ttl) {
        this.state = state;
        this.capacity = capacity;
        this.copier = copier;
        this.ttlMillis = ttl.toMillis();
    }

    /** A cached value, when it was stored, and whether the state still lacks it. */
    private static final class Entry<V> {
        V value;
        long at;
        boolean dirty;

        Entry(V value, long at) {
            this.value = value;
            this.at = at;
        }
    }

    /** Enables the cache: {@code keys} sets the key to write another key's value back. */
    public void setKeyContext(KeyContext keys) {
        this.keys = keys;
    }

    private boolean caching() {
        return keys != null && capacity > 0;
    }

    /**
     * The current key's value to change (a copy of the cached one), or null when it has none, at
     * processing time {@code now}.
     */
    public V load(K key, long now) throws Exception {
        V cached = cached(key, now);
        return cached != null ? copier.apply(cached) : state.value();
    }

    /** The current key's value to read only (not to change), or null when it has none. */
    public V peek(K key, long now) throws Exception {
        V cached = cached(key, now);
        return cached != null ? cached : state.value();
    }

    /** The cached value; one stored {@code ttl} ago or more expired, as in the state. */
    private V cached(K key, long now) {
        Entry<V> entry = cache.get(key);
        if (entry == null) return null;
        if (now - entry.at < ttlMillis) return entry.value;
        // what the state holds is older still: expired there too
        remove(key);
        return null;
    }

    /** Drops the key's entry without writing it back. */
    private void remove(Object key) {
        Entry<V> entry = cache.remove(key);
        if (entry != null && entry.dirty) dirtyCount--;
    }

    /**
     * The current key's new value, stored at processing time {@code now}; the caller must not
     * change it afterwards.
     */
    public void store(K key, V value, long now) throws Exception {
        if (!caching()) {
            state.update(value);
            return;
        }
        Entry<V> entry = cache.get(key);
        if (entry == null) {
            entry = new Entry<>(value, now);
            cache.put(key, entry);
        } else {
            entry.value = value;
            entry.at = now;
        }
        if (!entry.dirty) {
            entry.dirty = true;
            dirtyCount++;
        }
        evictOverflow(key, now);
    }

    /** Removes the current key's value, from the cache and the state. */
    public void clear(K key) {
        remove(key);
        state.clear();
    }

    /**
     * Writes every value changed since the last write-back to the state, but those expired at
     * processing time {@code now} (written now, they would live again); keeps the current key.
     */
    public void writeBack(long now) throws Exception {
        if (dirtyCount == 0) return;
        Object current = keys.getCurrentKey();
        // Walks the entries without reordering them (a LinkedHashMap in access order reorders
        // on get, not while iterating).
        Iterator<Map.Entry<K, Entry<V>>> entries = cache.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<K, Entry<V>> next = entries.next();
            Entry<V> entry = next.getValue();
            if (!entry.dirty) continue;
            entry.dirty = false;
            if (now - entry.at >= ttlMillis) {
                entries.remove();
                continue;
            }
            keys.setCurrentKey(next.getKey());
            state.update(entry.value);
        }
        dirtyCount = 0;
        if (current != null) keys.setCurrentKey(current);
    }

    /** Writes back and empties the cache, before the state is read or changed around it. */
    public void invalidate(long now) throws Exception {
        if (keys != null) writeBack(now);
        cache.clear();
        dirtyCount = 0;
    }

    /**
     * Changes how many values the cache keeps from now on, at processing time {@code now}. A
     * smaller capacity writes every changed value back and drops the least recently used values
     * beyond it; 0 drops them all and writes through from then on.
     */
    public void resize(int newCapacity, long now) throws Exception {
        if (newCapacity < 0) throw new IllegalArgumentException("a negative cache capacity");
        if (newCapacity == capacity) return;
        capacity = newCapacity;
        if (cache.size() <= capacity) return;
        if (keys != null) writeBack(now);
        Iterator<K> eldest = cache.keySet().iterator();
        while (cache.size() > capacity && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    /** Values on the heap now. */
    public int size() {
        return cache.size();
    }

    private void evictOverflow(K current, long now) throws Exception {
        if (cache.size() <= capacity) return;
        boolean switched = false;
        Iterator<Map.Entry<K, Entry<V>>> eldest = cache.entrySet().iterator();
        while (cache.size() > capacity && eldest.hasNext()) {
            Map.Entry<K, Entry<V>> next = eldest.next();
            if (next.getKey().equals(current)) continue;
            Entry<V> entry = next.getValue();
            if (entry.dirty) {
                dirtyCount--;
                if (now - entry.at < ttlMillis) {
                    keys.setCurrentKey(next.getKey());
                    state.update(entry.value);
                    switched = true;
                }
            }
            eldest.remove();
        }
        if (switched) keys.setCurrentKey(current);
    }
}
