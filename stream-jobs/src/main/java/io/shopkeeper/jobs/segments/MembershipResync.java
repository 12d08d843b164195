package io.shopkeeper.jobs.segments;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RedisKeys;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;

/**
 * Makes the segment SETs in Redis follow the profiles after a restore. Membership writes are deltas
 * (join: SADD, leave: SREM); after a failure, Redis may hold deltas flushed after the last
 * checkpoint that the restored state never made (the replay can take another path, e.g. when the
 * store's RFM cut points arrive at another moment), and a later delta never undoes them. So after a
 * restore, the first profile write of each visitor is followed by the visitor's whole membership as
 * the restored state has it: SADD for each segment the profile is in, SREM for every other defined
 * segment. Every visitor whose Redis entries may be stale has such a write in the replay (the
 * events after the checkpoint are read again).
 *
 * <p>Passes every write on unchanged. Remembers the visitors already resynchronised since the
 * restore in memory only, at most {@link #MAX_REMEMBERED} (then it starts over: resending a whole
 * membership is harmless).
 */
public class MembershipResync extends RichFlatMapFunction<RedisWrite, RedisWrite>
        implements CheckpointedFunction {
    static final int MAX_REMEMBERED = 100_000;

    private final List<String> segmentNames;
    private transient boolean restored;
    private transient Set<String> resynced;

    public MembershipResync(List<String> segmentNames) {
        this.segmentNames = List.copyOf(segmentNames);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
        resynced = new HashSet<>();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Nothing to keep: after any restore every visitor is resynchronised again.
    }

    @Override
    public void flatMap(RedisWrite write, Collector<RedisWrite> out) {
        out.collect(write);
        ProfileDocument profile = write.getProfile();
        if (!restored || profile == null || profile.getVisitorId() == null) return;
        String visitor = profile.getVisitorId();
        if (!resynced.add(visitor)) return;
        if (resynced.size() > MAX_REMEMBERED) {
            resynced.clear();
            resynced.add(visitor);
        }
        for (String segment : segmentNames) {
            if (profile.getSegments().contains(segment)) {
                out.collect(RedisWrite.setAdd(RedisKeys.segmentMembers(segment), visitor));
                out.collect(RedisWrite.setAdd(RedisKeys.memberships(visitor), segment));
            } else {
                out.collect(RedisWrite.setRemove(RedisKeys.segmentMembers(segment), visitor));
                out.collect(RedisWrite.setRemove(RedisKeys.memberships(visitor), segment));
            }
        }
    }
}
