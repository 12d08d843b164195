package io.shopkeeper.schemas;

/**
 * Texts decoded again and again (item ids, expanded reasons), kept by the characters they are
 * decoded from, so a decoder that meets them again returns the kept text instead of making a new
 * one. A fixed table, one text per slot (the slot by a hash of the characters; a newer text
 * replaces an older one in its slot): bounded memory, no locks. Slots hold immutable entries, so a
 * thread sees either a whole entry or an older one; two threads filling one slot only cost a miss.
 */
final class TextCache {
    /** Longer keys are not kept (ids and reason codes are far shorter). */
    static final int MAX_KEY_LENGTH = 64;

    private record Entry(String key, String value) {}

    private final Entry[] slots;
    private final int mask;

    /** {@code size}: slots, a power of two. */
    TextCache(int size) {
        if (Integer.bitCount(size) != 1) throw new IllegalArgumentException("size " + size);
        this.slots = new Entry[size];
        this.mask = size - 1;
    }

    /** The text kept for {@code chars[offset, offset + length)}, or null. */
    String known(char[] chars, int offset, int length) {
        if (length > MAX_KEY_LENGTH) return null;
        Entry e = slots[slot(chars, offset, length)];
        return e != null && sameChars(e.key, chars, offset, length) ? e.value : null;
    }

    /** Keeps {@code value} as the text of {@code chars[offset, offset + length)}. */
    void keep(char[] chars, int offset, int length, String value) {
        if (length > MAX_KEY_LENGTH) return;
        slots[slot(chars, offset, length)] = new Entry(new String(chars, offset, length), value);
    }

    /** The characters themselves as text: the kept one, else a new one (kept). */
    String text(char[] chars, int offset, int length) {
        if (length > MAX_KEY_LENGTH) return new String(chars, offset, length);
        int slot = slot(chars, offset, length);
        Entry e = slots[slot];
        if (e != null && sameChars(e.key, chars, offset, length)) return e.value;
        String text = new String(chars, offset, length);
        slots[slot] = new Entry(text, text);
        return text;
    }

    private int slot(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) h = 31 * h + chars[i];
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h & mask;
    }

    private static boolean sameChars(String key, char[] chars, int offset, int length) {
        if (key.length() != length) return false;
        for (int i = 0; i < length; i++) if (key.charAt(i) != chars[offset + i]) return false;
        return true;
    }
}
