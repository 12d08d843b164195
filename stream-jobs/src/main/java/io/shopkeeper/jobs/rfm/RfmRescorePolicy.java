package io.shopkeeper.jobs.rfm;

import java.io.Serializable;
import java.util.List;

/**
 * When new cut points justify rescoring every profile (see {@code ProfileFunction}). A full rescore
 * reads every profile of a subtask, O(profiles), so it happens only when the cut points <em>moved
 * materially</em> since the last full rescore and at most once per {@code minUpdatesBetween}
 * cut-point updates; small moves reach a profile at its own next event or timer, as before.
 *
 * <p>Material: the first non-empty cut points ever, a different number of cut points, or any one
 * boundary moving by more than {@code relativeMove} of its old value (spend and order count) or by
 * more than {@code recencyDays} days (last order day: a day number, so a relative move would be
 * meaningless). The 15% default is above one spend bucket (the histogram steps by 10%), so a
 * boundary jittering between neighbouring buckets never triggers a rescore, while two buckets, or
 * an order-count boundary moving from 1 to 2, does.
 *
 * <p>Rate limit: cut points are published at most once per publish interval (processing time) and
 * numbered by {@link RfmCutPoints#getSequence()}, so {@code minUpdatesBetween} updates mean at
 * least that many intervals between full rescores. The decision depends only on the broadcast
 * element and broadcast state, so every subtask decides the same. Cut points without a sequence
 * number (0) or whose numbering went back (the distribution's state was reset) are not rate
 * limited.
 */
public record RfmRescorePolicy(double relativeMove, double recencyDays, long minUpdatesBetween)
        implements Serializable {

    /**
     * 15% or 7 days, at most one full rescore per 300 updates (5 minutes at the job's 1 s publish
     * interval).
     */
    public static RfmRescorePolicy defaults() {
        return new RfmRescorePolicy(0.15, 7, 300);
    }

    /**
     * True if profiles scored against {@code lastRescored} (null: never) should all be rescored
     * against {@code next}.
     */
    public boolean shouldRescore(RfmCutPoints lastRescored, RfmCutPoints next) {
        if (next == null || next.isEmpty()) return false;
        if (lastRescored == null || lastRescored.isEmpty()) return true;
        if (!movedMaterially(lastRescored, next)) return false;
        long since = next.getSequence() - lastRescored.getSequence();
        return since <= 0 || since >= minUpdatesBetween;
    }

    public boolean movedMaterially(RfmCutPoints before, RfmCutPoints after) {
        return moved(before.getMonetary(), after.getMonetary(), false)
                || moved(before.getFrequency(), after.getFrequency(), false)
                || moved(before.getLastOrderDay(), after.getLastOrderDay(), true);
    }

    private boolean moved(List<Double> before, List<Double> after, boolean days) {
        if (before.size() != after.size()) return true;
        for (int i = 0; i < before.size(); i++) {
            double old = before.get(i);
            double delta = Math.abs(after.get(i) - old);
            if (days ? delta > recencyDays : delta > relativeMove * Math.max(Math.abs(old), 1.0))
                return true;
        }
        return false;
    }
}
