package io.shopkeeper.launcher.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SimulatedCatalogTest {
    private final SimulatedCatalog catalog = SimulatedCatalog.generate(SimulatorConfig.defaults());

    @Test
    void itemsSpreadOverAllCategoriesAndBrandsWithShopLikeIds() {
        List<SimulatedCatalog.Item> items = catalog.items();
        assertThat(items).hasSize(3_000);
        assertThat(items)
                .allMatch(i -> i.itemId().matches("i\\d+") && i.categoryId().matches("c\\d\\d"));
        assertThat(items.stream().map(SimulatedCatalog.Item::categoryId).distinct()).hasSize(30);
        assertThat(items.stream().map(SimulatedCatalog.Item::brand).distinct().count())
                .isBetween(20L, 40L);
        assertThat(items.stream().map(SimulatedCatalog.Item::itemId).distinct()).hasSize(3_000);
    }

    @Test
    void pricesFollowTheCategoryAndSomeItemsAreOnDiscount() {
        List<SimulatedCatalog.Item> items = catalog.items();
        assertThat(items).allMatch(i -> i.price() > 0 && i.listPrice() >= i.price());
        long discounted = items.stream().filter(SimulatedCatalog.Item::onDiscount).count();
        assertThat(discounted).isBetween(300L, 1_100L);
        Map<String, Double> medianByCategory =
                items.stream()
                        .collect(
                                Collectors.groupingBy(
                                        SimulatedCatalog.Item::categoryId,
                                        Collectors.collectingAndThen(
                                                Collectors.toList(),
                                                l ->
                                                        l.stream()
                                                                .mapToDouble(
                                                                        SimulatedCatalog.Item
                                                                                ::listPrice)
                                                                .sorted()
                                                                .skip(l.size() / 2)
                                                                .findFirst()
                                                                .orElseThrow())));
        assertThat(medianByCategory.get("c02"))
                .as("laptops")
                .isGreaterThan(10 * medianByCategory.get("c17")); // coffee beans
        assertThat(items).anyMatch(i -> !i.inStock());
    }

    @Test
    void itemUpdatesCarryEveryItemsFacts() {
        Instant at = Instant.parse("2026-03-02T09:00:00Z");
        List<ShopEvent> updates = catalog.itemUpdates(at);
        assertThat(updates).hasSize(catalog.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < updates.size(); i++) {
            ShopEvent e = updates.get(i);
            SimulatedCatalog.Item item = catalog.item(i);
            assertThat(e.getType()).isEqualTo(EventType.ITEM_UPDATE);
            assertThat(e.getTimestamp()).isEqualTo(at);
            assertThat(e.getItemId()).isEqualTo(item.itemId());
            assertThat(e.getTitle()).isEqualTo(item.title());
            assertThat(e.getPrice()).isEqualTo(item.price());
            assertThat(e.getListPrice()).isEqualTo(item.listPrice());
            assertThat(e.getInStock()).isEqualTo(item.inStock());
            assertThat(ids.add(e.getEventId())).isTrue();
        }
    }

    @Test
    void sameConfigSameCatalog() {
        assertThat(SimulatedCatalog.generate(SimulatorConfig.defaults()).items())
                .isEqualTo(catalog.items());
        assertThat(SimulatedCatalog.generate(SimulatorConfig.defaults().withSeed(1)).items())
                .isNotEqualTo(catalog.items());
    }
}
