package io.shopkeeper.jobs.rfm;

/**
 * One customer's value before and after an order event; {@code before} is null for a first order.
 */
public class CustomerValueChange {
    private CustomerValue before;
    private CustomerValue after;

    public CustomerValueChange() {}

    public CustomerValueChange(CustomerValue before, CustomerValue after) {
        this.before = before;
        this.after = after;
    }

    public CustomerValue getBefore() {
        return before;
    }

    public void setBefore(CustomerValue before) {
        this.before = before;
    }

    public CustomerValue getAfter() {
        return after;
    }

    public void setAfter(CustomerValue after) {
        this.after = after;
    }
}
