package io.shopkeeper.jobs.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The weight table behaves as the {@code HashMap} it replaced: random learning steps (add, evict
 * the weakest with ties by id, scale, put, remove through the map and its iterator) leave both with
 * the same entries, with many ids colliding in the index.
 */
class WeightTableTest {
    @Test
    void randomStepsLeaveTheSameEntriesAsAHashMap() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            WeightTable table = new WeightTable();
            Map<String, Double> reference = new HashMap<>();
            int cap = 1 + random.nextInt(40);
            int ids = cap + random.nextInt(3 * cap);
            for (int step = 0; step < 2_000; step++) {
                String id = "item-" + random.nextInt(ids);
                int op = random.nextInt(20);
                if (op < 14) {
                    // coarse weights: many ties for the eviction
                    double w = (1 + random.nextInt(4)) / 4.0;
                    table.add(id, w);
                    table.evictWeakest(cap);
                    reference.merge(id, w, Double::sum);
                    evictWeakest(reference, cap);
                } else if (op < 15) {
                    double factor = Math.pow(0.5, random.nextInt(3) / 8.0);
                    table.scale(factor);
                    reference.replaceAll((k, v) -> v * factor);
                } else if (op < 17) {
                    assertThat(table.remove(id)).isEqualTo(reference.remove(id));
                } else if (op < 18) {
                    assertThat(table.put(id, 0.5)).isEqualTo(reference.put(id, 0.5));
                } else if (op < 19) {
                    Iterator<Map.Entry<String, Double>> it = table.entrySet().iterator();
                    while (it.hasNext()) {
                        if (it.next().getKey().hashCode() % 3 == 0) it.remove();
                    }
                    reference.keySet().removeIf(k -> k.hashCode() % 3 == 0);
                } else {
                    assertThat(table.containsKey(id)).isEqualTo(reference.containsKey(id));
                    assertThat(table.get(id)).isEqualTo(reference.get(id));
                }
                assertThat(table.size()).isEqualTo(reference.size());
            }
            assertThat(table).isEqualTo(reference);
            for (int i = 0; i < table.size(); i++) {
                assertThat(table.indexOf(table.keyAt(i))).isEqualTo(i);
                assertThat(table.indexOf(table.keyAt(i), table.hashAt(i))).isEqualTo(i);
            }
            for (int i = 0; i < ids; i++)
                assertThat(table.get("item-" + i)).isEqualTo(reference.get("item-" + i));
        }
    }

    @Test
    void aPlainMapIsCopiedAndATableKept() {
        Map<String, Double> plain = new HashMap<>(Map.of("a", 1.0, "b", 2.0));
        WeightTable table = WeightTable.of(plain);

        assertThat(table).isEqualTo(plain);
        assertThat(WeightTable.of(table)).isSameAs(table);
        assertThat(WeightTable.of(null)).isEmpty();
    }

    @Test
    void aCopyHasTheSameEntriesInTheSameOrderAndChangesApart() {
        WeightTable table = new WeightTable();
        for (int i = 0; i < 20; i++) table.add("c" + i, i);
        table.remove("c3"); // the last entry moves into its position
        WeightTable copy = table.copy();

        assertThat(copy).isEqualTo(table);
        assertThat(copy.keySet()).containsExactlyElementsOf(table.keySet());
        for (int i = 0; i < copy.size(); i++) assertThat(copy.indexOf(copy.keyAt(i))).isEqualTo(i);

        copy.add("c1", 10);
        copy.add("new", 1);
        copy.remove("c2");
        table.scale(2);
        assertThat(table)
                .containsEntry("c1", 2.0)
                .containsEntry("c2", 4.0)
                .doesNotContainKey("new");
        assertThat(copy)
                .containsEntry("c1", 11.0)
                .containsEntry("new", 1.0)
                .doesNotContainKey("c2");
        assertThat(new WeightTable().copy()).isEmpty();
    }

    /** The eviction of the HashMap-based model, as it was. */
    private static void evictWeakest(Map<String, Double> map, int cap) {
        while (map.size() > cap) {
            String weakest = null;
            double min = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, Double> e : map.entrySet()) {
                double v = e.getValue();
                if (v < min || (v == min && e.getKey().compareTo(weakest) > 0)) {
                    min = v;
                    weakest = e.getKey();
                }
            }
            map.remove(weakest);
        }
    }
}
