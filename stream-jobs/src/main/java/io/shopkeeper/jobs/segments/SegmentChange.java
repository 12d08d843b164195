package io.shopkeeper.jobs.segments;

/** A visitor joined or left a segment at an event time; published to the segment-changes topic. */
public class SegmentChange {
    private String visitorId;
    private String segment;
    private boolean joined;
    private long at;

    public SegmentChange() {}

    public SegmentChange(String visitorId, String segment, boolean joined, long at) {
        this.visitorId = visitorId;
        this.segment = segment;
        this.joined = joined;
        this.at = at;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    public String getSegment() {
        return segment;
    }

    public void setSegment(String segment) {
        this.segment = segment;
    }

    public boolean isJoined() {
        return joined;
    }

    public void setJoined(boolean joined) {
        this.joined = joined;
    }

    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }
}
