package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record that could not be used, as published to {@link Topics#DEAD_LETTERS}: where it came from,
 * why it was rejected, and the raw payload unchanged so it can be fixed and replayed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetter {
    private String sourceTopic;
    private int partition;
    private long offset;
    private String reason;
    private String payload;
    private long rejectedAt;

    public DeadLetter() {}

    public DeadLetter(
            String sourceTopic,
            int partition,
            long offset,
            String reason,
            String payload,
            long rejectedAt) {
        this.sourceTopic = sourceTopic;
        this.partition = partition;
        this.offset = offset;
        this.reason = reason;
        this.payload = payload;
        this.rejectedAt = rejectedAt;
    }

    public String getSourceTopic() {
        return sourceTopic;
    }

    public void setSourceTopic(String sourceTopic) {
        this.sourceTopic = sourceTopic;
    }

    public int getPartition() {
        return partition;
    }

    public void setPartition(int partition) {
        this.partition = partition;
    }

    public long getOffset() {
        return offset;
    }

    public void setOffset(long offset) {
        this.offset = offset;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getPayload() {
        return payload;
    }

    public void setPayload(String payload) {
        this.payload = payload;
    }

    public long getRejectedAt() {
        return rejectedAt;
    }

    public void setRejectedAt(long rejectedAt) {
        this.rejectedAt = rejectedAt;
    }
}
