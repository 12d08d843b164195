package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.ItemNeighbours;

/**
 * A {@link RankingRequest} with the current neighbours of the item that triggered it; or, with
 * {@link #isForget()}, the instruction to forget the visitor (right to be forgotten).
 */
public class NeighboursReply {
    private RankingRequest request;
    private ItemNeighbours neighbours;
    private boolean forget;

    public NeighboursReply() {}

    public NeighboursReply(RankingRequest request, ItemNeighbours neighbours) {
        this.request = request;
        this.neighbours = neighbours;
    }

    public static NeighboursReply forget(RankingRequest request) {
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
