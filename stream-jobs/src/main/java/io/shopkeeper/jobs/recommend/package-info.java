/**
 * Session-based next-item recommender core (pure Java, no Flink types), shared by the streaming job
 * and the offline backtest.
 *
 * <p><b>Learning, decomposed by item.</b> When a session gets a new item {@code c}, {@link
 * io.shopkeeper.jobs.recommend.SessionRecommender#updatesFor} emits steps each addressed to ONE
 * item's model, so the job can key the state by item: {@code SEEN} for {@code c} (its view count),
 * and for each of the previous {@code steps} items {@code p} at distance {@code gap}: {@code
 * FOLLOWED} for {@code p} ("c followed p", weight 1/gap: sequential rules, including a self-rule
 * when an item is viewed again) and {@code PRECEDED} for {@code c} (the reverse direction; with
 * FOLLOWED this is windowed co-occurrence).
 *
 * <p><b>Bounded state.</b> An {@link io.shopkeeper.jobs.recommend.ItemModel} holds two maps
 * (following and preceding items) of at most {@code maxNeighboursKept} entries each (the weakest is
 * evicted), one view count and a timestamp. All values decay exponentially in event time with
 * half-life {@code halfLifeMillis}, applied lazily when the next update arrives, so stale
 * associations fade and new ones can displace them. A snapshot ({@link
 * io.shopkeeper.jobs.recommend.ItemNeighbours}) is the best {@code maxNeighboursShared} items by
 * {@code followed + backwardWeight * preceded}.
 *
 * <p><b>Scoring</b> ({@link io.shopkeeper.jobs.recommend.SessionRecommender#recommend}) uses only
 * the session and its items' snapshots: (1) an S-POP-like repeat score, a recency-weighted count of
 * each item already in the session; (2) in-session transitions: what followed earlier views of the
 * last item; (3) the normalised snapshot weights of the last {@code sessionItemsUsed} distinct
 * items, multiplied by {@code positionDecay} per step back. The parts are added, or, with {@code
 * adaptiveRepeat}, mixed by the session's own smoothed repeat rate; (4) a session-kNN part (V-SKNN
 * / STAN style, below). Ties are broken by global popularity, which also fills short lists. Every
 * item carries a reason: {@code because_you_viewed:C}, {@code similar_to:J} or {@code popular}.
 * Defaults in {@link io.shopkeeper.jobs.recommend.RecommenderConfig} were tuned on validation
 * splits of the training data only.
 *
 * <p><b>Session neighbourhood, decomposed by item.</b> With the session id ({@code
 * updatesFor(sessionId, items)}), each new item also sends a {@code SESSION} step to each of the
 * session's last {@code sessionSampleFanout} distinct items, carrying the session id and its last
 * {@code sessionSampleItems} items; an item's model keeps the {@code sessionSampleSize} most
 * recently updated such sessions (re-sent sessions move to the front, the oldest is dropped:
 * bounded, no decay needed) and its snapshot carries the newest {@code sessionSampleShared}. At
 * recommend time the samples of the last {@code knnItemsUsed} distinct session items are the
 * candidate neighbour sessions (the session's own entry is skipped when its id is given).
 * Similarity = sum over shared distinct items of {@code knnRecency^rank} (rank of the item in the
 * session, 0 = last), over {@code distinct^knnLengthNorm}, times a STAN-like time decay ({@code
 * knnHalfLife}); the {@code knnNeighbours} best vote for their items with {@code
 * knnItemDecay^distance} from the shared item (x {@code knnBefore} for items before it, x {@code
 * knnRepeatWeight} for items already in the session). Votes are scaled to {@code knnWeight / (best
 * + knnShrinkage)} and gated by the last item's view count ({@code min(1, views /
 * knnViewsTarget)^knnPoolPower}): sparse long-tail items, where neighbour sessions are noisy, lean
 * on the repeat and rule parts.
 */
package io.shopkeeper.jobs.recommend;
