package io.shopkeeper.jobs.rfm;

import java.util.ArrayList;
import java.util.List;

/**
 * Quintile boundaries of the store's live customer distribution (four cut points each, ascending):
 * spend, order count, and day number of the last order. A value's score 1-5 is one plus the number
 * of cut points it exceeds (for recency: the more recent, the higher).
 */
public class RfmCutPoints {
    private List<Double> monetary = new ArrayList<>();
    private List<Double> frequency = new ArrayList<>();
    private List<Double> lastOrderDay = new ArrayList<>();
    private long customers;
    private long sequence;

    public RfmCutPoints() {}

    public static int score(List<Double> cutPoints, double value) {
        int score = 1;
        for (double cut : cutPoints) if (value > cut) score++;
        return score;
    }

    public boolean isEmpty() {
        return customers == 0;
    }

    public List<Double> getMonetary() {
        return monetary;
    }

    public void setMonetary(List<Double> monetary) {
        this.monetary = monetary;
    }

    public List<Double> getFrequency() {
        return frequency;
    }

    public void setFrequency(List<Double> frequency) {
        this.frequency = frequency;
    }

    public List<Double> getLastOrderDay() {
        return lastOrderDay;
    }

    public void setLastOrderDay(List<Double> lastOrderDay) {
        this.lastOrderDay = lastOrderDay;
    }

    public long getCustomers() {
        return customers;
    }

    public void setCustomers(long customers) {
        this.customers = customers;
    }

    public long getSequence() {
        return sequence;
    }

    public void setSequence(long sequence) {
        this.sequence = sequence;
    }
}
