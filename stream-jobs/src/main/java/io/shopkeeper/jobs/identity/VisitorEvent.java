package io.shopkeeper.jobs.identity;

import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * An event routed to the profile it belongs to after identity resolution: {@link #getVisitorKey()}
 * is the customer id once the visitor is known, else the anonymous id.
 */
@TypeInfo(VisitorEventSerializer.Factory.class)
public class VisitorEvent {
    /** What the profile operator should do with it. */
    public enum Kind {
        /** A live event: fold it in and react (recommendations, learning). */
        EVENT,
        /**
         * An anonymous event from before the visitor logged in, moved into the customer's profile:
         * fold it in only.
         */
        REPLAY,
        /**
         * The anonymous profile at this key was merged into {@link #getMergedInto()}: retire it.
         */
        MERGED_AWAY
    }

    private String visitorKey;
    private Kind kind;
    private ShopEvent event;
    private String mergedInto;

    public VisitorEvent() {}

    public static VisitorEvent live(String visitorKey, ShopEvent event) {
        VisitorEvent v = new VisitorEvent();
        v.visitorKey = visitorKey;
        v.kind = Kind.EVENT;
        v.event = event;
        return v;
    }

    public static VisitorEvent replay(String customerId, ShopEvent event) {
        VisitorEvent v = live(customerId, event);
        v.kind = Kind.REPLAY;
        return v;
    }

    public static VisitorEvent mergedAway(
            String anonymousId, String customerId, ShopEvent trigger) {
        VisitorEvent v = new VisitorEvent();
        v.visitorKey = anonymousId;
        v.kind = Kind.MERGED_AWAY;
        v.mergedInto = customerId;
        v.event = trigger;
        return v;
    }

    public String getVisitorKey() {
        return visitorKey;
    }

    public void setVisitorKey(String visitorKey) {
        this.visitorKey = visitorKey;
    }

    public Kind getKind() {
        return kind;
    }

    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public ShopEvent getEvent() {
        return event;
    }

    public void setEvent(ShopEvent event) {
        this.event = event;
    }

    public String getMergedInto() {
        return mergedInto;
    }

    public void setMergedInto(String mergedInto) {
        this.mergedInto = mergedInto;
    }

    @Override
    public String toString() {
        return kind + "@" + visitorKey + ":" + event;
    }
}
