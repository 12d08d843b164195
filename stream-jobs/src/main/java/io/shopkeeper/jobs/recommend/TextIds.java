package io.shopkeeper.jobs.recommend;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * The distinct item ids one ranking reads, each numbered with an int (0, 1, ... in the order first
 * seen), so the session-kNN part compares, counts and sums by int instead of hashing Strings. A
 * text is added either as a String or, while a snapshot is decoded, as the ASCII bytes it is
 * written in with the String hash computed from them ({@link ItemNeighboursCodec}): such a text
 * becomes a String only when the ranking needs it (a voted item, a reason). Equal texts get one id
 * however they were added. Open addressing (linear probing, at most half full), without boxing.
 *
 * <p>Valid for one ranking: {@link #clear} (the start of the next one) forgets every id and the
 * byte arrays the texts point into. Not thread-safe: one per task, in {@link
 * SessionRecommender.Scratch}.
 */
final class TextIds {
    private int[] slots = new int[512]; // id + 1 of the text in each slot, 0 = free
    private int[] hashes = new int[256];
    private int[] lengths = new int[256];
    private int[] offsets = new int[256];
    private byte[][] sources = new byte[256][]; // the ASCII bytes of a text added as bytes
    private String[] texts = new String[256]; // the text as a String, once made
    private int size;

    /** Forgets every text (their ids are free again). */
    void clear() {
        Arrays.fill(slots, 0);
        Arrays.fill(sources, 0, size, null);
        Arrays.fill(texts, 0, size, null);
        size = 0;
    }

    /** How many texts have an id: the ids are {@code 0 .. size() - 1}. */
    int size() {
        return size;
    }

    /** The text of {@code id} as a String (made from its bytes on the first call). */
    String text(int id) {
        String text = texts[id];
        if (text == null) {
            text = new String(sources[id], offsets[id], lengths[id], StandardCharsets.ISO_8859_1);
            texts[id] = text;
        }
        return text;
    }

    /** {@code text(id).hashCode()}, without making the String. */
    int hash(int id) {
        return hashes[id];
    }

    /** The id of {@code text} (not null), or -1 when it has none. */
    int find(String text) {
        int hash = text.hashCode();
        int slot = spread(hash) & (slots.length - 1);
        for (int held; (held = slots[slot]) != 0; slot = (slot + 1) & (slots.length - 1)) {
            int id = held - 1;
            if (hashes[id] == hash && sameText(id, text)) return id;
        }
        return -1;
    }

    /** The id of {@code text} (not null), added when new. */
    int idOf(String text) {
        int hash = text.hashCode();
        int slot = spread(hash) & (slots.length - 1);
        for (int held; (held = slots[slot]) != 0; slot = (slot + 1) & (slots.length - 1)) {
            int id = held - 1;
            if (hashes[id] == hash && sameText(id, text)) return id;
        }
        int id = add(slot, hash, text.length());
        texts[id] = text;
        return id;
    }

    /**
     * The id of the text made of the ASCII bytes {@code bytes[at .. at + length)} (each byte below
     * 128, so one character each), whose String hash is {@code hash}; added when new, pointing into
     * {@code bytes} (which must not change until {@link #clear}).
     */
    int idOf(byte[] bytes, int at, int length, int hash) {
        int slot = spread(hash) & (slots.length - 1);
        for (int held; (held = slots[slot]) != 0; slot = (slot + 1) & (slots.length - 1)) {
            int id = held - 1;
            if (hashes[id] == hash && sameText(id, bytes, at, length)) return id;
        }
        int id = add(slot, hash, length);
        sources[id] = bytes;
        offsets[id] = at;
        return id;
    }

    /** The texts of {@code ids} as a list (made on reading; valid until {@link #clear}). */
    List<String> texts(int[] ids) {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return text(ids[index]);
            }

            @Override
            public int size() {
                return ids.length;
            }
        };
    }

    private boolean sameText(int id, String text) {
        if (lengths[id] != text.length()) return false;
        String held = texts[id];
        if (held != null) return held.equals(text);
        byte[] source = sources[id];
        int offset = offsets[id];
        for (int i = 0; i < text.length(); i++)
            if (text.charAt(i) != source[offset + i]) return false;
        return true;
    }

    private boolean sameText(int id, byte[] bytes, int at, int length) {
        if (lengths[id] != length) return false;
        byte[] source = sources[id];
        if (source != null)
            return Arrays.equals(source, offsets[id], offsets[id] + length, bytes, at, at + length);
        String held = texts[id];
        for (int i = 0; i < length; i++) if (held.charAt(i) != bytes[at + i]) return false;
        return true;
    }

    /** A new id in the free {@code slot}; its text (source or String) is set by the caller. */
    private int add(int slot, int hash, int length) {
        int id = size;
        if (id == hashes.length) {
            int capacity = id * 2;
            hashes = Arrays.copyOf(hashes, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            sources = Arrays.copyOf(sources, capacity);
            texts = Arrays.copyOf(texts, capacity);
        }
        hashes[id] = hash;
        lengths[id] = length;
        slots[slot] = id + 1;
        size++;
        if (size * 2 > slots.length) grow();
        return id;
    }

    private void grow() {
        slots = new int[slots.length * 2];
        int mask = slots.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = spread(hashes[id]) & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = id + 1;
        }
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
