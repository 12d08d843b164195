package io.shopkeeper.jobs.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * One behavioural signal of a visitor: a score 0-1, the flag, the evidence that fired, and since
 * when it is on.
 */
public class SignalState {
    private double score;
    private boolean flagged;
    private List<String> reasons;

    /** Event time (epoch millis) the flag last turned on; 0 while off. */
    private long onSince;

    /** Empty: every collection and nested object present and empty. */
    public SignalState() {
        reasons = new ArrayList<>();
    }

    public SignalState(double score, boolean flagged, List<String> reasons, long onSince) {
        this.score = score;
        this.flagged = flagged;
        this.reasons = reasons;
        this.onSince = onSince;
    }

    public double getScore() {
        return score;
    }

    public void setScore(double score) {
        this.score = score;
    }

    public boolean isFlagged() {
        return flagged;
    }

    public void setFlagged(boolean flagged) {
        this.flagged = flagged;
    }

    public List<String> getReasons() {
        return reasons;
    }

    public void setReasons(List<String> reasons) {
        this.reasons = reasons;
    }

    public long getOnSince() {
        return onSince;
    }

    public void setOnSince(long onSince) {
        this.onSince = onSince;
    }
}
