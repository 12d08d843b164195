package io.shopkeeper.jobs.visitor;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks for a visitor's recommendations to be recomputed: travels from the profile operator through
 * the model of the item just seen (which attaches its neighbours) to the visitor's recommendation
 * operator. Carries the little of the profile that ranking needs, so no operator reads another's
 * state.
 */
public class RankingRequest {
    private String visitorId;

    /** The session's id as the recommender knows it (unique across visitors). */
    private String sessionId;

    /** The session's items, oldest first. */
    private List<String> sessionItems = new ArrayList<>();

    /** Items never to recommend (already bought). */
    private List<String> excludedItems = new ArrayList<>();

    private long eventTime;

    /** Anonymous ids stitched to this customer: the list is also written under each of them. */
    private List<String> aliases = new ArrayList<>();

    public RankingRequest() {}

    public RankingRequest(
            String visitorId,
            List<String> sessionItems,
            List<String> excludedItems,
            long eventTime) {
        this.visitorId = visitorId;
        this.sessionItems = sessionItems;
        this.excludedItems = excludedItems;
        this.eventTime = eventTime;
    }

    public String getSessionId() {
        return sessionId;
    }

    public void setSessionId(String sessionId) {
        this.sessionId = sessionId;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    public List<String> getSessionItems() {
        return sessionItems;
    }

    public void setSessionItems(List<String> sessionItems) {
        this.sessionItems = sessionItems;
    }

    public List<String> getExcludedItems() {
        return excludedItems;
    }

    public void setExcludedItems(List<String> excludedItems) {
        this.excludedItems = excludedItems;
    }

    public List<String> getAliases() {
        return aliases;
    }

    public void setAliases(List<String> aliases) {
        this.aliases = aliases;
    }

    public long getEventTime() {
        return eventTime;
    }

    public void setEventTime(long eventTime) {
        this.eventTime = eventTime;
    }
}
