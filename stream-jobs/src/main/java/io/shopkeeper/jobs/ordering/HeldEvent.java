package io.shopkeeper.jobs.ordering;

import io.shopkeeper.jobs.identity.VisitorEvent;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A visitor event waiting in {@link EventTimeOrder} for every input partition to reach its time:
 * the event, its event time and its arrival number on the subtask (which orders events of equal
 * time as they arrived).
 */
@TypeInfo(HeldEventSerializer.Factory.class)
public class HeldEvent {
    private long timestamp;
    private long arrival;
    private VisitorEvent event;

    public HeldEvent() {}

    public HeldEvent(long timestamp, long arrival, VisitorEvent event) {
        this.timestamp = timestamp;
        this.arrival = arrival;
        this.event = event;
    }

    public long getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    public long getArrival() {
        return arrival;
    }

    public void setArrival(long arrival) {
        this.arrival = arrival;
    }

    public VisitorEvent getEvent() {
        return event;
    }

    public void setEvent(VisitorEvent event) {
        this.event = event;
    }
}
