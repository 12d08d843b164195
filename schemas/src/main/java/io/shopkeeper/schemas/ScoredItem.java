package io.shopkeeper.schemas;

import java.util.Objects;

/**
 * One recommended item with its score and the reason it was chosen (e.g. {@code similar_to:ITEM}).
 */
public class ScoredItem {
    private String itemId;
    private double score;
    private String reason;

    public ScoredItem() {}

    public ScoredItem(String itemId, double score, String reason) {
        this.itemId = itemId;
        this.score = score;
        this.reason = reason;
    }

    /**
     * A scored item as written to Redis: the score keeps four decimals (ranking needs no more;
     * lists stay small).
     */
    public static ScoredItem rounded(String itemId, double score, String reason) {
        return new ScoredItem(itemId, roundScore(score), reason);
    }

    public static double roundScore(double score) {
        return Math.round(score * 10_000) / 10_000.0;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public double getScore() {
        return score;
    }

    public void setScore(double score) {
        this.score = score;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoredItem s
                && Double.compare(score, s.score) == 0
                && Objects.equals(itemId, s.itemId)
                && Objects.equals(reason, s.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, score, reason);
    }

    @Override
    public String toString() {
        return itemId + "(" + score + "," + reason + ")";
    }
}
