package io.shopkeeper.schemas;

/**
 * Texts decoded again and again (item ids, expanded reasons), kept by the characters they are
 * decoded from, so a decoder that meets them again returns the kept text instead of making a new
 * one. A fixed table, one text per slot (the slot by a hash of the characters; a newer text
 * replaces an older one in its slot): bounded memory, no locks. Slots hold immutable entries, so a
 * thread sees either a whole entry or an older one; two threads filling one slot only cost a miss.
 *
 * <p>An entry holds the characters of a short key (at most {@link #PACKED_CHARS}, all below 256:
 * ids and reason codes in practice) packed in its own fields, so a lookup reads the slot and the
 * entry, not also the key's String and its byte array: on the API's request path (40 lookups per
 * request) those two extra dependent memory reads were where the comparison's time went (9% of the
 * request threads' samples in bench/api.sh, session 13). Other keys are kept as a String.
 */
final class TextCache {
    /** Longer keys are not kept (ids and reason codes are far shorter). */
    static final int MAX_KEY_LENGTH = 64;

    /** Keys of at most this many characters, each below 256, are packed into the entry. */
    static final int PACKED_CHARS = 32;

    /**
     * A kept text and its key: packed in {@code w0..w3} (8 characters of 8 bits per word, the first
     * in the lowest bits; {@code key} null), else as {@code key}.
     */
    private record Entry(long w0, long w1, long w2, long w3, int length, String key, String value) {
        boolean keyIs(char[] chars, int offset, int length) {
            if (this.length != length) return false;
            if (key != null) return sameChars(key, chars, offset, length);
            for (int i = 0; i < length; i++) {
                char c = chars[offset + i];
                long word = i < 8 ? w0 : i < 16 ? w1 : i < 24 ? w2 : w3;
                if (c != ((word >>> ((i & 7) << 3)) & 0xFF)) return false;
            }
            return true;
        }

        static Entry of(char[] chars, int offset, int length, String value) {
            long[] w = new long[4];
            boolean packed = length <= PACKED_CHARS;
            for (int i = 0; i < length && packed; i++) {
                char c = chars[offset + i];
                if (c > 0xFF) packed = false;
                else w[i >>> 3] |= (long) c << ((i & 7) << 3);
            }
            return packed
                    ? new Entry(w[0], w[1], w[2], w[3], length, null, value)
                    : new Entry(0, 0, 0, 0, length, new String(chars, offset, length), value);
        }
    }

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
        return e != null && e.keyIs(chars, offset, length) ? e.value : null;
    }

    /** Keeps {@code value} as the text of {@code chars[offset, offset + length)}. */
    void keep(char[] chars, int offset, int length, String value) {
        if (length > MAX_KEY_LENGTH) return;
        slots[slot(chars, offset, length)] = Entry.of(chars, offset, length, value);
    }

    /** The characters themselves as text: the kept one, else a new one (kept). */
    String text(char[] chars, int offset, int length) {
        if (length > MAX_KEY_LENGTH) return new String(chars, offset, length);
        int slot = slot(chars, offset, length);
        Entry e = slots[slot];
        if (e != null && e.keyIs(chars, offset, length)) return e.value;
        String text = new String(chars, offset, length);
        slots[slot] = Entry.of(chars, offset, length, text);
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
