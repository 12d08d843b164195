package io.shopkeeper.jobs.recommend;

import java.io.Serializable;

/** Tuning of the session recommender. Defaults are the values tuned on validation splits. */
public class RecommenderConfig implements Serializable {
    /** How many previous session items a new item is linked to (sequential-rule window). */
    private int steps = 10;
    /** Neighbours kept in an item's state; weakest evicted beyond it. */
    private int maxNeighboursKept = 100;
    /** Neighbours sent in a snapshot to the visitor operator. */
    private int maxNeighboursShared = 30;
    /** Half-life of learned weights in event time. */
    private long halfLifeMillis = 7L * 24 * 3600 * 1000;
    /** Session items considered when scoring (most recent first). */
    private int sessionItemsUsed = 10;

    public static RecommenderConfig defaults() {
        return new RecommenderConfig();
    }

    public int getSteps() { return steps; }
    public RecommenderConfig setSteps(int steps) { this.steps = steps; return this; }
    public int getMaxNeighboursKept() { return maxNeighboursKept; }
    public RecommenderConfig setMaxNeighboursKept(int v) { this.maxNeighboursKept = v; return this; }
    public int getMaxNeighboursShared() { return maxNeighboursShared; }
    public RecommenderConfig setMaxNeighboursShared(int v) { this.maxNeighboursShared = v; return this; }
    public long getHalfLifeMillis() { return halfLifeMillis; }
    public RecommenderConfig setHalfLifeMillis(long v) { this.halfLifeMillis = v; return this; }
    public int getSessionItemsUsed() { return sessionItemsUsed; }
    public RecommenderConfig setSessionItemsUsed(int v) { this.sessionItemsUsed = v; return this; }
}
