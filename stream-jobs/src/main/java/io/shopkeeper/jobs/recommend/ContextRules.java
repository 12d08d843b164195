package io.shopkeeper.jobs.recommend;

import io.shopkeeper.jobs.types.WeightTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Second-order sequential rules ("after {@code a} then {@code b}, the next item was {@code c}"):
 * the part of the scoring that knows the item before the last one. Playlists, albums and series are
 * followed in order, so the pair {@code (a, b)} predicts the next item much more sharply than
 * {@code b} alone (validation MRR@20 on nowplaying: see {@link RecommenderConfig}).
 *
 * <p><b>State, keyed by the first item of the pair.</b> When a session {@code ..., a, b} gets a new
 * item {@code c}, one {@link ItemUpdate.Kind#CONTEXT} step goes to {@code a}'s model: weight 1 for
 * the rule {@code b -> c}, kept in {@link ItemModel#getContexts()} under {@link #key(String,
 * String)}, decayed with the model's half-life, at most {@code contextsKept} rules (the weakest is
 * evicted). Keying by {@code a} keeps the rules the scoring needs together: what follows {@code a}
 * is concentrated on a few items {@code b}, so its strongest rules cover them.
 *
 * <p><b>Snapshot and scoring.</b> The snapshot of {@code a} carries its {@code contextsShared}
 * strongest rules. For a session ending {@code a, b}, the rules {@code b -> c} of {@code a}'s
 * snapshot score {@code contextWeight * w(c) / (sum of their weights + contextShrinkage)}: an
 * estimate of P(next = c | a, b), damped when the pair was seen only a few times.
 */
public final class ContextRules implements Serializable {
    /** Separates the two items of a rule key (never part of an item id). */
    static final char SEPARATOR = '\u001f';

    private final RecommenderConfig config;

    ContextRules(RecommenderConfig config) {
        this.config = config;
    }

    /** Whether the part is learned at all ({@code contextsKept > 0}). */
    boolean learning() {
        return config.getContextsKept() > 0;
    }

    /** Rule key of {@code then -> next} in the model of the pair's first item. */
    static String key(String then, String next) {
        return then + SEPARATOR + next;
    }

    /**
     * The {@link ItemUpdate.Kind#CONTEXT} step implied by the last item of {@code sessionItems}
     * (oldest first), or null with fewer than three items or when the part is off.
     */
    ItemUpdate updateFor(List<String> sessionItems) {
        int n = sessionItems.size();
        if (n < 3 || !learning()) return null;
        return ItemUpdate.context(
                sessionItems.get(n - 3), sessionItems.get(n - 2), sessionItems.get(n - 1));
    }

    /** Adds a CONTEXT step to the model (already decayed to the step's time). */
    void apply(ItemModel model, ItemUpdate update) {
        if (update.getOtherItem() == null || update.getNextItem() == null) return;
        WeightTable contexts = model.rules();
        contexts.add(key(update.getOtherItem(), update.getNextItem()), 1.0);
        contexts.evictWeakest(config.getContextsKept());
    }

    /** Copies the model's {@code contextsShared} strongest rules into the snapshot. */
    void share(ItemModel model, ItemNeighbours snapshot) {
        int shared = config.getContextsShared();
        if (shared <= 0 || model.getContexts().isEmpty()) return;
        List<Map.Entry<String, Double>> best =
                SessionRecommender.topEntries(model.getContexts(), shared);
        List<String> then = new ArrayList<>(best.size());
        List<String> next = new ArrayList<>(best.size());
        List<Double> weights = new ArrayList<>(best.size());
        for (Map.Entry<String, Double> e : best) {
            int cut = e.getKey().indexOf(SEPARATOR);
            then.add(e.getKey().substring(0, cut));
            next.add(e.getKey().substring(cut + 1));
            weights.add(e.getValue());
        }
        snapshot.setContextThen(then);
        snapshot.setContextNext(next);
        snapshot.setContextWeights(weights);
    }

    /** Receives one scored candidate. */
    interface Sink {
        void add(String item, double score, String source);
    }

    /**
     * Scores the rules of the session's second-last item that start with its last item; {@code
     * neighbours} are the snapshots of the session items.
     */
    void score(List<String> sessionItems, Map<String, ItemNeighbours> neighbours, Sink sink) {
        int n = sessionItems.size();
        double weight = config.getContextWeight();
        if (n < 2 || weight <= 0) return;
        String last = sessionItems.get(n - 1);
        ItemNeighbours first = neighbours.get(sessionItems.get(n - 2));
        if (first == null || first.getContextThen() == null) return;
        List<String> then = first.getContextThen();
        double sum = 0;
        for (int j = 0; j < then.size(); j++) {
            if (then.get(j).equals(last)) sum += first.getContextWeights().get(j);
        }
        if (sum <= 0) return;
        double scale = weight / (sum + config.getContextShrinkage());
        for (int j = 0; j < then.size(); j++) {
            if (then.get(j).equals(last)) {
                sink.add(
                        first.getContextNext().get(j),
                        first.getContextWeights().get(j) * scale,
                        last);
            }
        }
    }
}
