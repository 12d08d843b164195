package io.shopkeeper.jobs.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 */
public final class Compact {
    private static final int HIGH_BIT = 0x80;

    private Compact() {}

    public static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.write(0);
            return;
        }
        int n = value.length();
        // One pass sized for ASCII (a byte per char); the first char of 128 or more sizes the
        // rest once and grows the array, so only such strings look at their chars twice.
        byte[] bytes = new byte[varintSize(n + 1) + n];
        int at = putVarint(bytes, 0, n + 1);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < HIGH_BIT) {
                bytes[at++] = (byte) c;
                continue;
            }
            if (bytes.length == at + n - i) {
                int rest = 0;
                for (int j = i; j < n; j++) rest += varintSize(value.charAt(j));
                bytes = Arrays.copyOf(bytes, at + rest);
            }
            at = putVarint(bytes, at, c);
        }
        out.write(bytes, 0, at);
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
        byte[] bytes = new byte[n];
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
        for (int i = 0; i < n; i++) writeString(values.get(i), out);
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
