package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The latest catalog facts of an item, as kept in Redis for filtering and price-aware ranking. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ItemInfo {
    private String itemId;
    private String title;
    private String categoryId;
    private String brand;
    private Double price;
    private Double listPrice;
    private boolean inStock = true;

    public ItemInfo() {}

    public static ItemInfo of(ShopEvent update) {
        ItemInfo info = new ItemInfo();
        info.itemId = update.getItemId();
        info.title = update.getTitle();
        info.categoryId = update.getCategoryId();
        info.brand = update.getBrand();
        info.price = update.getPrice();
        info.listPrice = update.getListPrice();
        info.inStock = update.getInStock() == null || update.getInStock();
        return info;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getCategoryId() {
        return categoryId;
    }

    public void setCategoryId(String categoryId) {
        this.categoryId = categoryId;
    }

    public String getBrand() {
        return brand;
    }

    public void setBrand(String brand) {
        this.brand = brand;
    }

    public Double getPrice() {
        return price;
    }

    public void setPrice(Double price) {
        this.price = price;
    }

    public Double getListPrice() {
        return listPrice;
    }

    public void setListPrice(Double listPrice) {
        this.listPrice = listPrice;
    }

    public boolean isInStock() {
        return inStock;
    }

    public void setInStock(boolean inStock) {
        this.inStock = inStock;
    }
}
