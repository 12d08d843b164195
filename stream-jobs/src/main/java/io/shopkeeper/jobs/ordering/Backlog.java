package io.shopkeeper.jobs.ordering;

/**
 * The job's one rule for "working through a backlog" (a backfill, catching up after downtime): the
 * operator's watermark is more than {@code --ordering.backlog-lag} behind the wall clock. Before
 * the first watermark ({@link Long#MIN_VALUE}) an operator cannot tell, and counts as behind.
 * {@link EventTimeOrder} holds events for order while it is true; the recommendations coalesce a
 * visitor's rankings while it is true.
 */
public final class Backlog {
    private Backlog() {}

    /**
     * @param watermark the operator's current watermark
     * @param wallClock its processing-time clock
     * @param lagMillis {@code --ordering.backlog-lag} in milliseconds
     */
    public static boolean isBacklog(long watermark, long wallClock, long lagMillis) {
        return watermark < wallClock - lagMillis;
    }
}
