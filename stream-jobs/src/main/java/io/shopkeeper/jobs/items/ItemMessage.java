package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.visitor.RankingRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything one event asks of one item's model, keyed by {@link #getItemId()}: the learning steps
 * for this item ({@link #getUpdates()}, applied in order in one state read and write) and, for the
 * item just seen, a request for its neighbours on the visitor's behalf ({@link #getRequest()}).
 * Grouping by item matters: a view implies steps for about ten items, and the item on screen gets
 * several of them plus the request. Serialized by {@link ItemMessageSerializer}.
 */
@TypeInfo(ItemMessageSerializer.Factory.class)
public class ItemMessage {
    private String itemId;
    private long eventTime;
    private List<ItemUpdate> updates = new ArrayList<>();
    private RankingRequest request;

    public ItemMessage() {}

    public ItemMessage(String itemId, long eventTime) {
        this.itemId = itemId;
        this.eventTime = eventTime;
    }

    public static ItemMessage lookup(String itemId, RankingRequest request) {
        ItemMessage m = new ItemMessage(itemId, request.getEventTime());
        m.request = request;
        return m;
    }

    public String getItemId() {
        return itemId;
    }

    public void setItemId(String itemId) {
        this.itemId = itemId;
    }

    public long getEventTime() {
        return eventTime;
    }

    public void setEventTime(long eventTime) {
        this.eventTime = eventTime;
    }

    public List<ItemUpdate> getUpdates() {
        return updates;
    }

    public void setUpdates(List<ItemUpdate> updates) {
        this.updates = updates;
    }

    public RankingRequest getRequest() {
        return request;
    }

    public void setRequest(RankingRequest request) {
        this.request = request;
    }
}
