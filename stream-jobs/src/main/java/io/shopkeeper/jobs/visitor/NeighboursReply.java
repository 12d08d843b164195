package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.ItemNeighbours;
import io.shopkeeper.jobs.recommend.ItemNeighboursCodec;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A {@link RankingRequest} with the current neighbours of the item that triggered it, encoded once
 * by the item's model ({@link ItemNeighboursCodec}): the visitor's operator keeps these bytes as
 * they came and decodes only what its ranking reads. Serialized by {@link
 * NeighboursReplySerializer}.
 */
@TypeInfo(NeighboursReplySerializer.Factory.class)
public class NeighboursReply {
    private RankingRequest request;
    private byte[] encodedNeighbours;

    public NeighboursReply() {}

    public NeighboursReply(RankingRequest request, ItemNeighbours neighbours) {
        this.request = request;
        this.encodedNeighbours = ItemNeighboursCodec.encode(neighbours);
    }

    public RankingRequest getRequest() {
        return request;
    }

    public void setRequest(RankingRequest request) {
        this.request = request;
    }

    /** The neighbours, decoded whole (the operator reads {@link #getEncodedNeighbours()}). */
    public ItemNeighbours getNeighbours() {
        return encodedNeighbours == null ? null : ItemNeighboursCodec.decode(encodedNeighbours);
    }

    /** The neighbours as {@link ItemNeighboursCodec} bytes; never modified once set. */
    public byte[] getEncodedNeighbours() {
        return encodedNeighbours;
    }

    public void setEncodedNeighbours(byte[] encodedNeighbours) {
        this.encodedNeighbours = encodedNeighbours;
    }
}
