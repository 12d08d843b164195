package io.shopkeeper.jobs.items;

import java.util.HashMap;
import java.util.Map;

/** Time-decayed co-purchase counts of one item's partners (bounded; the weakest is evicted). */
public class CoPurchaseCounts {
    private Map<String, Double> counts = new HashMap<>();
    private long asOf;

    public CoPurchaseCounts() {}

    /**
     * Decays the counts to {@code at} (never backwards), then counts one more co-purchase of {@code
     * partner}.
     */
    public void add(String partner, long at, long halfLifeMillis, int maxPartners) {
        if (asOf > 0 && at > asOf) {
            double factor = Math.pow(0.5, (double) (at - asOf) / halfLifeMillis);
            counts.replaceAll((k, v) -> v * factor);
        }
        double weight = at < asOf ? Math.pow(0.5, (double) (asOf - at) / halfLifeMillis) : 1.0;
        asOf = Math.max(asOf, at);
        counts.merge(partner, weight, Double::sum);
        if (counts.size() > maxPartners) {
            counts.entrySet().stream()
                    .filter(e -> !e.getKey().equals(partner))
                    .min(Map.Entry.comparingByValue())
                    .ifPresent(weakest -> counts.remove(weakest.getKey()));
        }
    }

    public Map<String, Double> getCounts() {
        return counts;
    }

    public void setCounts(Map<String, Double> counts) {
        this.counts = counts;
    }

    public long getAsOf() {
        return asOf;
    }

    public void setAsOf(long asOf) {
        this.asOf = asOf;
    }
}
