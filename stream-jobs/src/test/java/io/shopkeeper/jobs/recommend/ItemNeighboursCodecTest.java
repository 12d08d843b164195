package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.schemas.ScoredItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Snapshots encoded by {@link ItemNeighboursCodec} decode to what was encoded, whole or by section,
 * and a ranking that decodes only the sections {@link SessionRecommender} asks for is the ranking
 * from the whole snapshots.
 */
class ItemNeighboursCodecTest {

    private static ItemNeighbours full() {
        ItemNeighbours nb =
                new ItemNeighbours(
                        "i2", List.of("i3", "ü4", ""), List.of(2.5, 1.0 / 3, 1e-300), 7.25);
        nb.setSampleSessions(List.of("v/s1", "v2/s9"));
        nb.setSampleTimes(List.of(1_700_000_000_000L, -1L));
        nb.setSampleSizes(List.of(2, 1));
        nb.setSampleItems(List.of("i1", "i2", "i2"));
        nb.setContextThen(List.of("i3"));
        nb.setContextNext(List.of("i4"));
        nb.setContextWeights(List.of(Double.MIN_VALUE));
        return nb;
    }

    @Test
    void aSnapshotDecodesWholeAndByPart() {
        ItemNeighbours nb = full();
        byte[] bytes = ItemNeighboursCodec.encode(nb);
        assertThat(ItemNeighboursCodec.decode(bytes)).usingRecursiveComparison().isEqualTo(nb);
        assertThat(ItemNeighboursCodec.itemId(bytes)).isEqualTo("i2");

        ItemNeighbours none = ItemNeighboursCodec.decode(bytes, false, false, false);
        assertThat(none.getItemId()).isEqualTo("i2");
        assertThat(none.getOccurrences()).isEqualTo(7.25);
        assertThat(none.getItems()).isEmpty();
        assertThat(none.getSampleItems()).isEmpty();
        assertThat(none.getContextThen()).isEmpty();

        ItemNeighbours sessions = ItemNeighboursCodec.decode(bytes, false, true, false);
        assertThat(sessions.getItems()).isEmpty();
        assertThat(sessions.getSampleSessions()).isEqualTo(nb.getSampleSessions());
        assertThat(sessions.getSampleTimes()).isEqualTo(nb.getSampleTimes());
        assertThat(sessions.getSampleSizes()).isEqualTo(nb.getSampleSizes());
        assertThat(sessions.getSampleItems()).isEqualTo(nb.getSampleItems());
        assertThat(sessions.getContextWeights()).isEmpty();

        ItemNeighbours contexts = ItemNeighboursCodec.decode(bytes, true, false, true);
        assertThat(contexts.getItems()).isEqualTo(nb.getItems());
        assertThat(contexts.getWeights()).isEqualTo(nb.getWeights());
        assertThat(contexts.getSampleSessions()).isEmpty();
        assertThat(contexts.getContextThen()).isEqualTo(nb.getContextThen());
        assertThat(contexts.getContextNext()).isEqualTo(nb.getContextNext());
        assertThat(contexts.getContextWeights()).isEqualTo(nb.getContextWeights());

        ItemNeighbours empty = new ItemNeighbours("x", new ArrayList<>(), new ArrayList<>());
        assertThat(ItemNeighboursCodec.decode(ItemNeighboursCodec.encode(empty)))
                .usingRecursiveComparison()
                .isEqualTo(empty);
    }

    @Test
    void stringsOfAnyCharactersDecodeAsFlinkWritesThem() {
        // ASCII, one to three 7-bit groups per character, a surrogate pair, NUL, a long string
        List<String> texts =
                List.of(
                        "i-7",
                        "ü",
                        "a€b",
                        "\uFFFF\u0800",
                        "x\uD83D\uDE00y",
                        "\u0000\u007F\u0080",
                        "long-".repeat(60) + "é");
        ItemNeighbours nb =
                new ItemNeighbours("€-item", texts, List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0));
        nb.setSampleSessions(texts);
        nb.setSampleTimes(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L));
        nb.setSampleSizes(List.of(1, 1, 1, 1, 1, 1, 2));
        nb.setSampleItems(List.of("i-7", "new-€", "ü", "new-€", "a€b", "\uFFFF\u0800", "z", "é"));
        byte[] bytes = ItemNeighboursCodec.encode(nb);
        assertThat(ItemNeighboursCodec.itemId(bytes)).isEqualTo("€-item");
        ItemNeighbours decoded = ItemNeighboursCodec.decode(bytes);
        assertThat(decoded).usingRecursiveComparison().isEqualTo(nb);
        assertThat(decoded.getItems()).isEqualTo(texts);
        assertThat(decoded.getSampleItems()).isEqualTo(nb.getSampleItems());
    }

    @Test
    void rankingFromTheSectionsAskedForIsTheRankingFromWholeSnapshots() {
        // second-order rules on and few items per part, so every section is asked for and left out
        for (RecommenderConfig config :
                List.of(
                        RecommenderConfig.defaults(),
                        RecommenderConfig.defaults()
                                .set("contextsKept", "50")
                                .set("contextWeight", "2")
                                .set("sessionItemsUsed", "3")
                                .set("knnItemsUsed", "2"))) {
            SessionRecommender recommender = new SessionRecommender(config);
            Random random = new Random(5);
            Map<String, ItemModel> models = new HashMap<>();
            int compared = 0;
            for (int s = 0; s < 120; s++) {
                String sessionId = "v" + s + "/s";
                List<String> session = new ArrayList<>();
                int length = 1 + random.nextInt(12);
                for (int n = 0; n < length; n++) {
                    double u = random.nextDouble();
                    session.add(
                            n > 0 && random.nextInt(4) == 0
                                    ? session.get(random.nextInt(n))
                                    : "i" + (int) (100 * u * u));
                    Map<String, byte[]> encoded = new HashMap<>();
                    for (String item : SessionRecommender.recentDistinct(session, 12)) {
                        ItemModel model = models.get(item);
                        if (model != null)
                            encoded.put(
                                    item,
                                    ItemNeighboursCodec.encode(
                                            recommender.neighbours(item, model)));
                    }
                    if (s >= 40) {
                        List<ScoredItem> whole =
                                recommender.rankForVisitor(
                                        sessionId,
                                        session,
                                        item ->
                                                encoded.containsKey(item)
                                                        ? ItemNeighboursCodec.decode(
                                                                encoded.get(item))
                                                        : null,
                                        20);
                        List<ScoredItem> parts =
                                recommender.rankForVisitor(
                                        sessionId,
                                        session,
                                        (item, neighbours, sessions, contexts) ->
                                                encoded.containsKey(item)
                                                        ? ItemNeighboursCodec.decode(
                                                                encoded.get(item),
                                                                neighbours,
                                                                sessions,
                                                                contexts)
                                                        : null,
                                        20);
                        assertThat(parts).usingRecursiveComparison().isEqualTo(whole);
                        compared++;
                    }
                    for (ItemUpdate up : recommender.updatesFor(sessionId, session))
                        recommender.apply(
                                models.computeIfAbsent(up.getItemId(), x -> new ItemModel()),
                                up,
                                1000L * s);
                }
            }
            assertThat(compared).isGreaterThan(150);
        }
    }

    @Test
    void sampledAndNeighbourItemsDecodeAsIdsOfTheirTextsSharedAcrossSnapshots() {
        Random random = new Random(17);
        TextIds ids = new TextIds();
        Map<String, Integer> idByText = new HashMap<>();
        for (int round = 0; round < 500; round++) {
            if (round % 10 == 0) {
                ids.clear();
                idByText.clear();
            }
            ItemNeighbours nb = round == 0 ? full() : randomSnapshot(random);
            byte[] bytes = ItemNeighboursCodec.encode(nb);
            boolean neighbours = random.nextBoolean();
            ItemNeighbours decoded =
                    ItemNeighboursCodec.decode(bytes, neighbours, true, false, ids);
            assertThat(decoded.getSampleItems()).isEqualTo(nb.getSampleItems());
            assertThat(decoded.getSampleSessions()).isEqualTo(nb.getSampleSessions());
            assertThat(decoded.getSampleSizes()).isEqualTo(nb.getSampleSizes());
            assertThat(decoded.getItems()).isEqualTo(neighbours ? nb.getItems() : List.of());
            int[] sessionIds = decoded.sampleSessionIds();
            assertThat(sessionIds).hasSize(nb.getSampleSessions().size());
            for (int i = 0; i < sessionIds.length; i++) {
                String text = nb.getSampleSessions().get(i);
                assertThat(idByText.computeIfAbsent(text, t -> ids.idOf(t)))
                        .isEqualTo(sessionIds[i]);
                assertThat(ids.text(sessionIds[i])).isEqualTo(text);
            }
            int[] itemIds = decoded.sampleItemIds();
            assertThat(itemIds).hasSize(nb.getSampleItems().size());
            for (int i = 0; i < itemIds.length; i++) {
                String text = nb.getSampleItems().get(i);
                // one id per text, whether it came as bytes or as a String
                assertThat(idByText.computeIfAbsent(text, t -> ids.idOf(t))).isEqualTo(itemIds[i]);
                assertThat(ids.text(itemIds[i])).isEqualTo(text);
                assertThat(ids.hash(itemIds[i])).isEqualTo(text.hashCode());
            }
            // the neighbours' items have ids too (the samples name items by their index)
            for (String text : nb.getItems()) idByText.computeIfAbsent(text, t -> ids.idOf(t));
            assertThat(ids.size()).isEqualTo(idByText.size());
            if (neighbours) {
                int[] neighbourIds = decoded.itemIds();
                double[] weights = decoded.weightValues();
                assertThat(neighbourIds).hasSize(nb.getItems().size());
                assertThat(weights).hasSize(nb.getWeights().size());
                for (int i = 0; i < neighbourIds.length; i++) {
                    assertThat(neighbourIds[i]).isEqualTo(idByText.get(nb.getItems().get(i)));
                    assertThat(Double.doubleToRawLongBits(weights[i]))
                            .isEqualTo(Double.doubleToRawLongBits(nb.getWeights().get(i)));
                }
                assertThat(decoded.getWeights()).isEqualTo(nb.getWeights());
            } else {
                assertThat(decoded.itemIds()).isNull();
            }
        }
    }

    @Test
    void snapshotsOfTheFirstFormatDecodeAsBefore() {
        for (ItemNeighbours nb : List.of(full(), randomSnapshot(new Random(3)))) {
            byte[] first = formatOne(nb);
            assertThat(ItemNeighboursCodec.itemId(first)).isEqualTo(nb.getItemId());
            assertThat(ItemNeighboursCodec.decode(first)).usingRecursiveComparison().isEqualTo(nb);
            assertThat(ItemNeighboursCodec.decode(first).getWeights()).isEqualTo(nb.getWeights());
            for (int parts = 0; parts < 8; parts++) {
                boolean neighbours = (parts & 1) != 0,
                        sessions = (parts & 2) != 0,
                        contexts = (parts & 4) != 0;
                assertThat(ItemNeighboursCodec.decode(first, neighbours, sessions, contexts))
                        .usingRecursiveComparison()
                        .isEqualTo(
                                ItemNeighboursCodec.decode(
                                        ItemNeighboursCodec.encode(nb),
                                        neighbours,
                                        sessions,
                                        contexts));
            }
        }
    }

    @Test
    void randomSnapshotsDecodeWholeAndByPartInFewerBytes() {
        Random random = new Random(11);
        long first = 0, second = 0;
        for (int round = 0; round < 2_000; round++) {
            ItemNeighbours nb = randomSnapshot(random);
            byte[] bytes = ItemNeighboursCodec.encode(nb);
            assertThat(bytes[0]).isZero();
            assertThat(ItemNeighboursCodec.itemId(bytes)).isEqualTo(nb.getItemId());
            ItemNeighbours whole = ItemNeighboursCodec.decode(bytes);
            assertThat(whole).usingRecursiveComparison().isEqualTo(nb);
            // Double.equals: bit for bit (the recursive comparison allows 1e-15)
            assertThat(whole.getWeights()).isEqualTo(nb.getWeights());
            assertThat(whole.getOccurrences()).isEqualTo(nb.getOccurrences());
            ItemNeighbours sessions = ItemNeighboursCodec.decode(bytes, false, true, false);
            assertThat(sessions.getItems()).isEmpty();
            assertThat(sessions.getWeights()).isEmpty();
            assertThat(sessions.getSampleSessions()).isEqualTo(nb.getSampleSessions());
            assertThat(sessions.getSampleTimes()).isEqualTo(nb.getSampleTimes());
            assertThat(sessions.getSampleSizes()).isEqualTo(nb.getSampleSizes());
            assertThat(sessions.getSampleItems()).isEqualTo(nb.getSampleItems());
            ItemNeighbours contexts = ItemNeighboursCodec.decode(bytes, false, false, true);
            assertThat(contexts.getContextThen()).isEqualTo(nb.getContextThen());
            assertThat(contexts.getContextNext()).isEqualTo(nb.getContextNext());
            assertThat(contexts.getContextWeights()).isEqualTo(nb.getContextWeights());
            assertThat(contexts.getSampleItems()).isEmpty();
            first += formatOne(nb).length;
            second += bytes.length;
        }
        // the sampled items are mostly the neighbours: an index of a byte instead of the text
        assertThat(second).isLessThan(first * 3 / 4);
    }

    @Test
    void reusedBuffersGiveTheBytesOfFreshOnes() throws Exception {
        Random random = new Random(16);
        List<ItemNeighbours> snapshots = new ArrayList<>();
        for (int i = 0; i < 300; i++) snapshots.add(randomSnapshot(random));
        snapshots.add(1, big()); // a large one early, so later ones write over its leftovers
        // this thread reuses its buffers from snapshot to snapshot
        List<byte[]> reused = new ArrayList<>();
        for (ItemNeighbours nb : snapshots) reused.add(ItemNeighboursCodec.encode(nb));
        for (int i = 0; i < snapshots.size(); i += 10) {
            ItemNeighbours nb = snapshots.get(i);
            byte[][] fresh = new byte[1][];
            Thread first = new Thread(() -> fresh[0] = ItemNeighboursCodec.encode(nb));
            first.start();
            first.join();
            assertThat(reused.get(i)).as("snapshot %d", i).isEqualTo(fresh[0]);
        }
        byte[] bigBytes = reused.get(1);
        assertThat(bigBytes.length).isGreaterThan(1 << 20); // past what a thread keeps
        assertThat(ItemNeighboursCodec.decode(bigBytes))
                .usingRecursiveComparison()
                .isEqualTo(big());
        assertThat(ItemNeighboursCodec.encode(big())).isEqualTo(bigBytes);
    }

    @Test
    void unboxedWeightsAndAReusedItemIndexGiveTheSameBytes() {
        Random random = new Random(21);
        List<ItemNeighbours> snapshots = new ArrayList<>();
        for (int i = 0; i < 300; i++) snapshots.add(randomSnapshot(random));
        // samples naming 70,000 items: an index larger than a thread keeps, then small ones again
        ItemNeighbours large = big();
        List<String> sampled = new ArrayList<>();
        for (int i = 0; i < 70_000; i++)
            sampled.add(i % 3 == 0 ? "a-rather-long-item-id-" + i : "s" + i);
        large.setSampleSessions(List.of("x", "y"));
        large.setSampleTimes(List.of(5L, 3L));
        large.setSampleSizes(List.of(35_000, 35_000));
        large.setSampleItems(sampled);
        snapshots.add(2, large);
        List<byte[]> boxed = new ArrayList<>();
        for (ItemNeighbours nb : snapshots) boxed.add(ItemNeighboursCodec.encode(nb));
        for (int i = 0; i < snapshots.size(); i++) {
            ItemNeighbours nb = snapshots.get(i);
            double[] values = new double[nb.getWeights().size() + 3]; // longer than the list
            for (int j = 0; j < nb.getWeights().size(); j++) values[j] = nb.getWeights().get(j);
            nb.setWeights(ItemNeighbours.doubles(values, nb.getWeights().size()));
            assertThat(ItemNeighboursCodec.encode(nb)).as("snapshot %d", i).isEqualTo(boxed.get(i));
        }
        assertThat(ItemNeighboursCodec.decode(boxed.get(2)).getSampleItems()).isEqualTo(sampled);
    }

    /** A snapshot of more than a megabyte. */
    private static ItemNeighbours big() {
        List<String> items = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            items.add("a-rather-long-item-id-" + i);
            weights.add(i / 7.0);
        }
        return new ItemNeighbours("big", items, weights, 1.0);
    }

    /**
     * Neighbours, sampled sessions that mostly name them (and other items, repeated), times far
     * apart and negative, sizes that do not fit a byte, and (sometimes) second-order rules.
     */
    private static ItemNeighbours randomSnapshot(Random random) {
        int n = random.nextInt(60);
        List<String> items = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(random.nextInt(20) == 0 ? "" : "item-" + random.nextInt(500) + "ü");
            weights.add(random.nextInt(10) == 0 ? -0.0 : random.nextGaussian() * 1e3);
        }
        ItemNeighbours nb =
                new ItemNeighbours(
                        "item-" + random.nextInt(500), items, weights, random.nextDouble() * 99);
        int sessions = random.nextInt(35);
        long time = random.nextLong();
        for (int s = 0; s < sessions; s++) {
            nb.getSampleSessions().add("v" + random.nextInt(1_000_000) + "/s-" + random.nextLong());
            time += random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(3_600_000) - 60_000;
            nb.getSampleTimes().add(time);
            int size = random.nextInt(50) == 0 ? 300 : 1 + random.nextInt(10);
            nb.getSampleSizes().add(size);
            for (int i = 0; i < size; i++)
                nb.getSampleItems()
                        .add(
                                n > 0 && random.nextInt(5) > 0
                                        ? items.get(random.nextInt(n))
                                        : "other-" + random.nextInt(40));
        }
        if (random.nextBoolean()) {
            for (int c = random.nextInt(5); c >= 0; c--) {
                nb.getContextThen().add("then-" + random.nextInt(9));
                nb.getContextNext().add("next-" + random.nextInt(9));
                nb.getContextWeights().add(random.nextDouble());
            }
        }
        return nb;
    }

    /** The bytes of the codec's first format, as an earlier version kept them in state. */
    private static byte[] formatOne(ItemNeighbours nb) {
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
}
