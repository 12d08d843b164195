package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.ItemNeighbours;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A {@link RankingRequest} with the current neighbours of the item that triggered it. Serialized by
 * {@link NeighboursReplySerializer}.
 */
@TypeInfo(NeighboursReplySerializer.Factory.class)
public class NeighboursReply {
    private RankingRequest request;
    private ItemNeighbours neighbours;

    public NeighboursReply() {}

    public NeighboursReply(RankingRequest request, ItemNeighbours neighbours) {
        this.request = request;
        this.neighbours = neighbours;
    }

    public RankingRequest getRequest() {
        return request;
    }

    public void setRequest(RankingRequest request) {
        this.request = request;
    }

    public ItemNeighbours getNeighbours() {
        return neighbours;
    }

    public void setNeighbours(ItemNeighbours neighbours) {
        this.neighbours = neighbours;
    }
}
