package io.shopkeeper.schemas.offers;

/**
 * Field names of the per-day recommendation results ({@code sk:recommendation-results:{day}}):
 * {@code strategy|context|metric} -> counter, where metric is one of the constants here. Written by
 * the job (impressions and clicks carrying a {@code recommendationId}, orders attributed within the
 * window after a click), read by the API.
 */
public final class RecommendationCounters {
    public static final String IMPRESSIONS = "impressions";
    public static final String CLICKS = "clicks";
    public static final String ORDERS = "orders";
    public static final String REVENUE = "revenue";
    public static final char SEPARATOR = '|';

    private RecommendationCounters() {}

    public static String field(String strategy, String context, String metric) {
        return strategy + SEPARATOR + context + SEPARATOR + metric;
    }
}
