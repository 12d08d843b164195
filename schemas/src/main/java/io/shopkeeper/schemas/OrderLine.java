package io.shopkeeper.schemas;

import java.util.Objects;

/** One line of an order: what was bought, how many, at what unit price against the list price. */
public class OrderLine {
    private String itemId;
    private String categoryId;
    private int quantity;
    private double unitPrice;
    private Double listPrice;

    public OrderLine() {}

    public OrderLine(
            String itemId, String categoryId, int quantity, double unitPrice, Double listPrice) {
        this.itemId = itemId;
        this.categoryId = categoryId;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
        this.listPrice = listPrice;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public String getCategoryId() {
        return categoryId;
    }

    public void setCategoryId(String categoryId) {
        this.categoryId = categoryId;
    }

    public int getQuantity() {
        return quantity;
    }

    public void setQuantity(int quantity) {
        this.quantity = quantity;
    }

    public double getUnitPrice() {
        return unitPrice;
    }

    public void setUnitPrice(double unitPrice) {
        this.unitPrice = unitPrice;
    }

    public Double getListPrice() {
        return listPrice;
    }

    public void setListPrice(Double listPrice) {
        this.listPrice = listPrice;
    }

    /** True when the line was bought below its list price. */
    public boolean discounted() {
        return listPrice != null && unitPrice < listPrice - 1e-9;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OrderLine other)) return false;
        return quantity == other.quantity
                && Double.compare(unitPrice, other.unitPrice) == 0
                && Objects.equals(itemId, other.itemId)
                && Objects.equals(categoryId, other.categoryId)
                && Objects.equals(listPrice, other.listPrice);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, categoryId, quantity, unitPrice, listPrice);
    }
}
