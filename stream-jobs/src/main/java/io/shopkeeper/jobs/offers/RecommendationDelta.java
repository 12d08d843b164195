package io.shopkeeper.jobs.offers;

import io.shopkeeper.schemas.offers.RecommendationCounters;

/**
 * A change to one per-day recommendation counter ({@code sk:recommendation-results:{day}}, field
 * {@link RecommendationCounters#field}), summed by {@link RecommendationResultsFunction}. A Flink
 * POJO.
 */
public class RecommendationDelta {
    private String day;
    private String field;
    private double amount;

    public RecommendationDelta() {}

    public RecommendationDelta(String day, String field, double amount) {
        this.day = day;
        this.field = field;
        this.amount = amount;
    }

    /** The counter this changes: day and field, one key per counter. */
    public String counter() {
        return day + ' ' + field;
    }

    /** UTC date, {@code yyyy-MM-dd}. */
    public String getDay() {
        return day;
    }

    public void setDay(String day) {
        this.day = day;
    }

    public String getField() {
        return field;
    }

    public void setField(String field) {
        this.field = field;
    }

    public double getAmount() {
        return amount;
    }

    public void setAmount(double amount) {
        this.amount = amount;
    }
}
