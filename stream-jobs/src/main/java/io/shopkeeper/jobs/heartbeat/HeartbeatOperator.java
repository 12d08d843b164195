package io.shopkeeper.jobs.heartbeat;

import io.shopkeeper.schemas.JobHeartbeat;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the job's {@link JobHeartbeat} every {@code interval} of processing time while the job
 * runs, at once when a checkpoint completes, and with {@link JobHeartbeat#STOPPED} when the job
 * stops (cancelled, stopped with a savepoint, or failing over). Run it at parallelism 1 on an input
 * that carries no records: it only needs to be scheduled with the job and see its checkpoints.
 *
 * <p>Contract: publishing never fails the job; a heartbeat that cannot be written is skipped (the
 * reader then sees it age, which is the truth: the job cannot reach Redis).
 */
public class HeartbeatOperator<T> extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<T, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatOperator.class);

    /** Where heartbeats go; serializable so it travels with the job graph. */
    public interface Publisher extends Serializable, AutoCloseable {
        void publish(JobHeartbeat heartbeat) throws Exception;

        @Override
        default void close() {}
    }

    private final String jobName;
    private final long intervalMillis;
    private final Publisher publisher;
    private transient long runningSince;
    private transient Long lastCheckpointId;
    private transient Long lastCheckpointAt;
    private transient boolean closed;

    public HeartbeatOperator(String jobName, Duration interval, Publisher publisher) {
        this.jobName = jobName;
        this.intervalMillis = interval.toMillis();
        this.publisher = publisher;
    }

    @Override
    public void open() throws Exception {
        super.open();
        runningSince = getProcessingTimeService().getCurrentProcessingTime();
        beat(runningSince);
    }

    private void beat(long now) {
        publish(JobHeartbeat.RUNNING, now);
        if (!closed) {
            getProcessingTimeService().registerTimer(now + intervalMillis, this::beat);
        }
    }

    private void publish(String state, long now) {
        try {
            publisher.publish(
                    new JobHeartbeat(
                            jobName, state, now, runningSince, lastCheckpointId, lastCheckpointAt));
        } catch (Exception e) {
            LOG.debug("heartbeat not published: {}", e.toString());
        }
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        // The input carries no records; the operator lives for its timers and checkpoints.
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        lastCheckpointId = checkpointId;
        lastCheckpointAt = now;
        publish(JobHeartbeat.RUNNING, now);
    }

    @Override
    public void close() throws Exception {
        if (!closed) {
            closed = true;
            publish(JobHeartbeat.STOPPED, System.currentTimeMillis());
            publisher.close();
        }
        super.close();
    }
}
