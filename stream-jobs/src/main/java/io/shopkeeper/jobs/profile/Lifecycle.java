package io.shopkeeper.jobs.profile;

import java.io.Serializable;
import java.time.Duration;

/**
 * Lifecycle stages driven by event time: {@code new} during the first {@code newPeriod} after the
 * first visit, {@code active} while the visitor keeps coming, {@code at_risk} after {@code
 * atRiskAfter} without activity, {@code lapsed} after {@code lapsedAfter}, and {@code won_back} for
 * {@code newPeriod} after a lapsed visitor returns. Quiet visitors move on timers, without any new
 * event: {@link #nextCheck} says when the stage can next change on its own.
 */
public final class Lifecycle implements Serializable {
    public static final String NEW = "new",
            ACTIVE = "active",
            AT_RISK = "at_risk",
            LAPSED = "lapsed",
            WON_BACK = "won_back";

    private final long newPeriod;
    private final long atRiskAfter;
    private final long lapsedAfter;

    public Lifecycle(Duration newPeriod, Duration atRiskAfter, Duration lapsedAfter) {
        this.newPeriod = newPeriod.toMillis();
        this.atRiskAfter = atRiskAfter.toMillis();
        this.lapsedAfter = lapsedAfter.toMillis();
    }

    /**
     * Called before an event at {@code at} is folded in: a lapsed visitor coming back is won back.
     */
    public void onActivity(CustomerProfile p, long at) {
        if (p.getLastSeen() > 0 && at - p.getLastSeen() >= lapsedAfter) {
            p.setWonBackAt(at);
        }
    }

    /** Sets the stage as of {@code now} (event time) and returns true when it changed. */
    public boolean update(CustomerProfile p, long now) {
        String stage = stageAt(p, now);
        p.setNextLifecycleCheck(nextCheck(p, now));
        if (stage.equals(p.getLifecycle())) return false;
        p.setLifecycle(stage);
        p.setLifecycleSince(now);
        return true;
    }

    String stageAt(CustomerProfile p, long now) {
        long idle = now - p.getLastSeen();
        if (idle >= lapsedAfter) return LAPSED;
        if (idle >= atRiskAfter) return AT_RISK;
        if (p.getWonBackAt() > 0 && now - p.getWonBackAt() < newPeriod) return WON_BACK;
        if (now - p.getFirstSeen() < newPeriod) return NEW;
        return ACTIVE;
    }

    /**
     * The earliest event time after {@code now} at which the stage may change without new events.
     */
    long nextCheck(CustomerProfile p, long now) {
        long next = Long.MAX_VALUE;
        for (long t :
                new long[] {
                    p.getLastSeen() + atRiskAfter,
                    p.getLastSeen() + lapsedAfter,
                    p.getFirstSeen() + newPeriod,
                    p.getWonBackAt() > 0 ? p.getWonBackAt() + newPeriod : 0
                }) {
            if (t > now && t < next) next = t;
        }
        return next == Long.MAX_VALUE ? 0 : next;
    }

    /** Share of future value we expect to keep, by stage (for the lifetime-value estimate). */
    public static double retention(String stage) {
        if (stage == null) return 0.6;
        return switch (stage) {
            case ACTIVE -> 1.0;
            case WON_BACK -> 0.7;
            case AT_RISK -> 0.4;
            case LAPSED -> 0.1;
            default -> 0.6;
        };
    }
}
