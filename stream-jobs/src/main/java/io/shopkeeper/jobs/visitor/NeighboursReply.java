package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.ItemNeighbours;

/**
 * A {@link RecommendationRequest} with the current neighbours of the item that triggered it; or,
 * with {@link #isForget()}, the instruction to forget the visitor (right to be forgotten).
 */
public class NeighboursReply {
    private RecommendationRequest request;
    private ItemNeighbours neighbours;
    private boolean forget;

    public NeighboursReply() {}

    public NeighboursReply(RecommendationRequest request, ItemNeighbours neighbours) {
        this.request = request;
        this.neighbours = neighbours;
    }

    public static NeighboursReply forget(RecommendationRequest request) {
        NeighboursReply reply = new NeighboursReply(request, null);
        reply.forget = true;
        return reply;
    }

    public boolean isForget() {
        return forget;
    }

    public void setForget(boolean forget) {
        this.forget = forget;
    }

    public RecommendationRequest getRequest() {
        return request;
    }

    public void setRequest(RecommendationRequest request) {
        this.request = request;
    }

    public ItemNeighbours getNeighbours() {
        return neighbours;
    }

    public void setNeighbours(ItemNeighbours neighbours) {
        this.neighbours = neighbours;
    }
}
