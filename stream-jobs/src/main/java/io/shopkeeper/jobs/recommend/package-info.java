/**
 * Session-based next-item recommender core (pure Java, no Flink types), shared by the streaming job
 * and the offline backtest.
 *
 * <p><b>Learning, decomposed by item.</b> When a session gets a new item {@code c},
 * {@link io.shopkeeper.jobs.recommend.SessionRecommender#updatesFor} emits steps each addressed to ONE
 * item's model, so the job can key the state by item: {@code SEEN} for {@code c} (its view count), and
 * for each of the previous {@code steps} items {@code p} at distance {@code gap}: {@code FOLLOWED}
 * for {@code p} ("c followed p", weight 1/gap: sequential rules, including a self-rule when an item is
 * viewed again) and {@code PRECEDED} for {@code c} (the reverse direction; with FOLLOWED this is
 * windowed co-occurrence).
 *
 * <p><b>Bounded state.</b> An {@link io.shopkeeper.jobs.recommend.ItemModel} holds two maps (following
 * and preceding items) of at most {@code maxNeighboursKept} entries each (the weakest is evicted), one
 * view count and a timestamp. All values decay exponentially in event time with half-life
 * {@code halfLifeMillis}, applied lazily when the next update arrives, so stale associations fade and
 * new ones can displace them. A snapshot ({@link io.shopkeeper.jobs.recommend.ItemNeighbours}) is the
 * best {@code maxNeighboursShared} items by {@code followed + backwardWeight * preceded}.
 *
 * <p><b>Scoring</b> ({@link io.shopkeeper.jobs.recommend.SessionRecommender#recommend}) uses only the
 * session and its items' snapshots: (1) an S-POP-like repeat score, a recency-weighted count of each
 * item already in the session; (2) in-session transitions: what followed earlier views of the last
 * item; (3) the normalised snapshot weights of the last {@code sessionItemsUsed} distinct items,
 * multiplied by {@code positionDecay} per step back. The parts are added, or, with
 * {@code adaptiveRepeat}, mixed by the session's own smoothed repeat rate. Ties are broken by global
 * popularity, which also fills short lists. Every item carries a reason: {@code because_you_viewed:C},
 * {@code similar_to:J} or {@code popular}. Defaults in {@link io.shopkeeper.jobs.recommend.RecommenderConfig}
 * were tuned on validation splits of the training data only.
 */
package io.shopkeeper.jobs.recommend;
