package io.shopkeeper.jobs.recommend;

import io.shopkeeper.schemas.ScoredItem;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Session-based next-item recommender, written so that it runs the same in the Flink job (state split
 * by item across the cluster) and in the backtest (all items in one map):
 * <ol>
 *   <li>{@link #updatesFor}: when a session gets a new item, the learning steps it implies, each
 *   for one item's model;</li>
 *   <li>{@link #apply}: applies a step to that item's bounded, time-decayed {@link ItemModel};</li>
 *   <li>{@link #neighbours}: a small snapshot of an item's best neighbours;</li>
 *   <li>{@link #recommend}: ranks candidates for a session from its items and their snapshots.</li>
 * </ol>
 * Stateless and thread-safe itself; all state is in the models passed in.
 */
public final class SessionRecommender implements Serializable {
    private final RecommenderConfig config;

    public SessionRecommender(RecommenderConfig config) {
        this.config = config;
    }

    public RecommenderConfig config() {
        return config;
    }

    /**
     * Learning steps implied by the last item of {@code sessionItems} (oldest first): a sequential
     * rule from each of the previous {@code steps} items to it, weighted 1/gap.
     */
    public List<ItemUpdate> updatesFor(List<String> sessionItems) {
        int last = sessionItems.size() - 1;
        if (last < 1) return List.of();
        String current = sessionItems.get(last);
        List<ItemUpdate> updates = new ArrayList<>();
        for (int gap = 1; gap <= config.getSteps() && last - gap >= 0; gap++) {
            String previous = sessionItems.get(last - gap);
            if (!previous.equals(current)) {
                updates.add(new ItemUpdate(previous, current, 1.0 / gap));
            }
        }
        return updates;
    }

    /** Applies one step to the model of {@code update.getItemId()}, decaying it to {@code eventTime}. */
    public void apply(ItemModel model, ItemUpdate update, long eventTime) {
        decayTo(model, eventTime);
        model.getWeights().merge(update.getOtherItem(), update.getWeight(), Double::sum);
        if (model.getWeights().size() > config.getMaxNeighboursKept()) {
            model.getWeights().entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(weakest -> model.getWeights().remove(weakest.getKey()));
        }
    }

    /** The item's best {@code maxNeighboursShared} neighbours, best first. */
    public ItemNeighbours neighbours(String itemId, ItemModel model) {
        List<Map.Entry<String, Double>> best = model.getWeights().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(config.getMaxNeighboursShared())
                .toList();
        List<String> items = new ArrayList<>(best.size());
        List<Double> weights = new ArrayList<>(best.size());
        for (Map.Entry<String, Double> e : best) {
            items.add(e.getKey());
            weights.add(e.getValue());
        }
        return new ItemNeighbours(itemId, items, weights);
    }

    /**
     * Ranks up to {@code k} items for a session (items oldest first) from the neighbour snapshots of
     * its items; {@code popular} (best first) breaks ties and fills the list when the session says
     * little. Each result says why it was chosen.
     */
    public List<ScoredItem> recommend(List<String> sessionItems, Map<String, ItemNeighbours> neighbours,
                                      List<ScoredItem> popular, int k) {
        Map<String, Double> scores = new HashMap<>();
        Map<String, String> reasons = new HashMap<>();
        int used = Math.min(config.getSessionItemsUsed(), sessionItems.size());
        for (int i = 0; i < used; i++) {
            String item = sessionItems.get(sessionItems.size() - 1 - i);
            double recency = 1.0 / (i + 1);
            ItemNeighbours n = neighbours.get(item);
            if (n == null) continue;
            double max = n.getWeights().isEmpty() ? 1 : n.getWeights().get(0);
            for (int j = 0; j < n.size(); j++) {
                String candidate = n.getItems().get(j);
                double score = recency * n.getWeights().get(j) / max;
                double total = scores.merge(candidate, score, Double::sum);
                if (total == score) reasons.put(candidate, "similar_to:" + item);
            }
        }
        List<ScoredItem> ranked = new ArrayList<>();
        scores.forEach((item, score) -> ranked.add(new ScoredItem(item, score, reasons.get(item))));
        ranked.sort(Comparator.comparingDouble(ScoredItem::getScore).reversed().thenComparing(ScoredItem::getItemId));
        List<ScoredItem> result = new ArrayList<>(ranked.subList(0, Math.min(k, ranked.size())));
        for (int i = 0; i < popular.size() && result.size() < k; i++) {
            ScoredItem p = popular.get(i);
            if (!scores.containsKey(p.getItemId())) {
                result.add(new ScoredItem(p.getItemId(), 0.0, p.getReason()));
            }
        }
        return result;
    }

    private void decayTo(ItemModel model, long eventTime) {
        long elapsed = eventTime - model.getLastUpdate();
        if (model.getLastUpdate() > 0 && elapsed > 0 && !model.getWeights().isEmpty()) {
            double factor = Math.pow(0.5, (double) elapsed / config.getHalfLifeMillis());
            model.getWeights().replaceAll((item, w) -> w * factor);
        }
        model.setLastUpdate(Math.max(model.getLastUpdate(), eventTime));
    }
}
