package io.shopkeeper.jobs.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Field writers shared by the hand-written serializers: strings (null allowed) in Flink's {@link
 * StringValue} form, lists as a length and their elements; a null list reads back as empty.
 *
 * <p>Strings are written and read in exactly {@link StringValue}'s bytes (length + 1, then each
 * char, all as 7-bit varints; 0 for null), but in one {@code write(byte[])} and one {@code
 * readFully} instead of a call per byte and a thread-local buffer per string: Flink's own {@code
 * writeString}/{@code readString} were a tenth of the profile task's CPU (issue 11). {@code
 * CompactTest} checks the bytes against {@link StringValue}'s both ways.
 *
 * <p>Both go through a scratch array per thread instead of a new one per string: the temporary
 * arrays were a tenth of the pipeline's heap allocation (issue 11). A read copies the bytes once,
 * into the String. Strings too long for a kept scratch array ({@value #SCRATCH_KEPT} bytes) get a
 * temporary array as before.
 */
public final class Compact {
    private static final int HIGH_BIT = 0x80;

    /** The largest scratch array a thread keeps; a longer string gets a temporary one. */
    static final int SCRATCH_KEPT = 1 << 16;

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[512]);

    /** A thread's scratch array, with the id of the thread it belongs to. */
    private static final class Recent {
        final long owner;
        byte[] bytes;

        Recent(long owner, byte[] bytes) {
            this.owner = owner;
            this.bytes = bytes;
        }
    }

    /**
     * The scratch arrays last used, by thread id: a thread finds its own here without the
     * thread-local lookup, which was 3% of the profile task's CPU (a task thread's thread-local map
     * collides, issue 11). A slot is read and written without synchronization: a thread uses a
     * slot's array only when it owns the slot (a final field, seen correctly whoever wrote the
     * slot; thread ids are never reused), and then it put the array there itself; otherwise it
     * takes its own from the thread-local and puts that in the slot. Only ids are kept, never a
     * thread.
     */
    private static final Recent[] RECENT = new Recent[64];

    private Compact() {}

    /**
     * This thread's scratch array of at least {@code size} bytes. Callers use it before they call
     * anything that might use it too (a string is written or read whole before the next).
     */
    private static byte[] scratch(int size) {
        long thread = Thread.currentThread().getId();
        int slot = (int) (thread & (RECENT.length - 1));
        Recent recent = RECENT[slot];
        if (recent == null || recent.owner != thread) {
            recent = new Recent(thread, SCRATCH.get());
            RECENT[slot] = recent;
        }
        byte[] bytes = recent.bytes;
        if (bytes.length >= size) return bytes;
        byte[] grown = new byte[Math.max(size, Math.min(2 * bytes.length, SCRATCH_KEPT))];
        if (grown.length <= SCRATCH_KEPT) {
            SCRATCH.set(grown);
            recent.bytes = grown;
        }
        return grown;
    }

    public static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.write(0);
            return;
        }
        // Room for the worst case, three bytes per char (a char is at most 0xffff: 16 bits in
        // 7-bit groups), so one pass writes every string.
        byte[] bytes = scratch(room(value));
        out.write(bytes, 0, put(value, bytes, 0));
    }

    /**
     * Strings a bulk write takes at a time ({@link #writeEach}): {@value} lengths are read before
     * the first of them is encoded.
     */
    static final int CHUNK = 16;

    /**
     * Writes {@code values[from .. to)} one after the other, the bytes {@link #writeString} writes
     * for each. A chunk at a time ({@link #CHUNK}): one pass reads each string's length to size the
     * scratch array for the whole chunk, then the chunk is encoded into it and written at once. The
     * first pass is the point: the strings of a model or a snapshot are scattered over the heap,
     * and reading them one by one waited for each one's cache misses in turn (the character loop of
     * one string fills the processor's window before the next string is read), where the lengths'
     * reads are independent and their misses overlap (half the time per cold string in a loop of
     * scattered strings, issue 11).
     */
    public static void writeEach(String[] values, int from, int to, DataOutputView out)
            throws IOException {
        for (int start = from; start < to; start += CHUNK) {
            int end = Math.min(to, start + CHUNK);
            int room = 0;
            for (int i = start; i < end; i++) room += room(values[i]);
            byte[] bytes = scratch(room);
            int at = 0;
            for (int i = start; i < end; i++) at = put(values[i], bytes, at);
            out.write(bytes, 0, at);
        }
    }

    /** As {@link #writeEach(String[], int, int, DataOutputView)}, for a list's elements. */
    public static void writeEach(List<String> values, int from, int to, DataOutputView out)
            throws IOException {
        for (int start = from; start < to; start += CHUNK) {
            int end = Math.min(to, start + CHUNK);
            int room = 0;
            for (int i = start; i < end; i++) room += room(values.get(i));
            byte[] bytes = scratch(room);
            int at = 0;
            for (int i = start; i < end; i++) at = put(values.get(i), bytes, at);
            out.write(bytes, 0, at);
        }
    }

    /** The most bytes {@link #put} writes for {@code value}. */
    private static int room(String value) {
        if (value == null) return 1;
        int n = value.length();
        return varintSize(n + 1) + 3 * n;
    }

    /**
     * {@code value} in {@link StringValue}'s form into {@code bytes} at {@code at}; the new end.
     */
    private static int put(String value, byte[] bytes, int at) {
        if (value == null) {
            bytes[at] = 0;
            return at + 1;
        }
        int n = value.length();
        at = putVarint(bytes, at, n + 1);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < HIGH_BIT) {
                bytes[at++] = (byte) c;
            } else {
                at = putVarint(bytes, at, c);
            }
        }
        return at;
    }

    /**
     * A string is at least as many bytes as it has chars, so reading that many at once never reads
     * past it; only a string with chars of 128 and above reads its remaining bytes one by one.
     */
    public static String readString(DataInputView in) throws IOException {
        int length = in.readUnsignedByte();
        if (length >= HIGH_BIT) {
            int shift = 7;
            int curr;
            length = length & 0x7f;
            while ((curr = in.readUnsignedByte()) >= HIGH_BIT) {
                length |= (curr & 0x7f) << shift;
                shift += 7;
            }
            length |= curr << shift;
        }
        if (length == 0) return null;
        int n = length - 1;
        byte[] bytes = scratch(n);
        in.readFully(bytes, 0, n);
        int ascii = 0;
        while (ascii < n && bytes[ascii] >= 0) ascii++;
        if (ascii == n) return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
        char[] chars = new char[n];
        for (int i = 0; i < ascii; i++) chars[i] = (char) bytes[i];
        int pos = ascii; // next unread byte of bytes; past n, read from in
        for (int i = ascii; i < n; i++) {
            int c = pos < n ? bytes[pos++] & 0xff : in.readUnsignedByte();
            if (c >= HIGH_BIT) {
                int shift = 7;
                int curr;
                c = c & 0x7f;
                while ((curr = pos < n ? bytes[pos++] & 0xff : in.readUnsignedByte()) >= HIGH_BIT) {
                    c |= (curr & 0x7f) << shift;
                    shift += 7;
                }
                c |= curr << shift;
            }
            chars[i] = (char) c;
        }
        return new String(chars);
    }

    private static int varintSize(int value) {
        return value < HIGH_BIT
                ? 1
                : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;
    }

    private static int putVarint(byte[] bytes, int at, int value) {
        while (value >= HIGH_BIT) {
            bytes[at++] = (byte) (value | HIGH_BIT);
            value >>>= 7;
        }
        bytes[at++] = (byte) value;
        return at;
    }

    public static void writeStrings(List<String> values, DataOutputView out) throws IOException {
        int n = values == null ? 0 : values.size();
        out.writeInt(n);
        if (n > 0) writeEach(values, 0, n, out);
    }

    public static List<String> readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) values.add(readString(in));
        return values;
    }

    public static void writeDoubles(List<Double> values, DataOutputView out) throws IOException {
        int n = values == null ? 0 : values.size();
        out.writeInt(n);
        for (int i = 0; i < n; i++) out.writeDouble(values.get(i));
    }

    public static List<Double> readDoubles(DataInputView in) throws IOException {
        int n = in.readInt();
        List<Double> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) values.add(in.readDouble());
        return values;
    }

    public static void writeLongs(List<Long> values, DataOutputView out) throws IOException {
        int n = values == null ? 0 : values.size();
        out.writeInt(n);
        for (int i = 0; i < n; i++) out.writeLong(values.get(i));
    }

    public static List<Long> readLongs(DataInputView in) throws IOException {
        int n = in.readInt();
        List<Long> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) values.add(in.readLong());
        return values;
    }

    public static void writeInts(List<Integer> values, DataOutputView out) throws IOException {
        int n = values == null ? 0 : values.size();
        out.writeInt(n);
        for (int i = 0; i < n; i++) out.writeInt(values.get(i));
    }

    public static List<Integer> readInts(DataInputView in) throws IOException {
        int n = in.readInt();
        List<Integer> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) values.add(in.readInt());
        return values;
    }
}
