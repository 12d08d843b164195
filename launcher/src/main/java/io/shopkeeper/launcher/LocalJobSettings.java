package io.shopkeeper.launcher;

import io.shopkeeper.jobs.JobConfig;
import java.time.Duration;

/**
 * The job's settings for a shop run on this machine, one place for the quick start and the local
 * cluster (which hands them to the job jar as arguments): parallelism 2, a checkpoint every 10 s,
 * trending over 10 minutes sliding every 10 s so a demo moves.
 */
public final class LocalJobSettings {
    private LocalJobSettings() {}

    public static JobConfig.Builder apply(JobConfig.Builder job) {
        return job.parallelism(2)
                .checkpointInterval(Duration.ofSeconds(10))
                .trending(Duration.ofMinutes(10), Duration.ofSeconds(10));
    }
}
