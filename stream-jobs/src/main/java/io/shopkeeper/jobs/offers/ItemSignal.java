package io.shopkeeper.jobs.offers;

/**
 * Input of the item-to-interested-visitors index: a visitor viewed or carted the item ({@link
 * #getVisitorId()} set), or the catalog updated its price or stock. A Flink POJO.
 */
public class ItemSignal {
    private String itemId;
    private String visitorId;
    private long at;
    private Double price;
    private Boolean inStock;

    public ItemSignal() {}

    public static ItemSignal interest(String itemId, String visitorId, long at, Double price) {
        ItemSignal s = new ItemSignal();
        s.itemId = itemId;
        s.visitorId = visitorId;
        s.at = at;
        s.price = price;
        return s;
    }

    public static ItemSignal update(String itemId, long at, Double price, Boolean inStock) {
        ItemSignal s = new ItemSignal();
        s.itemId = itemId;
        s.at = at;
        s.price = price;
        s.inStock = inStock;
        return s;
    }

    public boolean isUpdate() {
        return visitorId == null;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    public Double getPrice() {
        return price;
    }

    public void setPrice(Double price) {
        this.price = price;
    }

    public Boolean getInStock() {
        return inStock;
    }

    public void setInStock(Boolean inStock) {
        this.inStock = inStock;
    }
}
