package io.shopkeeper.jobs.visitor;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoded snapshots ({@link io.shopkeeper.jobs.recommend.ItemNeighboursCodec}) that replies
 * wrote for the visitors' session items, on the heap in front of the keyed map state that owns
 * them, up to a budget of bytes per subtask: a ranking reads its items' snapshots here instead of
 * from RocksDB. Written through: every write and removal goes to the state too, so the heap never
 * holds what the state does not, and a miss reads the state. Visitors leave least recently used
 * first; a snapshot written {@code ttl} ago or more is expired here as it is in the state.
 *
 * <p>Not thread-safe: one per subtask, used by its task thread.
 */
final class SessionSnapshots {
    private final long budgetBytes;
    private final long ttlMillis;
    private final LinkedHashMap<String, Map<String, Snapshot>> byVisitor =
            new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    /** A snapshot and when it was written (processing time). */
    private record Snapshot(byte[] encoded, long writtenAt) {}

    /**
     * @param budgetBytes snapshot bytes kept at most (0: none)
     * @param ttlMillis the state's time to live after a write
     */
    SessionSnapshots(long budgetBytes, long ttlMillis) {
        this.budgetBytes = budgetBytes;
        this.ttlMillis = ttlMillis;
    }

    /** The visitor's snapshot of {@code item} written at {@code now} (also to the state). */
    void put(String visitor, String item, byte[] encoded, long now) {
        if (budgetBytes <= 0) return;
        Map<String, Snapshot> items = byVisitor.computeIfAbsent(visitor, v -> new HashMap<>(8));
        Snapshot previous = items.put(item, new Snapshot(encoded, now));
        bytes += encoded.length - (previous == null ? 0 : previous.encoded().length);
        evictOverflow(visitor);
    }

    /** The visitor's snapshot of {@code item}, or null when not on the heap (or expired). */
    byte[] get(String visitor, String item, long now) {
        Map<String, Snapshot> items = byVisitor.get(visitor);
        if (items == null) return null;
        Snapshot snapshot = items.get(item);
        if (snapshot == null) return null;
        if (now - snapshot.writtenAt() < ttlMillis) return snapshot.encoded();
        remove(visitor, item); // expired in the state as well
        return null;
    }

    /** Drops the visitor's snapshot of {@code item} (removed from the state too). */
    void remove(String visitor, String item) {
        Map<String, Snapshot> items = byVisitor.get(visitor);
        if (items == null) return;
        Snapshot removed = items.remove(item);
        if (removed != null) bytes -= removed.encoded().length;
        if (items.isEmpty()) byVisitor.remove(visitor);
    }

    /** Drops every snapshot of the visitor. */
    void forget(String visitor) {
        Map<String, Snapshot> items = byVisitor.remove(visitor);
        if (items != null) for (Snapshot s : items.values()) bytes -= s.encoded().length;
    }

    /** Snapshot bytes on the heap now. */
    long bytes() {
        return bytes;
    }

    /** Drops the least recently used visitors (never {@code current}) until within the budget. */
    private void evictOverflow(String current) {
        Iterator<Map.Entry<String, Map<String, Snapshot>>> eldest = byVisitor.entrySet().iterator();
        while (bytes > budgetBytes && eldest.hasNext()) {
            Map.Entry<String, Map<String, Snapshot>> next = eldest.next();
            if (next.getKey().equals(current)) continue;
            for (Snapshot s : next.getValue().values()) bytes -= s.encoded().length;
            eldest.remove();
        }
    }
}
