package io.shopkeeper.api.catalog;

import java.util.Map;

/**
 * Request-time catalog lookups, in memory only. An item the catalog does not know ({@link #get}
 * returns {@code null}) counts as in stock with an unknown category and price.
 */
@FunctionalInterface
public interface Catalog {
    /** A catalog that knows no item: every item in stock, no category, no price. */
    Catalog EMPTY = itemId -> null;

    /** The item's facts, or {@code null} when the catalog does not know it. */
    CatalogItem get(String itemId);

    /** True unless the catalog knows the item is out of stock. */
    default boolean inStock(String itemId) {
        CatalogItem item = get(itemId);
        return item == null || item.inStock();
    }

    /** The item's category, or {@code null} when unknown. */
    default String categoryOf(String itemId) {
        CatalogItem item = get(itemId);
        return item == null ? null : item.categoryId();
    }

    /** A fixed catalog, for tests and tools. */
    static Catalog of(Map<String, CatalogItem> items) {
        Map<String, CatalogItem> copy = Map.copyOf(items);
        return copy::get;
    }
}
