package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.JobConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * The durations that drive a visitor's profile; built once from {@code JobConfig} and handed to the
 * operator and, through it, to the {@link VisitorStep} (so the updater, the lifecycle and the
 * signal engine all use the same session gap).
 */
public record ProfileSettings(
        Duration profileTtl,
        Duration anonymousTtl,
        Duration sessionGap,
        Duration affinityHalfLife,
        Duration newPeriod,
        Duration atRiskAfter,
        Duration lapsedAfter)
        implements Serializable {

    /** The job's defaults, as declared once in {@link JobConfig}. */
    public static ProfileSettings defaults() {
        return JobConfig.builder().build().profileSettings();
    }

    public ProfileSettings withSessionGap(Duration gap) {
        return new ProfileSettings(
                profileTtl,
                anonymousTtl,
                gap,
                affinityHalfLife,
                newPeriod,
                atRiskAfter,
                lapsedAfter);
    }

    public ProfileSettings withAnonymousTtl(Duration ttl) {
        return new ProfileSettings(
                profileTtl, ttl, sessionGap, affinityHalfLife, newPeriod, atRiskAfter, lapsedAfter);
    }
}
