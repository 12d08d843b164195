package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.ItemNeighbours;

/** A {@link RecommendationRequest} with the current neighbours of the item that triggered it. */
public class NeighboursReply {
    private RecommendationRequest request;
    private ItemNeighbours neighbours;

    public NeighboursReply() {
    }

    public NeighboursReply(RecommendationRequest request, ItemNeighbours neighbours) {
        this.request = request;
        this.neighbours = neighbours;
    }

    public RecommendationRequest getRequest() { return request; }
    public void setRequest(RecommendationRequest request) { this.request = request; }
    public ItemNeighbours getNeighbours() { return neighbours; }
    public void setNeighbours(ItemNeighbours neighbours) { this.neighbours = neighbours; }
}
