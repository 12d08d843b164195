package io.shopkeeper.jobs.offers;

/**
 * A change to one of a campaign's result counters ({@code CampaignResults} field names), summed by
 * {@link CampaignResultsFunction}. A Flink POJO.
 */
public class ResultDelta {
    private String campaignId;
    private String field;
    private double amount;

    public ResultDelta() {}

    public ResultDelta(String campaignId, String field, double amount) {
        this.campaignId = campaignId;
        this.field = field;
        this.amount = amount;
    }

    public String getCampaignId() {
        return campaignId;
    }

    public void setCampaignId(String campaignId) {
        this.campaignId = campaignId;
    }

    public String getField() {
        return field;
    }

    public void setField(String field) {
        this.field = field;
    }

    public double getAmount() {
        return amount;
    }

    public void setAmount(double amount) {
        this.amount = amount;
    }
}
