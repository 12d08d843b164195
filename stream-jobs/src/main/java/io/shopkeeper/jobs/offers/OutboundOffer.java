package io.shopkeeper.jobs.offers;

/**
 * An outbound offer for the {@code offers} topic: the visitor (the record key) and the {@code
 * Offer} JSON (the value). A Flink POJO.
 */
public class OutboundOffer {
    private String visitorId;
    private String offerId;
    private String json;

    public OutboundOffer() {}

    public OutboundOffer(String visitorId, String offerId, String json) {
        this.visitorId = visitorId;
        this.offerId = offerId;
        this.json = json;
    }

    public String getVisitorId() {
        return visitorId;
    }

    public void setVisitorId(String visitorId) {
        this.visitorId = visitorId;
    }

    public String getOfferId() {
        return offerId;
    }

    public void setOfferId(String offerId) {
        this.offerId = offerId;
    }

    public String getJson() {
        return json;
    }

    public void setJson(String json) {
        this.json = json;
    }
}
