package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.visitor.RecommendationRequest;

/**
 * A message for one item's model, keyed by {@link #getItemId()}: either a learning step
 * ({@link #getUpdate()}) or a request for the item's neighbours on a visitor's behalf ({@link #getRequest()}).
 */
public class ItemMessage {
    private String itemId;
    private long eventTime;
    private ItemUpdate update;
    private RecommendationRequest request;

    public ItemMessage() {
    }

    public static ItemMessage learn(ItemUpdate update, long eventTime) {
        ItemMessage m = new ItemMessage();
        m.itemId = update.getItemId();
        m.update = update;
        m.eventTime = eventTime;
        return m;
    }

    public static ItemMessage lookup(String itemId, RecommendationRequest request) {
        ItemMessage m = new ItemMessage();
        m.itemId = itemId;
        m.request = request;
        m.eventTime = request.getEventTime();
        return m;
    }

    public String getItemId() { return itemId; }
    public void setItemId(String itemId) { this.itemId = itemId; }
    public long getEventTime() { return eventTime; }
    public void setEventTime(long eventTime) { this.eventTime = eventTime; }
    public ItemUpdate getUpdate() { return update; }
    public void setUpdate(ItemUpdate update) { this.update = update; }
    public RecommendationRequest getRequest() { return request; }
    public void setRequest(RecommendationRequest request) { this.request = request; }
}
