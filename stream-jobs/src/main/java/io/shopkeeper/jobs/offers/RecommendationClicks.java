package io.shopkeeper.jobs.offers;

import java.util.ArrayList;
import java.util.List;

/**
 * A visitor's recommendation clicks that may still earn an order (oldest first, bounded by {@link
 * RecommendationAttributionFunction}). A Flink POJO.
 */
public class RecommendationClicks {
    private List<Click> clicks = new ArrayList<>();

    public RecommendationClicks() {}

    public List<Click> getClicks() {
        return clicks;
    }

    public void setClicks(List<Click> clicks) {
        this.clicks = clicks;
    }

    /** One click: the strategy and context of the recommendation clicked, and when. */
    public static class Click {
        private String strategy;
        private String context;
        private long at;

        public Click() {}

        public Click(String strategy, String context, long at) {
            this.strategy = strategy;
            this.context = context;
            this.at = at;
        }

        public String getStrategy() {
            return strategy;
        }

        public void setStrategy(String strategy) {
            this.strategy = strategy;
        }

        public String getContext() {
            return context;
        }

        public void setContext(String context) {
            this.context = context;
        }

        public long getAt() {
            return at;
        }

        public void setAt(long at) {
            this.at = at;
        }
    }
}
