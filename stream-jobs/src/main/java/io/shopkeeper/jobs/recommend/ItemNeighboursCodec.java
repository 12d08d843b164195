package io.shopkeeper.jobs.recommend;

import io.shopkeeper.jobs.types.Compact;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * An {@link ItemNeighbours} snapshot as bytes in three sections that can be read apart: the
 * neighbours (items, weights), the sampled sessions and the second-order rules, after a header with
 * the item id, the view count and the sections' lengths. The item's model encodes a snapshot once;
 * the visitor's operator receives, keeps and reads it back as these bytes, and decodes only the
 * sections the ranking reads for that item ({@link SessionRecommender.SnapshotLookup}): of the ten
 * session items a list is ranked from, the kNN part reads the sampled sessions of five and the
 * second-order rules of one. Values are written as {@link ItemNeighboursSerializer} writes them
 * (doubles bit for bit), so a decoded section equals the snapshot's.
 */
public final class ItemNeighboursCodec {
    private ItemNeighboursCodec() {}

    /** The snapshot's bytes (not null). */
    public static byte[] encode(ItemNeighbours nb) {
        try {
            DataOutputSerializer section = new DataOutputSerializer(256);
            Compact.writeStrings(nb.getItems(), section);
            Compact.writeDoubles(nb.getWeights(), section);
            int neighboursEnd = section.length();
            Compact.writeStrings(nb.getSampleSessions(), section);
            Compact.writeLongs(nb.getSampleTimes(), section);
            Compact.writeInts(nb.getSampleSizes(), section);
            Compact.writeStrings(nb.getSampleItems(), section);
            int sessionsEnd = section.length();
            Compact.writeStrings(nb.getContextThen(), section);
            Compact.writeStrings(nb.getContextNext(), section);
            Compact.writeDoubles(nb.getContextWeights(), section);
            DataOutputSerializer out = new DataOutputSerializer(section.length() + 64);
            Compact.writeString(nb.getItemId(), out);
            out.writeDouble(nb.getOccurrences());
            out.writeInt(neighboursEnd);
            out.writeInt(sessionsEnd - neighboursEnd);
            out.writeInt(section.length() - sessionsEnd);
            out.write(section.getSharedBuffer(), 0, section.length());
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole snapshot. */
    public static ItemNeighbours decode(byte[] bytes) {
        return decode(bytes, true, true, true);
    }

    /** The item id only. */
    public static String itemId(byte[] bytes) {
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
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
