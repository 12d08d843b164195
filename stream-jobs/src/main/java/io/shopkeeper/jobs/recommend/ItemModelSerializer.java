package io.shopkeeper.jobs.recommend;

import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.WeightTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ItemModel} field by field, with each item id written once: the ids of the neighbours
 * (followed and preceded) and of the sampled sessions' items go into one table at the front, and
 * the maps and the sample refer to them by index (a variable-length int, one byte for the first
 * 128). An item's neighbours and the items of its sampled sessions are mostly the same items: the
 * models write about 40% fewer bytes to RocksDB at every checkpoint and eviction than through
 * Flink's POJO serializer ({@code ItemModelSerializerTest}), take less CPU to write and read, and
 * the models read back share one string per id. Weights and times are written exactly (8 bytes).
 *
 * <p>Savepoints: state written by Flink's POJO serializer (every version before this one) is
 * migrated on restore ({@link Snapshot#resolveSchemaCompatibility}: the backend reads every model
 * with the old serializer and writes it with this one). A new field of {@link ItemModel} must be
 * written here and gets a new snapshot version; {@code ItemModelSerializerTest} fails when a field
 * is not written.
 */
public final class ItemModelSerializer extends CompactSerializer<ItemModel> {
    public static final ItemModelSerializer INSTANCE = new ItemModelSerializer();

    @Override
    public ItemModel createInstance() {
        return new ItemModel();
    }

    /** Each thread's id table, reused from one model to the next. */
    private static final ThreadLocal<IdTable> TABLES = ThreadLocal.withInitial(IdTable::new);

    @Override
    public void serialize(ItemModel m, DataOutputView out) throws IOException {
        WeightTable followed = m.followed(), preceded = m.preceded(), rules = m.rules();
        IdTable index = TABLES.get();
        List<String> items = m.getSampleItems();
        index.clear(followed.size() + preceded.size() + items.size());
        // each id hashed once: the tables' keys with the hashes they keep, the followed ones
        // (distinct) at their own positions, the others' positions kept for the writing below
        for (int i = 0; i < followed.size(); i++)
            index.addNew(followed.keyAt(i), followed.hashAt(i));
        int[] precededAt = index.precededAt(preceded.size());
        for (int i = 0; i < preceded.size(); i++)
            precededAt[i] = index.add(preceded.keyAt(i), preceded.hashAt(i));
        int[] itemsAt = index.itemsAt(items.size());
        // the sampled items' hashes first, a loop of independent reads whose cache misses overlap
        // (the strings are scattered over the heap), then their positions
        for (int i = 0; i < items.size(); i++)
            itemsAt[i] = WeightTable.spread(items.get(i).hashCode());
        for (int i = 0; i < items.size(); i++) itemsAt[i] = index.add(items.get(i), itemsAt[i]);
        writeVarInt(index.size, out);
        Compact.writeEach(index.ids, 0, index.size, out);

        out.writeDouble(m.getOccurrences());
        out.writeLong(m.getLastUpdate());
        writeVarInt(followed.size(), out);
        for (int i = 0; i < followed.size(); i++) {
            writeVarInt(i, out);
            out.writeDouble(followed.weightAt(i));
        }
        writeVarInt(preceded.size(), out);
        for (int i = 0; i < preceded.size(); i++) {
            writeVarInt(precededAt[i], out);
            out.writeDouble(preceded.weightAt(i));
        }
        writeVarInt(rules.size(), out);
        for (int i = 0; i < rules.size(); i++) {
            Compact.writeString(rules.keyAt(i), out);
            out.writeDouble(rules.weightAt(i));
        }
        List<String> sessions = m.getSampleSessions();
        writeVarInt(sessions.size(), out);
        Compact.writeEach(sessions, 0, sessions.size(), out);
        List<Long> times = m.getSampleTimes();
        writeVarInt(times.size(), out);
        for (Long time : times) out.writeLong(time);
        List<Integer> sizes = m.getSampleSizes();
        writeVarInt(sizes.size(), out);
        for (Integer size : sizes) writeVarInt(size, out);
        writeVarInt(items.size(), out);
        for (int i = 0; i < items.size(); i++) writeVarInt(itemsAt[i], out);
    }

    @Override
    public ItemModel deserialize(DataInputView in) throws IOException {
        String[] table = new String[readVarInt(in)];
        for (int i = 0; i < table.length; i++) table[i] = Compact.readString(in);

        ItemModel m = new ItemModel();
        m.setOccurrences(in.readDouble());
        m.setLastUpdate(in.readLong());
        m.setWeights(readIndexed(table, in));
        m.setBackward(readIndexed(table, in));
        int contexts = readVarInt(in);
        WeightTable rules = new WeightTable(contexts);
        for (int i = 0; i < contexts; i++) rules.set(Compact.readString(in), in.readDouble());
        m.setContexts(rules);
        int n = readVarInt(in);
        List<String> sessions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) sessions.add(Compact.readString(in));
        m.setSampleSessions(sessions);
        n = readVarInt(in);
        List<Long> times = new ArrayList<>(n);
        for (int i = 0; i < n; i++) times.add(in.readLong());
        m.setSampleTimes(times);
        n = readVarInt(in);
        List<Integer> sizes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) sizes.add(readVarInt(in));
        m.setSampleSizes(sizes);
        n = readVarInt(in);
        List<String> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) items.add(table[readVarInt(in)]);
        m.setSampleItems(items);
        return m;
    }

    /**
     * The distinct ids of one model in the order first added, with an open-addressing index from id
     * to position (ids are never null). One per thread, cleared for each model: no allocation once
     * it has grown to the largest model.
     */
    static final class IdTable {
        String[] ids = new String[256];
        int size;
        private String[] slots = new String[1024];
        private int[] hashes = new int[1024];
        private int[] positions = new int[1024];
        private int[] precededAt = new int[256];
        private int[] itemsAt = new int[256];

        /** The slots in use for this model: a power of two, at least twice the ids. */
        private int mask;

        /** Empties the table for a model with at most {@code n} ids. */
        void clear(int n) {
            if (ids.length < n) ids = new String[Integer.highestOneBit(n) * 2];
            int capacity = Integer.highestOneBit(Math.max(16, n) * 2) * 2;
            if (slots.length < capacity) {
                slots = new String[capacity];
                hashes = new int[capacity];
                positions = new int[capacity];
            } else {
                // only the slots this model uses: the arrays keep the size of the largest model
                Arrays.fill(slots, 0, capacity, null);
            }
            mask = capacity - 1;
            size = 0;
        }

        /** Room for the positions of {@code n} preceded ids (this thread's, reused). */
        int[] precededAt(int n) {
            if (precededAt.length < n) precededAt = new int[Integer.highestOneBit(n) * 2];
            return precededAt;
        }

        /** Room for the positions of {@code n} sampled items (this thread's, reused). */
        int[] itemsAt(int n) {
            if (itemsAt.length < n) itemsAt = new int[Integer.highestOneBit(n) * 2];
            return itemsAt;
        }

        /**
         * Adds an id known not to be in the table yet, whose {@link WeightTable#hashAt} is {@code
         * hash}.
         */
        void addNew(String id, int hash) {
            int slot = hash & mask;
            while (slots[slot] != null) slot = (slot + 1) & mask;
            slots[slot] = id;
            hashes[slot] = hash;
            positions[slot] = size;
            ids[size++] = id;
        }

        /**
         * The position of {@code id} (not null), whose spread hash ({@link WeightTable#hashAt}) is
         * {@code hash}, added at the end when absent.
         */
        int add(String id, int hash) {
            int slot = hash & mask;
            String held;
            while ((held = slots[slot]) != null) {
                if (hashes[slot] == hash && (held == id || held.equals(id))) return positions[slot];
                slot = (slot + 1) & mask;
            }
            slots[slot] = id;
            hashes[slot] = hash;
            positions[slot] = size;
            ids[size++] = id;
            return size - 1;
        }
    }

    private static WeightTable readIndexed(String[] table, DataInputView in) throws IOException {
        int n = readVarInt(in);
        WeightTable weights = new WeightTable(n);
        for (int i = 0; i < n; i++) weights.set(table[readVarInt(in)], in.readDouble());
        return weights;
    }

    /** A non-negative int in 7-bit groups, low first (1 byte below 128). */
    static void writeVarInt(int value, DataOutputView out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    static int readVarInt(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.readByte();
            value |= (b & 0x7F) << shift;
            if (b >= 0) return value;
        }
    }

    @Override
    public TypeSerializerSnapshot<ItemModel> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Restores the serializer; state written by the POJO serializer of earlier versions is
     * compatible after migration.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ItemModel> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<ItemModel> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ItemModel> oldSnapshot) {
            if (oldSnapshot instanceof PojoSerializerSnapshot<ItemModel> pojo
                    && pojo.restoreSerializer().createInstance() instanceof ItemModel) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }
    }
}
