package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the personalization job says about itself in {@link RedisKeys#JOB_HEARTBEAT}: written by the
 * job every heartbeat interval while it runs and once more, with {@link #STOPPED}, when it stops;
 * read by the API's readiness check.
 *
 * @param job the job's name
 * @param state {@link #RUNNING} or {@link #STOPPED}
 * @param at when this heartbeat was written (epoch millis, the job's clock)
 * @param runningSince when this run of the job started (after a restart or restore: that moment)
 * @param lastCheckpointId the last checkpoint this run completed; null before the first
 * @param lastCheckpointAt when it completed (epoch millis); null before the first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobHeartbeat(
        String job,
        String state,
        long at,
        long runningSince,
        Long lastCheckpointId,
        Long lastCheckpointAt) {
    public static final String RUNNING = "RUNNING";
    public static final String STOPPED = "STOPPED";

    public boolean running() {
        return RUNNING.equals(state);
    }
}
