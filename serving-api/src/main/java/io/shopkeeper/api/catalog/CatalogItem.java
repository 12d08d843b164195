package io.shopkeeper.api.catalog;

/**
 * The few catalog facts request-time rules need about one item, kept compact (about 40 bytes plus
 * shared strings) so a catalog of 100k items fits in a few MB: category and brand are de-duplicated
 * across items, prices are floats ({@code NaN} when unknown).
 */
public final class CatalogItem {
    private final String categoryId;
    private final String brand;
    private final float price;
    private final float listPrice;
    private final boolean inStock;

    public CatalogItem(
            String categoryId, String brand, float price, float listPrice, boolean inStock) {
        this.categoryId = categoryId;
        this.brand = brand;
        this.price = price;
        this.listPrice = listPrice;
        this.inStock = inStock;
    }

    /** The item's category, or {@code null} when the catalog does not say. */
    public String categoryId() {
        return categoryId;
    }

    /** The item's brand, or {@code null}. */
    public String brand() {
        return brand;
    }

    /** The selling price, {@code NaN} when unknown. */
    public float price() {
        return price;
    }

    /** The regular (list) price, {@code NaN} when unknown. */
    public float listPrice() {
        return listPrice;
    }

    public boolean inStock() {
        return inStock;
    }

    /**
     * Share taken off the list price, in [0, 0.9]; 0 when not on discount or a price is unknown.
     */
    public double discount() {
        if (!(price > 0) || !(listPrice > price)) return 0;
        return Math.min(0.9, (listPrice - price) / listPrice);
    }

    @Override
    public String toString() {
        return "CatalogItem{"
                + categoryId
                + ","
                + brand
                + ","
                + price
                + "/"
                + listPrice
                + (inStock ? "" : ",out of stock")
                + "}";
    }
}
