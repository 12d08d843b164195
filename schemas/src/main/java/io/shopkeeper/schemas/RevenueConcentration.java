package io.shopkeeper.schemas;

import java.util.List;

/**
 * What share of the store's revenue its best customers bring (the 20/80 view), from the job's live
 * distribution of customer spend, in {@link RedisKeys#REVENUE_CONCENTRATION}: written by the job
 * (at most once a second after an order), read by the API's {@code /v1/stats}.
 *
 * <p>Over customers with at least one order kept. Spend is read from the distribution's buckets
 * (10% wide on a log scale), so each share is exact to within a few percent of itself.
 *
 * @param buyers customers with at least one order
 * @param revenue their spend, in the store's currency
 * @param topFifthShare the share of {@code revenue} (0..1) the top 20% of {@code buyers} by spend
 *     bring
 * @param cumulativeShare ten values: the share of revenue brought by the top 10%, 20%, ..., 100% of
 *     buyers (ascending, the last is 1; empty without buyers)
 * @param at when the figures were published (epoch millis, the job's clock)
 */
public record RevenueConcentration(
        long buyers, double revenue, double topFifthShare, List<Double> cumulativeShare, long at) {}
