package io.shopkeeper.jobs.types;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Field writers shared by the hand-written serializers: strings (null allowed) in Flink's {@link
 * StringValue} form, lists as a length and their elements; a null list reads back as empty.
 */
public final class Compact {
    private Compact() {}

    public static void writeString(String value, DataOutputView out) throws IOException {
        StringValue.writeString(value, out);
    }

    public static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    public static void writeStrings(List<String> values, DataOutputView out) throws IOException {
        int n = values == null ? 0 : values.size();
        out.writeInt(n);
        for (int i = 0; i < n; i++) StringValue.writeString(values.get(i), out);
    }

    public static List<String> readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) values.add(StringValue.readString(in));
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
