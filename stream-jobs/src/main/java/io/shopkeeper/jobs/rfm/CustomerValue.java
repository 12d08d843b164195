package io.shopkeeper.jobs.rfm;

/**
 * A customer's order history in three numbers: the inputs of recency, frequency and monetary value.
 */
public class CustomerValue {
    private int orders;
    private double spend;
    private long lastOrderAt;

    public CustomerValue() {}

    public CustomerValue(int orders, double spend, long lastOrderAt) {
        this.orders = orders;
        this.spend = spend;
        this.lastOrderAt = lastOrderAt;
    }

    public int getOrders() {
        return orders;
    }

    public void setOrders(int orders) {
        this.orders = orders;
    }

    public double getSpend() {
        return spend;
    }

    public void setSpend(double spend) {
        this.spend = spend;
    }

    public long getLastOrderAt() {
        return lastOrderAt;
    }

    public void setLastOrderAt(long lastOrderAt) {
        this.lastOrderAt = lastOrderAt;
    }
}
