package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.ordering.KeyedBroadcastOperator;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;

/**
 * {@link ProfileFunction} as the job runs it: one keyed input carrying the visitor events and the
 * cut points ({@link KeyedBroadcastOperator}, chained after the event-time order), fed the way
 * Flink's keyed broadcast harness is: events, cut points, watermarks.
 */
final class ProfileHarness
        extends KeyedOneInputStreamOperatorTestHarness<
                String, Either<VisitorEvent, RfmCutPoints>, ProfileUpdate> {
    ProfileHarness(ProfileFunction function) throws Exception {
        this(function, 1, 1, 0);
    }

    /** Subtask {@code subtask} of {@code parallelism}, holding its share of the key groups. */
    ProfileHarness(ProfileFunction function, int maxParallelism, int parallelism, int subtask)
            throws Exception {
        super(
                new KeyedBroadcastOperator<>(function, List.of(ProfileFunction.CUT_POINTS)),
                KeyedBroadcastOperator.keyOf(VisitorEvent::getVisitorKey, ""),
                Types.STRING,
                maxParallelism,
                parallelism,
                subtask);
    }

    /**
     * As the task does before every checkpoint barrier: the operator's pre-barrier step (the
     * profiles' write-back), then the snapshot.
     */
    @Override
    public OperatorSubtaskState snapshot(long checkpointId, long timestamp) throws Exception {
        prepareSnapshotPreBarrier(checkpointId);
        return super.snapshot(checkpointId, timestamp);
    }

    void processElement(VisitorEvent event, long timestamp) throws Exception {
        processElement(Either.Left(event), timestamp);
    }

    void processBroadcastElement(RfmCutPoints cuts, long timestamp) throws Exception {
        processElement(Either.Right(cuts), timestamp);
    }

    /** The event time the ordering forwards (both of its inputs' minimum). */
    void watermark(long timestamp) throws Exception {
        processWatermark(timestamp);
    }
}
