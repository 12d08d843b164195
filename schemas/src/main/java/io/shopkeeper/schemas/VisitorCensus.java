package io.shopkeeper.schemas;

/**
 * How many visitors the job knows now, in {@link RedisKeys#VISITOR_CENSUS}: written by the job (at
 * most once a second after a change), read by the API's {@code /v1/stats}. A visitor is known while
 * their profile is kept: it counts from their first event until they are forgotten, merged into a
 * customer's profile, or expire as anonymous visitors.
 *
 * @param visitors every profile kept: {@code customers + anonymous}
 * @param customers profiles of identified customers (keyed by customer id)
 * @param anonymous profiles of visitors not (yet) stitched to a customer
 * @param at when the figures were published (epoch millis, the job's clock)
 */
public record VisitorCensus(long visitors, long customers, long anonymous, long at) {}
