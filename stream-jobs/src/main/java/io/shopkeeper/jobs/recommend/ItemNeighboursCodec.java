package io.shopkeeper.jobs.recommend;

import io.shopkeeper.jobs.types.Compact;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An {@link ItemNeighbours} snapshot as bytes in three sections that can be read apart: the
 * neighbours (items, weights), the sampled sessions and the second-order rules, after a header with
 * the item id, the view count and the sections' lengths. The item's model encodes a snapshot once;
 * the visitor's operator receives, keeps (one per session item, in RocksDB) and reads it back as
 * these bytes, and decodes only the sections the ranking reads for that item ({@link
 * SessionRecommender.SnapshotLookup}): of the ten session items a list is ranked from, the kNN part
 * reads the sampled sessions of five and the second-order rules of one. Values are kept exactly
 * (doubles bit for bit), so a decoded section equals the snapshot's.
 *
 * <p>Format 2 (written since issue 11's state step) starts with a 0 byte; counts and section
 * lengths are varints, sample times are deltas, sample sizes a byte each, and a sampled session's
 * item is a varint index into the neighbours' items followed by the other items in the order the
 * samples first name them (an item is written as text once per snapshot). Format 1 (the first byte
 * is the item id's length + 1, never 0: {@link Compact}, ints and longs at full width, every
 * sampled item as text) is still read, so the snapshots a savepoint of an earlier version holds
 * rank as before.
 */
public final class ItemNeighboursCodec {
    /** First byte of a format-2 snapshot; a format-1 snapshot starts with a string length + 1. */
    private static final byte FORMAT_2 = 0;

    private ItemNeighboursCodec() {}

    /**
     * Per thread: the sections and the whole snapshot are written into these and copied out once (a
     * new pair of growing buffers per snapshot was a tenth of the item-models task's heap
     * allocation, issue 11). {@link #encode} does not call itself.
     */
    private static final int BUFFER_KEPT = 1 << 20;

    /** Per thread: the index of a snapshot's items ({@link #writeSessions}), cleared for each. */
    private static final ThreadLocal<ItemIndex> INDEXES = ThreadLocal.withInitial(ItemIndex::new);

    private static final ThreadLocal<DataOutputSerializer[]> BUFFERS =
            ThreadLocal.withInitial(
                    () ->
                            new DataOutputSerializer[] {
                                new DataOutputSerializer(256), new DataOutputSerializer(256)
                            });

    /** The snapshot's bytes (not null), in format 2. */
    public static byte[] encode(ItemNeighbours nb) {
        DataOutputSerializer[] buffers = BUFFERS.get();
        DataOutputSerializer section = buffers[0];
        DataOutputSerializer out = buffers[1];
        section.clear();
        out.clear();
        try {
            List<String> items = orEmpty(nb.getItems());
            writeCount(items.size(), section);
            Compact.writeEach(items, 0, items.size(), section);
            writeDoubles(nb.getWeights(), section);
            int neighboursEnd = section.length();
            writeSessions(nb, items, section);
            int sessionsEnd = section.length();
            List<String> then = orEmpty(nb.getContextThen());
            List<String> next = orEmpty(nb.getContextNext());
            if (!then.isEmpty() || !next.isEmpty() || !orEmpty(nb.getContextWeights()).isEmpty()) {
                writeStrings(then, section);
                writeStrings(next, section);
                writeDoubles(nb.getContextWeights(), section);
            }
            out.writeByte(FORMAT_2);
            Compact.writeString(nb.getItemId(), out);
            out.writeDouble(nb.getOccurrences());
            writeCount(neighboursEnd, out);
            writeCount(sessionsEnd - neighboursEnd, out);
            writeCount(section.length() - sessionsEnd, out);
            out.write(section.getSharedBuffer(), 0, section.length());
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            // an unusually large snapshot does not leave its buffers behind
            for (int i = 0; i < buffers.length; i++)
                if (buffers[i].getSharedBuffer().length > BUFFER_KEPT)
                    buffers[i] = new DataOutputSerializer(256);
        }
    }

    /** The whole snapshot. */
    public static ItemNeighbours decode(byte[] bytes) {
        return decode(bytes, true, true, true);
    }

    /** The item id only. */
    public static String itemId(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == FORMAT_2) return new Reader(bytes, 1).string();
        try {
            return Compact.readString(new DataInputDeserializer(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The snapshot with the item id, the view count and the sections asked for; the lists of the
     * others are left empty.
     */
    public static ItemNeighbours decode(
            byte[] bytes, boolean neighbours, boolean sessions, boolean contexts) {
        return decode(bytes, neighbours, sessions, contexts, null);
    }

    /**
     * As {@link #decode(byte[], boolean, boolean, boolean)}; with {@code ids} (not null), a
     * format-2 snapshot's sampled sessions and items are read as ids in that table ({@link
     * ItemNeighbours#sampleSessionIds()}, {@link ItemNeighbours#sampleItemIds()}), most of them
     * straight from their bytes, and its {@code sampleSessions} and {@code sampleItems} lists are
     * views of their texts, valid until the table is cleared. The texts are equal to those decoded
     * without it.
     */
    static ItemNeighbours decode(
            byte[] bytes, boolean neighbours, boolean sessions, boolean contexts, TextIds ids) {
        if (bytes.length > 0 && bytes[0] == FORMAT_2)
            return decode2(bytes, neighbours, sessions, contexts, ids);
        try {
            return decode1(bytes, neighbours, sessions, contexts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ItemNeighbours decode2(
            byte[] bytes, boolean neighbours, boolean sessions, boolean contexts, TextIds ids) {
        Reader in = new Reader(bytes, 1);
        ItemNeighbours nb = new ItemNeighbours();
        nb.setItemId(in.string());
        nb.setOccurrences(in.doubleValue());
        int neighboursLength = in.count();
        int sessionsLength = in.count();
        int contextsLength = in.count();
        int sessionsAt = in.at + neighboursLength;
        int contextsAt = sessionsAt + sessionsLength;
        if ((neighbours || sessions) && ids != null) {
            // the sampled sessions name items by their index among the neighbours
            int[] itemIds = in.textIds(ids);
            if (neighbours) {
                double[] weights = in.doubleValues();
                nb.setNeighbours(
                        ids.texts(itemIds),
                        itemIds,
                        ItemNeighbours.doubles(weights, weights.length),
                        weights);
            }
            if (sessions) {
                in.at = sessionsAt;
                readSessionIds(in, itemIds, nb, ids);
            }
        } else if (neighbours || sessions) {
            // the sampled sessions name items by their index among the neighbours
            List<String> items = in.strings();
            if (neighbours) {
                nb.setItems(items);
                nb.setWeights(in.doubles());
            }
            if (sessions) {
                in.at = sessionsAt;
                readSessions(in, items, nb);
            }
        }
        if (contexts && contextsLength > 0) {
            in.at = contextsAt;
            nb.setContextThen(in.strings());
            nb.setContextNext(in.strings());
            nb.setContextWeights(in.doubles());
        }
        return nb;
    }

    private static void writeSessions(
            ItemNeighbours nb, List<String> neighbourItems, DataOutputSerializer out)
            throws IOException {
        writeStrings(nb.getSampleSessions(), out);
        List<Long> times = orEmpty(nb.getSampleTimes());
        writeCount(times.size(), out);
        long previous = 0;
        for (long time : times) {
            writeZigZag(time - previous, out);
            previous = time;
        }
        List<Integer> sizes = orEmpty(nb.getSampleSizes());
        writeCount(sizes.size(), out);
        for (int size : sizes) writeZigZag(size, out);
        List<String> sampleItems = orEmpty(nb.getSampleItems());
        writeCount(sampleItems.size(), out);
        if (sampleItems.isEmpty()) return;
        ItemIndex index = INDEXES.get();
        index.clear(neighbourItems.size() + sampleItems.size());
        for (int i = 0; i < neighbourItems.size(); i++) index.putIfAbsent(neighbourItems.get(i), i);
        // the sampled items' hashes first, a loop of independent reads whose cache misses overlap
        // (the strings are scattered over the heap), then their indexes
        int[] hashes = index.hashes(sampleItems);
        int known = neighbourItems.size();
        for (int i = 0; i < sampleItems.size(); i++) {
            String item = sampleItems.get(i);
            int at = index.putIfAbsent(item, hashes[i], known);
            if (at != known) {
                writeCount(at, out);
            } else {
                // the next index: the item follows as text
                writeCount(known++, out);
                Compact.writeString(item, out);
            }
        }
    }

    /**
     * The index of each item a snapshot names, the first one given kept: open addressing over at
     * most {@code n} items, the table at most half full, without boxing. One per thread, cleared
     * for each snapshot (only the slots that snapshot uses): a new table per snapshot was an eighth
     * of the item-models task's heap allocation (issue 11).
     */
    private static final class ItemIndex {
        /** The largest table a thread keeps; a larger one is made for its snapshot only. */
        private static final int KEPT = 1 << 16;

        private String[] items = new String[0];
        private int[] indexes = new int[0];
        private int[] hashes = new int[0];
        private int mask;
        private int nullIndex;

        /** Empties the table for a snapshot of at most {@code n} items. */
        void clear(int n) {
            int capacity = Integer.highestOneBit(Math.max(2, n) * 2) * 2;
            if (items.length < capacity || items.length > KEPT) {
                items = new String[capacity];
                indexes = new int[capacity];
            } else {
                Arrays.fill(items, 0, capacity, null);
            }
            if (hashes.length > KEPT) hashes = new int[0];
            mask = capacity - 1;
            nullIndex = -1;
        }

        /** The index of {@code item}; {@code index} when it was not there (it is added with it). */
        int putIfAbsent(String item, int index) {
            return putIfAbsent(item, item == null ? 0 : item.hashCode(), index);
        }

        /**
         * The {@link String#hashCode} of each item (0 for null), in an array of this index's (valid
         * until the next call).
         */
        int[] hashes(List<String> values) {
            if (hashes.length < values.size()) hashes = new int[Math.max(values.size(), 64)];
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                hashes[i] = value == null ? 0 : value.hashCode();
            }
            return hashes;
        }

        /** As {@link #putIfAbsent(String, int)}, the item's hash given. */
        int putIfAbsent(String item, int hash, int index) {
            if (item == null) {
                if (nullIndex < 0) nullIndex = index;
                return nullIndex;
            }
            int slot = (hash ^ (hash >>> 16)) & mask;
            String held;
            while ((held = items[slot]) != null) {
                if (held.equals(item)) return indexes[slot];
                slot = (slot + 1) & mask;
            }
            items[slot] = item;
            indexes[slot] = index;
            return index;
        }
    }

    private static void readSessions(Reader in, List<String> neighbourItems, ItemNeighbours nb) {
        nb.setSampleSessions(in.strings());
        readTimesAndSizes(in, nb);
        int n = in.count();
        List<String> sampleItems = new ArrayList<>(n);
        List<String> named = n == 0 ? neighbourItems : new ArrayList<>(neighbourItems);
        for (int i = 0; i < n; i++) {
            int at = in.count();
            if (at == named.size()) named.add(in.string());
            sampleItems.add(named.get(at));
        }
        nb.setSampleItems(sampleItems);
    }

    /**
     * As {@link #readSessions}, the sampled sessions and items as ids in {@code ids} (the
     * neighbours' items already numbered, {@code neighbourIds}): a session id, or an item's text
     * that follows in the sample, is numbered from its bytes (when ASCII), without making a String.
     */
    private static void readSessionIds(
            Reader in, int[] neighbourIds, ItemNeighbours nb, TextIds ids) {
        int n = in.count();
        int[] sessionIds = new int[n];
        for (int i = 0; i < n; i++) sessionIds[i] = in.textId(ids);
        nb.setSampleSessions(ids.texts(sessionIds));
        nb.setSampleSessionIds(sessionIds);
        readTimesAndSizes(in, nb);
        n = in.count();
        int[] itemIds = new int[n];
        int known = neighbourIds.length;
        int[] named = Arrays.copyOf(neighbourIds, known + n);
        for (int i = 0; i < n; i++) {
            int at = in.count();
            int id;
            if (at >= known) {
                if (at > known) throw new IndexOutOfBoundsException(at);
                id = in.textId(ids);
                named[known++] = id;
            } else {
                id = named[at];
            }
            itemIds[i] = id;
        }
        nb.setSampleItems(ids.texts(itemIds));
        nb.setSampleItemIds(itemIds);
    }

    /** The sampled sessions' times and sizes. */
    private static void readTimesAndSizes(Reader in, ItemNeighbours nb) {
        int n = in.count();
        List<Long> times = new ArrayList<>(n);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            previous += in.zigZag();
            times.add(previous);
        }
        nb.setSampleTimes(times);
        n = in.count();
        List<Integer> sizes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) sizes.add((int) in.zigZag());
        nb.setSampleSizes(sizes);
    }

    /** Format 1: a string length + 1 first, ints and longs at full width. */
    private static ItemNeighbours decode1(
            byte[] bytes, boolean neighbours, boolean sessions, boolean contexts)
            throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        ItemNeighbours nb = new ItemNeighbours();
        nb.setItemId(Compact.readString(in));
        nb.setOccurrences(in.readDouble());
        int neighboursLength = in.readInt();
        int sessionsLength = in.readInt();
        int contextsLength = in.readInt();
        int sessionsAt = in.getPosition() + neighboursLength;
        int contextsAt = sessionsAt + sessionsLength;
        if (neighbours) {
            nb.setItems(Compact.readStrings(in));
            nb.setWeights(Compact.readDoubles(in));
        }
        if (sessions) {
            in.skipBytesToRead(sessionsAt - in.getPosition());
            nb.setSampleSessions(Compact.readStrings(in));
            nb.setSampleTimes(Compact.readLongs(in));
            nb.setSampleSizes(Compact.readInts(in));
            nb.setSampleItems(Compact.readStrings(in));
        }
        if (contexts && contextsLength > 0) {
            in.skipBytesToRead(contextsAt - in.getPosition());
            nb.setContextThen(Compact.readStrings(in));
            nb.setContextNext(Compact.readStrings(in));
            nb.setContextWeights(Compact.readDoubles(in));
        }
        return nb;
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static void writeStrings(List<String> values, DataOutputView out) throws IOException {
        List<String> list = orEmpty(values);
        writeCount(list.size(), out);
        Compact.writeEach(list, 0, list.size(), out);
    }

    private static void writeDoubles(List<Double> values, DataOutputView out) throws IOException {
        double[] unboxed = ItemNeighbours.unboxed(values);
        if (unboxed != null) {
            writeCount(values.size(), out);
            for (int i = 0; i < values.size(); i++) out.writeDouble(unboxed[i]);
            return;
        }
        List<Double> list = orEmpty(values);
        writeCount(list.size(), out);
        for (double value : list) out.writeDouble(value);
    }

    /** A count or index (not negative) in 7-bit groups, low first. */
    private static void writeCount(int value, DataOutputView out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    /** A signed value, small magnitudes in few bytes (zigzag, then 7-bit groups). */
    private static void writeZigZag(long value, DataOutputView out) throws IOException {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /**
     * Reads format 2 straight from the snapshot's bytes: the values {@link DataInputDeserializer}
     * and {@link Compact#readString} would read, without their per-call checks, and a string of
     * ASCII characters (item ids, session ids) made from its bytes at once. {@link
     * org.apache.flink.types.StringValue}'s form is a length + 1 and each character in 7-bit
     * groups, low first: a character below 128 is one byte, the same as its ISO-8859-1 byte.
     * Reading past the end throws {@link ArrayIndexOutOfBoundsException}.
     */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        /** A count or index (7-bit groups, low first). */
        int count() {
            int value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[at++];
                value |= (b & 0x7F) << shift;
                if (b >= 0) return value;
            }
        }

        long zigZag() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[at++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return (v >>> 1) ^ -(v & 1);
            }
        }

        /** A big-endian double, as {@link DataInputDeserializer#readDouble()}. */
        double doubleValue() {
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (bytes[at++] & 0xFF);
            return Double.longBitsToDouble(v);
        }

        /** A string in {@link org.apache.flink.types.StringValue}'s form (null: length 0). */
        String string() {
            int length = count() - 1; // the same 7-bit groups as a count
            if (length < 0) return null;
            int end = at + length;
            if (end > bytes.length) throw new ArrayIndexOutOfBoundsException(end);
            int i = at;
            while (i < end && bytes[i] >= 0) i++;
            if (i == end) {
                String ascii = new String(bytes, at, length, StandardCharsets.ISO_8859_1);
                at = end;
                return ascii;
            }
            return chars(length);
        }

        /**
         * The id in {@code ids} of a string in {@link org.apache.flink.types.StringValue}'s form
         * (not null): of an ASCII one from its bytes, with the String hash computed on the way.
         */
        int textId(TextIds ids) {
            int length = count() - 1;
            if (length < 0) throw new IllegalStateException("a null id in a snapshot");
            int end = at + length;
            if (end > bytes.length) throw new ArrayIndexOutOfBoundsException(end);
            int hash = 0;
            int i = at;
            for (byte b; i < end && (b = bytes[i]) >= 0; i++) hash = 31 * hash + b;
            if (i == end) {
                int id = ids.idOf(bytes, at, length, hash);
                at = end;
                return id;
            }
            return ids.idOf(chars(length));
        }

        /** The {@code length} characters from here, each in 7-bit groups. */
        private String chars(int length) {
            char[] chars = new char[length];
            for (int c = 0; c < length; c++) {
                int ch = bytes[at++] & 0xFF;
                if (ch >= 0x80) {
                    ch &= 0x7F;
                    int shift = 7, next;
                    while ((next = bytes[at++] & 0xFF) >= 0x80) {
                        ch |= (next & 0x7F) << shift;
                        shift += 7;
                    }
                    ch |= next << shift;
                }
                chars[c] = (char) ch;
            }
            return new String(chars);
        }

        List<String> strings() {
            int n = count();
            List<String> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) values.add(string());
            return values;
        }

        List<Double> doubles() {
            int n = count();
            List<Double> values = new ArrayList<>(n);
            for (int i = 0; i < n; i++) values.add(doubleValue());
            return values;
        }

        /** As {@link #doubles()}, unboxed. */
        double[] doubleValues() {
            double[] values = new double[count()];
            for (int i = 0; i < values.length; i++) values[i] = doubleValue();
            return values;
        }

        /** As {@link #strings()} (none null), as ids in {@code ids}. */
        int[] textIds(TextIds ids) {
            int[] values = new int[count()];
            for (int i = 0; i < values.length; i++) values[i] = textId(ids);
            return values;
        }
    }
}
