package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.ShopEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one step of the profile operator did to one visitor: the one typed output of {@link
 * ProfileFunction}. Small functions ({@link ProfileOutputs}) turn it into the Redis writes, the
 * segment changes, the item-model messages and the forget requests; a further consumer (e.g. an
 * offer decision) attaches to the same stream.
 *
 * <p>A Flink POJO. Records are never changed after they are emitted (the job runs with object
 * reuse), and {@link #getProfile()} is the visitor's profile as stored after the step.
 */
public class ProfileUpdate {
    /** Why the profile changed. */
    public enum Kind {
        /** A visitor event was applied. */
        EVENT,
        /** A session-end or lifecycle timer fired. */
        TIMER,
        /** The store's RFM cut points moved and this profile's scores or segments changed. */
        RESCORE,
        /** The anonymous visitor was stitched to a customer: this key's profile is gone. */
        MERGED_AWAY,
        /** The visitor is forgotten (on request, or an anonymous visitor who never came back). */
        FORGOTTEN
    }

    private Kind kind;
    private String visitorId;
    private long at;
    private CustomerProfile profile;
    private ProfileDocument document;
    private ShopEvent event;
    private boolean live;
    private boolean sessionEnded;
    private String endedSessionId;
    private long sessionEndedAt;
    private List<SegmentChange> segmentChanges = new ArrayList<>();
    private String mergedInto;
    private List<String> aliases = new ArrayList<>();
    private boolean confirm;
    private int profilesDelta;
    private boolean identified;

    public ProfileUpdate() {}

    ProfileUpdate(Kind kind, String visitorId, long at, CustomerProfile profile) {
        this.kind = kind;
        this.visitorId = visitorId;
        this.at = at;
        this.profile = profile;
    }

    /** The visitor's profile was merged into {@code customerId}'s; its segments are left. */
    public static ProfileUpdate mergedAway(
            String anonymousId, String customerId, long at, List<String> segments) {
        ProfileUpdate u = new ProfileUpdate(Kind.MERGED_AWAY, anonymousId, at, null);
        u.mergedInto = customerId;
        for (String segment : segments)
            u.segmentChanges.add(new SegmentChange(anonymousId, segment, false, at));
        return u;
    }

    /**
     * The visitor is forgotten: every segment left, the stitched {@code aliases} with it; {@code
     * confirm} when it was asked for (the confirmation is recorded).
     */
    public static ProfileUpdate forgotten(
            String visitor, long at, List<String> segments, List<String> aliases, boolean confirm) {
        ProfileUpdate u = new ProfileUpdate(Kind.FORGOTTEN, visitor, at, null);
        for (String segment : segments)
            u.segmentChanges.add(new SegmentChange(visitor, segment, false, at));
        u.aliases = new ArrayList<>(aliases);
        u.confirm = confirm;
        return u;
    }

    /**
     * Counts toward {@code sk:stats:events-applied}: one per applied visitor event, counted when it
     * is applied live; its replay into a customer's profile by identity stitching counts nothing
     * again (the counter exceeded the events produced). Events done without an update are counted
     * through {@link io.shopkeeper.jobs.sink.EventsDone}.
     */
    public int eventsApplied() {
        return kind == Kind.EVENT && live ? 1 : 0;
    }

    /**
     * +1 when this step created the visitor's profile, -1 when it removed a kept one (merged away,
     * forgotten, expired), else 0: what the visitor census counts.
     */
    public int getProfilesDelta() {
        return profilesDelta;
    }

    public void setProfilesDelta(int profilesDelta) {
        this.profilesDelta = profilesDelta;
    }

    /** With a {@link #getProfilesDelta()}: whether that profile is an identified customer's. */
    public boolean isIdentified() {
        return identified;
    }

    public void setIdentified(boolean identified) {
        this.identified = identified;
    }

    /** Marks the profile counted in or out of the census by this step. */
    ProfileUpdate counting(int delta, CustomerProfile counted) {
        this.profilesDelta = delta;
        this.identified = counted.getCustomerId() != null;
        return this;
    }

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    /** Event time of the step: the event's time, the timer's, or the rescore's. */
    public long getAt() {
        return at;
    }

    public void setAt(long at) {
        this.at = at;
    }

    public CustomerProfile getProfile() {
        return profile;
    }

    public void setProfile(CustomerProfile profile) {
        this.profile = profile;
    }

    /**
     * The profile's document after the step ({@link ProfileDocuments#of} of {@link #getProfile()},
     * segments included), built once by the step; {@code null} when the step kept no profile
     * (merged away, forgotten) or the update was made without one.
     */
    public ProfileDocument getDocument() {
        return document;
    }

    public void setDocument(ProfileDocument document) {
        this.document = document;
    }

    /** The applied event ({@link Kind#EVENT} only). */
    public ShopEvent getEvent() {
        return event;
    }

    public void setEvent(ShopEvent event) {
        this.event = event;
    }

    /** A live event, not one replayed into a customer's profile by identity stitching. */
    public boolean isLive() {
        return live;
    }

    public void setLive(boolean live) {
        this.live = live;
    }

    /** A session ended in this step (its timer, or a new session starting). */
    public boolean isSessionEnded() {
        return sessionEnded;
    }

    public void setSessionEnded(boolean sessionEnded) {
        this.sessionEnded = sessionEnded;
    }

    public String getEndedSessionId() {
        return endedSessionId;
    }

    public void setEndedSessionId(String endedSessionId) {
        this.endedSessionId = endedSessionId;
    }

    /** Event time the ended session ended at. */
    public long getSessionEndedAt() {
        return sessionEndedAt;
    }

    public void setSessionEndedAt(long sessionEndedAt) {
        this.sessionEndedAt = sessionEndedAt;
    }

    /** Segment joins and leaves, in the order they are announced. */
    public List<SegmentChange> getSegmentChanges() {
        return segmentChanges;
    }

    public void setSegmentChanges(List<SegmentChange> segmentChanges) {
        this.segmentChanges = segmentChanges;
    }

    public String getMergedInto() {
        return mergedInto;
    }

    public void setMergedInto(String mergedInto) {
        this.mergedInto = mergedInto;
    }

    /** Anonymous ids stitched to a forgotten visitor (forgotten with it). */
    public List<String> getAliases() {
        return aliases;
    }

    public void setAliases(List<String> aliases) {
        this.aliases = aliases;
    }

    public boolean isConfirm() {
        return confirm;
    }

    public void setConfirm(boolean confirm) {
        this.confirm = confirm;
    }
}
