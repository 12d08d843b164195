package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The item model's hand-written serializer writes every field (each field of {@link ItemModel} is
 * checked to be non-default before the round trip, so a new field not written fails here), reads
 * back what it wrote exactly, and writes fewer bytes than the POJO serializer it replaces.
 */
class ItemModelSerializerTest {
    private static final SessionRecommender RECOMMENDER =
            new SessionRecommender(
                    RecommenderConfig.defaults()
                            .set("contextsKept", "20")
                            .set("contextWeight", "1"));

    @Test
    void everyFieldRoundTrips() throws Exception {
        ItemModel model = trained(new Random(7), 400).get("i0");
        for (Field f : ItemModel.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            Object value = f.get(model);
            assertThat(value)
                    .as("field %s is set in the test model", f.getName())
                    .isNotIn(null, 0.0, 0L)
                    .satisfies(
                            v -> {
                                if (v instanceof Map<?, ?> map) assertThat(map).isNotEmpty();
                                if (v instanceof List<?> list) assertThat(list).isNotEmpty();
                            });
        }

        ItemModel back = roundTrip(model);

        assertThat(back).usingRecursiveComparison().isEqualTo(model);
    }

    @Test
    void aNewModelRoundTrips() throws Exception {
        ItemModel model = new ItemModel();

        assertThat(roundTrip(model)).usingRecursiveComparison().isEqualTo(model);
    }

    @Test
    void everyTrainedModelRoundTripsAndGivesTheSameSnapshot() throws Exception {
        Map<String, ItemModel> models = trained(new Random(11), 2_000);
        for (Map.Entry<String, ItemModel> e : models.entrySet()) {
            ItemModel back = roundTrip(e.getValue());
            assertThat(back).usingRecursiveComparison().isEqualTo(e.getValue());
            assertThat(ItemNeighboursCodec.encode(RECOMMENDER.neighbours(e.getKey(), back)))
                    .isEqualTo(
                            ItemNeighboursCodec.encode(
                                    RECOMMENDER.neighbours(e.getKey(), e.getValue())));
        }
    }

    /**
     * The bytes of a model as the serializer wrote them when models held hash maps (main at
     * b2035f7): savepoints of that version restore into the array-based model with the same
     * content.
     */
    @Test
    void readsModelsWrittenBeforeTheWeightTables() throws Exception {
        byte[] written =
                HexFormat.of()
                        .parseHex(
                                "0504e9012d34076974656d2d33076974656d2d32076974656d2d39076974656d2d"
                                        + "3140080000000000000000018bcfe5680003003fe800000000000001"
                                        + "3fd0000000000000023ff800000000000002033fe000000000000002"
                                        + "3fc0000000000000010e6974656d2d321f6974656d2d333ff0000000"
                                        + "000000020b637573742d312f732d310b637573742d322f732d370200"
                                        + "00018bcfe568000000018bcfd625c002020103020403");

        ItemModel read =
                ItemModelSerializer.INSTANCE.deserialize(new DataInputDeserializer(written));

        assertThat(read.getWeights())
                .isEqualTo(Map.of("item-2", 1.5, "item-3", 0.25, "\u00e9-4", 0.75));
        assertThat(read.getBackward()).isEqualTo(Map.of("item-9", 0.5, "item-2", 0.125));
        assertThat(read.getOccurrences()).isEqualTo(3.0);
        assertThat(read.getLastUpdate()).isEqualTo(1_700_000_000_000L);
        assertThat(read.getContexts()).isEqualTo(Map.of("item-2\u001fitem-3", 1.0));
        assertThat(read.getSampleSessions()).containsExactly("cust-1/s-1", "cust-2/s-7");
        assertThat(read.getSampleTimes()).containsExactly(1_700_000_000_000L, 1_699_999_000_000L);
        assertThat(read.getSampleSizes()).containsExactly(2, 1);
        assertThat(read.getSampleItems()).containsExactly("item-2", "item-1", "item-9");
        assertThat(roundTrip(read)).usingRecursiveComparison().isEqualTo(read);
    }

    /**
     * Each id hashed once (issue 11) writes the same bytes as the table it replaced: ids in the
     * order followed, preceded, sampled items, each first time only, and every reference its index
     * ({@link #referenceBytes}), for trained models (their ids shared between the tables and the
     * sample) and for the same models read back (one string per id).
     */
    @Test
    void writesTheBytesOfTheIdTableItReplaced() throws Exception {
        for (ItemModel model : trained(new Random(13), 3_000).values()) {
            assertThat(bytes(model)).isEqualTo(referenceBytes(model));
            ItemModel back = roundTrip(model);
            assertThat(bytes(back)).isEqualTo(referenceBytes(back));
        }
    }

    private static byte[] bytes(ItemModel model) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        ItemModelSerializer.INSTANCE.serialize(model, out);
        return out.getCopyOfBuffer();
    }

    /** The serializer's format written with a map from id to index (as main at d3f81fe). */
    private static byte[] referenceBytes(ItemModel m) throws Exception {
        Map<String, Integer> index = new java.util.LinkedHashMap<>();
        for (String id : m.getWeights().keySet()) index.putIfAbsent(id, index.size());
        for (String id : m.getBackward().keySet()) index.putIfAbsent(id, index.size());
        for (String id : m.getSampleItems()) index.putIfAbsent(id, index.size());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        ItemModelSerializer.writeVarInt(index.size(), out);
        for (String id : index.keySet()) io.shopkeeper.jobs.types.Compact.writeString(id, out);
        out.writeDouble(m.getOccurrences());
        out.writeLong(m.getLastUpdate());
        for (Map<String, Double> weights : List.of(m.getWeights(), m.getBackward())) {
            ItemModelSerializer.writeVarInt(weights.size(), out);
            for (Map.Entry<String, Double> e : weights.entrySet()) {
                ItemModelSerializer.writeVarInt(index.get(e.getKey()), out);
                out.writeDouble(e.getValue());
            }
        }
        ItemModelSerializer.writeVarInt(m.getContexts().size(), out);
        for (Map.Entry<String, Double> e : m.getContexts().entrySet()) {
            io.shopkeeper.jobs.types.Compact.writeString(e.getKey(), out);
            out.writeDouble(e.getValue());
        }
        ItemModelSerializer.writeVarInt(m.getSampleSessions().size(), out);
        for (String id : m.getSampleSessions())
            io.shopkeeper.jobs.types.Compact.writeString(id, out);
        ItemModelSerializer.writeVarInt(m.getSampleTimes().size(), out);
        for (long time : m.getSampleTimes()) out.writeLong(time);
        ItemModelSerializer.writeVarInt(m.getSampleSizes().size(), out);
        for (int size : m.getSampleSizes()) ItemModelSerializer.writeVarInt(size, out);
        ItemModelSerializer.writeVarInt(m.getSampleItems().size(), out);
        for (String id : m.getSampleItems()) ItemModelSerializer.writeVarInt(index.get(id), out);
        return out.getCopyOfBuffer();
    }

    @Test
    void copiesAreIndependentOfTheOriginal() throws Exception {
        ItemModel model = trained(new Random(3), 200).get("i0");

        ItemModel copy = ItemModelSerializer.INSTANCE.copy(model);
        copy.getWeights().put("changed", 1.0);
        copy.getSampleItems().add("changed");

        assertThat(model.getWeights()).doesNotContainKey("changed");
        assertThat(model.getSampleItems()).doesNotContain("changed");
    }

    @Test
    void writesFewerBytesThanThePojoSerializer() throws Exception {
        TypeInformation<ItemModel> info = TypeInformation.of(ItemModel.class);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<ItemModel> pojo = info.createSerializer(new SerializerConfigImpl());
        long pojoBytes = 0, compactBytes = 0;
        for (ItemModel model : trained(new Random(5), 20_000).values()) {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            pojo.serialize(model, out);
            pojoBytes += out.length();
            out.clear();
            ItemModelSerializer.INSTANCE.serialize(model, out);
            compactBytes += out.length();
        }
        System.out.printf(
                "item models: POJO %,d B, compact %,d B (%.2f)%n",
                pojoBytes, compactBytes, compactBytes / (double) pojoBytes);
        assertThat(compactBytes).isLessThan(pojoBytes * 3 / 4);
    }

    static ItemModel roundTrip(ItemModel model) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        ItemModelSerializer.INSTANCE.serialize(model, out);
        return ItemModelSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    /**
     * Models of 300 items trained on {@code views} views in random sessions of one to twelve items,
     * popular items viewed more often, with item ids and session ids shaped like the simulator's.
     */
    private static Map<String, ItemModel> trained(Random random, int views) {
        Map<String, ItemModel> models = new HashMap<>();
        List<String> session = new ArrayList<>();
        String sessionId = null;
        int sessions = 0;
        long time = 1_700_000_000_000L;
        for (int v = 0; v < views; v++) {
            if (session.isEmpty() || random.nextInt(6) == 0) {
                session.clear();
                sessionId = "cust-" + random.nextInt(1_000_000) + "/s-" + sessions++;
            }
            int rank = (int) Math.min(299, Math.abs(random.nextGaussian()) * 60);
            session.add(rank == 0 && v % 2 == 0 ? "i0" : "item-" + (10_000 + rank));
            time += random.nextInt(60_000);
            for (ItemUpdate update : RECOMMENDER.updatesFor(sessionId, session)) {
                ItemModel model = models.computeIfAbsent(update.getItemId(), i -> new ItemModel());
                RECOMMENDER.apply(model, update, time);
            }
            if (session.size() >= 12) session.clear();
        }
        return models;
    }
}
