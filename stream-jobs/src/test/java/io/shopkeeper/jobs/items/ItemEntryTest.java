package io.shopkeeper.jobs.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The orders {@link ItemModelOperator} keeps through its entries' links. */
class ItemEntryTest {
    private static List<String> ids(ItemEntry.Order order) {
        List<String> ids = new ArrayList<>();
        for (ItemEntry e = order.first(); e != null; e = order.next(e)) ids.add(e.itemId);
        assertThat(ids).hasSize(order.size());
        return ids;
    }

    @Test
    void anOrderKeepsItsEntriesFirstToLastAndMovesOneToItsEnd() {
        ItemEntry.Order order = new ItemEntry.Order(ItemEntry.CACHE);
        ItemEntry a = new ItemEntry("a"), b = new ItemEntry("b"), c = new ItemEntry("c");
        assertThat(order.first()).isNull();
        order.addLast(a);
        order.addLast(b);
        order.addLast(c);
        assertThat(ids(order)).containsExactly("a", "b", "c");

        order.moveToEnd(a);
        assertThat(ids(order)).containsExactly("b", "c", "a");
        order.moveToEnd(a); // already last
        assertThat(ids(order)).containsExactly("b", "c", "a");
        order.remove(c);
        assertThat(ids(order)).containsExactly("b", "a");
        assertThat(order.contains(c)).isFalse();
        assertThat(c.inNoOrder()).isTrue();
        assertThatThrownBy(() -> order.addLast(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> order.remove(c)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theOrdersOfOneEntryAreIndependent() {
        ItemEntry.Order[] orders = new ItemEntry.Order[5];
        for (int o = 0; o < orders.length; o++) orders[o] = new ItemEntry.Order(o);
        ItemEntry a = new ItemEntry("a"), b = new ItemEntry("b");
        for (ItemEntry.Order order : orders) {
            order.addLast(a);
            order.addLast(b);
        }
        orders[ItemEntry.DIRTY].moveToEnd(a);
        orders[ItemEntry.PUBLISHED].remove(b);

        assertThat(ids(orders[ItemEntry.CACHE])).containsExactly("a", "b");
        assertThat(ids(orders[ItemEntry.DIRTY])).containsExactly("b", "a");
        assertThat(ids(orders[ItemEntry.UNPUBLISHED])).containsExactly("a", "b");
        assertThat(ids(orders[ItemEntry.WAITING])).containsExactly("a", "b");
        assertThat(ids(orders[ItemEntry.PUBLISHED])).containsExactly("a");
        for (int o = 0; o < 4; o++) orders[o].remove(b);
        assertThat(b.inNoOrder()).isTrue();
        assertThat(a.inNoOrder()).isFalse();
    }

    /** Random steps give the order of an access-ordered LinkedHashMap (the cache it replaced). */
    @Test
    void randomStepsGiveTheOrderOfAnAccessOrderedMap() {
        Random random = new Random(5);
        for (int o = 0; o < 5; o++) {
            ItemEntry.Order order = new ItemEntry.Order(o);
            Map<String, ItemEntry> entries = new LinkedHashMap<>(16, 0.75f, true);
            for (int step = 0; step < 20_000; step++) {
                String id = "i" + random.nextInt(50);
                ItemEntry held = entries.get(id); // moves it to the end of the map
                int what = random.nextInt(3);
                if (held == null) {
                    ItemEntry e = new ItemEntry(id);
                    entries.put(id, e);
                    order.addLast(e);
                } else if (what == 0) {
                    entries.remove(id);
                    order.remove(held);
                } else {
                    order.moveToEnd(held);
                }
                assertThat(order.size()).isEqualTo(entries.size());
            }
            assertThat(ids(order)).containsExactlyElementsOf(entries.keySet());
        }
    }
}
