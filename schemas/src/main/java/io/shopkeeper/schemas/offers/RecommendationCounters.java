package io.shopkeeper.schemas.offers;

import java.time.Duration;

/**
 * Field names of the per-day recommendation results ({@code sk:recommendation-results:{day}}):
 * {@code strategy|context|metric} -> counter, where metric is one of the constants here. Written by
 * the job, read by the API: impressions and clicks carrying a recommendation id ({@code
 * RecommendationIds}: its strategy and context), on the day of the event; an order (and its total
 * as revenue) on its own day, attributed to the visitor's latest recommendation click within {@link
 * #ORDER_WINDOW} before it that has no order yet (a click earns at most one order, an order goes to
 * at most one click).
 */
public final class RecommendationCounters {
    public static final String IMPRESSIONS = "impressions";
    public static final String CLICKS = "clicks";
    public static final String ORDERS = "orders";
    public static final String REVENUE = "revenue";
    public static final char SEPARATOR = '|';

    /** How long after a recommendation click an order is attributed to it. */
    public static final Duration ORDER_WINDOW = Duration.ofDays(1);

    private RecommendationCounters() {}

    public static String field(String strategy, String context, String metric) {
        return strategy + SEPARATOR + context + SEPARATOR + metric;
    }
}
