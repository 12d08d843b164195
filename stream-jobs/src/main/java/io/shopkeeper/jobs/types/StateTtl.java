package io.shopkeeper.jobs.types;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * The safety net under every piece of keyed state, whose own timers and rules clear it first: an
 * entry expires {@code ttl} of processing time after it was last written, and expired state is
 * never read back.
 */
public final class StateTtl {
    private StateTtl() {}

    public static StateTtlConfig afterLastWrite(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }
}
