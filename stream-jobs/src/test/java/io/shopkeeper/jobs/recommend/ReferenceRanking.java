package io.shopkeeper.jobs.recommend;

import io.shopkeeper.schemas.ScoredItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ranking of {@link SessionRecommender#recommend} as it was written before its data structures
 * were made cheaper (main ccd9838, maps of boxed votes, full sorts): kept only as the oracle that
 * the rewrite ranks every list with exactly the same scores, reasons and order ({@code
 * SessionRecommenderEquivalenceTest}). Not used by the job.
 */
final class ReferenceRanking {
    private final RecommenderConfig config;
    private final ContextRules contextRules;

    ReferenceRanking(RecommenderConfig config) {
        this.config = config;
        this.contextRules = new ContextRules(config);
    }

    /** Running score of one candidate. */
    private static final class Candidate {
        final String item;
        double sessionScore; // repeat + in-session transitions
        double neighbourScore; // from item neighbour snapshots
        double bestContribution;
        String bestSource;
        int popularityRank = Integer.MAX_VALUE;
        double total;

        Candidate(String item) {
            this.item = item;
        }
    }

    /**
     * Ranks up to {@code k} items for a session (items oldest first). With {@code n} items, {@code
     * L} the last one and {@code d(p) = n-1-p} the distance of position {@code p} from the end:
     *
     * <pre>
     * score(c) = repeatWeight      * sum over p with s[p]==c               of repeatDecay^d(p)
     *          + sessionRuleWeight * sum over p with s[p]==L and s[p+1]==c of repeatDecay^d(p)
     *          + sum over the last sessionItemsUsed distinct items j (rank r_j, 0 = last)
     *                positionDecay^r_j * w_j(c) / (norm_j + shrinkage)
     * </pre>
     *
     * where {@code w_j} are the weights of the snapshot of {@code j} in {@code neighbours} and
     * {@code norm_j} its best weight, weight sum or view count ({@link
     * RecommenderConfig.Normalisation}). Ties are broken by the order of {@code popular} (best
     * first), which also fills the list. Items already in the session stay eligible. Reasons:
     * {@code because_you_viewed:C} when the session part dominates, {@code similar_to:J} (the
     * session item contributing most) otherwise, {@code popular} for fill.
     */
    public List<ScoredItem> recommend(
            List<String> sessionItems,
            Map<String, ItemNeighbours> neighbours,
            List<ScoredItem> popular,
            int k) {
        return recommend(null, sessionItems, neighbours, popular, k);
    }

    /**
     * As {@link #recommend(List, Map, List, int)} for the session {@code sessionId} (may be null):
     * its own entries in the snapshots' session samples are not used as neighbours.
     */
    public List<ScoredItem> recommend(
            String sessionId,
            List<String> sessionItems,
            Map<String, ItemNeighbours> neighbours,
            List<ScoredItem> popular,
            int k) {
        if (k <= 0) return List.of();
        Map<String, Candidate> candidates = new HashMap<>();
        int n = sessionItems.size();
        if (n > 0) {
            String last = sessionItems.get(n - 1);
            double repeatW = config.getRepeatWeight();
            double ruleW = config.getSessionRuleWeight();
            double rho = config.getRepeatDecay();
            double decay = 1.0;
            for (int p = n - 1; p >= 0; p--, decay *= rho) {
                if (repeatW > 0) {
                    candidates.computeIfAbsent(sessionItems.get(p), Candidate::new).sessionScore +=
                            repeatW * decay;
                }
                if (ruleW > 0 && p < n - 1 && sessionItems.get(p).equals(last)) {
                    candidates.computeIfAbsent(sessionItems.get(p + 1), Candidate::new)
                                    .sessionScore +=
                            ruleW * decay;
                }
            }
            Set<String> seen = new HashSet<>();
            double lambda = config.getPositionDecay();
            double positionWeight = 1.0;
            for (int p = n - 1; p >= 0 && seen.size() < config.getSessionItemsUsed(); p--) {
                String item = sessionItems.get(p);
                if (!seen.add(item)) continue;
                ItemNeighbours nb = neighbours.get(item);
                if (nb != null && nb.size() > 0) {
                    double denominator = norm(nb) + config.getShrinkage();
                    if (positionWeight > 0 && denominator > 0) {
                        List<String> items = nb.getItems();
                        List<Double> weights = nb.getWeights();
                        for (int j = 0; j < items.size(); j++) {
                            // divide last: w/w is exactly 1, so ties with repeat scores stay ties
                            double contribution = positionWeight * weights.get(j) / denominator;
                            Candidate c = candidates.computeIfAbsent(items.get(j), Candidate::new);
                            c.neighbourScore += contribution;
                            if (contribution > c.bestContribution) {
                                c.bestContribution = contribution;
                                c.bestSource = item;
                            }
                        }
                    }
                }
                positionWeight *= lambda;
            }
            if (config.getKnnWeight() > 0)
                sessionNeighbours(sessionId, sessionItems, neighbours, candidates);
            contextRules.score(
                    sessionItems,
                    neighbours,
                    (item, contribution, source) -> {
                        Candidate c = candidates.computeIfAbsent(item, Candidate::new);
                        c.neighbourScore += contribution;
                        if (contribution > c.bestContribution) {
                            c.bestContribution = contribution;
                            c.bestSource = source;
                        }
                    });
        }
        for (int r = 0; r < popular.size(); r++) {
            Candidate c = candidates.get(popular.get(r).getItemId());
            if (c != null && c.popularityRank == Integer.MAX_VALUE) c.popularityRank = r;
        }
        double sessionScale = 1, neighbourScale = 1;
        if (config.isAdaptiveRepeat() && n > 0) {
            double share = repeatShare(sessionItems);
            double sessionSum = 0, neighbourSum = 0;
            for (Candidate c : candidates.values()) {
                sessionSum += c.sessionScore;
                neighbourSum += c.neighbourScore;
            }
            if (neighbourSum <= 0) share = 1;
            sessionScale = sessionSum > 0 ? share / sessionSum : 0;
            neighbourScale = neighbourSum > 0 ? (1 - share) / neighbourSum : 0;
        }
        List<Candidate> ranked = new ArrayList<>(candidates.size());
        for (Candidate c : candidates.values()) {
            c.sessionScore *= sessionScale;
            c.neighbourScore *= neighbourScale;
            c.total = c.sessionScore + c.neighbourScore;
            if (c.total > 0) ranked.add(c);
        }
        ranked.sort(
                (a, b) -> {
                    int cmp = Double.compare(b.total, a.total);
                    if (cmp != 0) return cmp;
                    cmp = Integer.compare(a.popularityRank, b.popularityRank);
                    return cmp != 0 ? cmp : a.item.compareTo(b.item);
                });
        List<ScoredItem> result = new ArrayList<>(k);
        Iterator<Candidate> it = ranked.iterator();
        while (result.size() < k && it.hasNext()) {
            Candidate c = it.next();
            String reason =
                    c.sessionScore >= c.neighbourScore || c.bestSource == null
                            ? SessionRecommender.REASON_VIEWED + c.item
                            : SessionRecommender.REASON_SIMILAR + c.bestSource;
            result.add(new ScoredItem(c.item, c.total, reason));
        }
        for (int i = 0; i < popular.size() && result.size() < k; i++) {
            ScoredItem p = popular.get(i);
            Candidate c = candidates.get(p.getItemId());
            if (c == null || c.total <= 0) {
                result.add(new ScoredItem(p.getItemId(), 0.0, SessionRecommender.REASON_POPULAR));
                if (c == null) candidates.put(p.getItemId(), new Candidate(p.getItemId()));
                else c.total = 1; // never add twice
            }
        }
        return result;
    }

    /** A candidate neighbour session: a view of one snapshot's sample entry. */
    private record NeighbourSession(long time, List<String> items) {}

    /**
     * Session-kNN part (V-SKNN / STAN style) over the session samples of the snapshots of the last
     * {@code knnItemsUsed} distinct session items: each candidate session {@code m} gets
     *
     * <pre>
     * sim(m) = sum over distinct items i of m also in the session of knnRecency^r_i
     *          / distinct(m)^knnLengthNorm * 0.5^((newest candidate's time - m's time) / knnHalfLife)
     * </pre>
     *
     * ({@code r_i} = distinct rank of {@code i} in the session, 0 = last). The {@code
     * knnNeighbours} most similar sessions vote for each of their items {@code c} at position
     * {@code q}: {@code sim(m) * knnItemDecay^|q - q*| * (knnBefore if q < q*)}, with {@code q*}
     * the position of the shared item most recent in the session. The votes are scaled so the best
     * is {@code knnWeight} and added to the neighbour part.
     */
    private void sessionNeighbours(
            String sessionId,
            List<String> sessionItems,
            Map<String, ItemNeighbours> neighbours,
            Map<String, Candidate> candidates) {
        int n = sessionItems.size();
        Map<String, Double> sessionWeight = new HashMap<>();
        Map<String, NeighbourSession> pool = new HashMap<>();
        double r = 1.0;
        int used = 0;
        for (int p = n - 1; p >= 0; p--) {
            String item = sessionItems.get(p);
            if (sessionWeight.containsKey(item)) continue;
            sessionWeight.put(item, r);
            r *= config.getKnnRecency();
            if (used++ >= config.getKnnItemsUsed()) continue;
            ItemNeighbours nb = neighbours.get(item);
            if (nb == null || nb.getSampleSessions() == null) continue;
            List<String> ids = nb.getSampleSessions();
            List<Integer> sizes = nb.getSampleSizes();
            List<Long> times = nb.getSampleTimes();
            List<String> all = nb.getSampleItems();
            int offset = 0;
            for (int i = 0; i < ids.size(); i++) {
                int size = sizes.get(i);
                String id = ids.get(i);
                if (!id.equals(sessionId)) {
                    long time = times.get(i);
                    NeighbourSession known = pool.get(id);
                    if (known == null
                            || time > known.time()
                            || (time == known.time() && size > known.items().size())) {
                        pool.put(
                                id, new NeighbourSession(time, all.subList(offset, offset + size)));
                    }
                }
                offset += size;
            }
        }
        if (pool.isEmpty()) return;
        long newest = Long.MIN_VALUE;
        for (NeighbourSession m : pool.values()) newest = Math.max(newest, m.time());
        double lengthNorm = config.getKnnLengthNorm();
        double halfLife = config.getKnnHalfLifeMillis();
        List<double[]> scored = new ArrayList<>(pool.size()); // {similarity, index}
        List<NeighbourSession> sessions = new ArrayList<>(pool.values());
        int[] anchor = new int[sessions.size()];
        for (int s = 0; s < sessions.size(); s++) {
            List<String> items = sessions.get(s).items();
            double sim = 0, best = -1;
            int distinct = 0;
            for (int q = 0; q < items.size(); q++) {
                String item = items.get(q);
                boolean repeated = false;
                for (int j = 0; j < q && !repeated; j++) repeated = items.get(j).equals(item);
                Double w = sessionWeight.get(item);
                if (w != null && w >= best) {
                    best = w;
                    anchor[s] = q;
                }
                if (repeated) continue;
                distinct++;
                if (w != null) sim += w;
            }
            if (sim <= 0) continue;
            if (lengthNorm != 0) sim /= Math.pow(distinct, lengthNorm);
            if (newest > sessions.get(s).time())
                sim *= Math.pow(0.5, (newest - sessions.get(s).time()) / halfLife);
            scored.add(new double[] {sim, s});
        }
        if (scored.isEmpty()) return;
        scored.sort(
                (a, b) -> {
                    int c = Double.compare(b[0], a[0]);
                    return c != 0 ? c : Double.compare(a[1], b[1]);
                });
        int keep = Math.min(config.getKnnNeighbours(), scored.size());
        double decay = config.getKnnItemDecay(), before = config.getKnnBefore();
        double[] powers = new double[config.getSessionSampleItems() + 1];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) powers[i] = powers[i - 1] * decay;
        double repeatVotes = config.getKnnRepeatWeight();
        Map<String, Double> votes = new HashMap<>();
        Map<String, String> voteSource = new HashMap<>();
        Map<String, Double> voteBest = new HashMap<>();
        double max = 0;
        for (int t = 0; t < keep; t++) {
            double sim = scored.get(t)[0];
            int s = (int) scored.get(t)[1];
            List<String> items = sessions.get(s).items();
            int a = anchor[s];
            String source = items.get(a);
            for (int q = 0; q < items.size(); q++) {
                double v = sim * powers[Math.abs(q - a)] * (q < a ? before : 1.0);
                if (v <= 0) continue;
                String item = items.get(q);
                if (repeatVotes != 1 && sessionWeight.containsKey(item)) {
                    v *= repeatVotes;
                    if (v <= 0) continue;
                }
                double total = votes.merge(item, v, Double::sum);
                if (total > max) max = total;
                if (v > voteBest.getOrDefault(item, 0.0)) {
                    voteBest.put(item, v);
                    voteSource.put(item, source);
                }
            }
        }
        if (max <= 0) return;
        // with shrinkage, weak evidence (few, little-overlapping neighbours) stays small instead of
        // being scaled up to knnWeight
        double scale = config.getKnnWeight() / (max + config.getKnnShrinkage());
        // sparse evidence (few candidate sessions: a long-tail catalogue) weighs proportionally
        // less
        if (config.getKnnViewsTarget() > 0) {
            ItemNeighbours lastSnapshot = neighbours.get(sessionItems.get(n - 1));
            double views = lastSnapshot == null ? 0 : lastSnapshot.getOccurrences();
            scale *=
                    Math.pow(
                            Math.min(1.0, views / config.getKnnViewsTarget()),
                            config.getKnnPoolPower());
        }
        if (config.getKnnPoolTarget() > 0) {
            scale *=
                    Math.pow(
                            Math.min(1.0, pool.size() / (double) config.getKnnPoolTarget()),
                            config.getKnnPoolPower());
        }
        for (Map.Entry<String, Double> e : votes.entrySet()) {
            double contribution = e.getValue() * scale;
            Candidate c = candidates.computeIfAbsent(e.getKey(), Candidate::new);
            c.neighbourScore += contribution;
            if (contribution > c.bestContribution) {
                c.bestContribution = contribution;
                c.bestSource = voteSource.get(e.getKey());
            }
        }
    }

    /**
     * Estimated probability that the next view repeats an item of the session: the session's own
     * repeat rate so far, smoothed towards {@code repeatPrior}; times {@code repeatWeight}, capped
     * at 1.
     */
    double repeatShare(List<String> sessionItems) {
        Set<String> seen = new HashSet<>();
        int repeats = 0;
        for (String item : sessionItems) {
            if (!seen.add(item)) repeats++;
        }
        double opportunities = sessionItems.size() - 1;
        double strength = config.getRepeatPriorStrength();
        double rate =
                strength + opportunities > 0
                        ? (config.getRepeatPrior() * strength + repeats)
                                / (strength + opportunities)
                        : config.getRepeatPrior();
        return Math.min(1.0, rate * config.getRepeatWeight());
    }

    private double norm(ItemNeighbours nb) {
        return switch (config.getNormalisation()) {
            case MAX -> nb.getWeights().get(0);
            case SUM -> {
                double s = 0;
                for (double w : nb.getWeights()) s += w;
                yield s;
            }
            case OCCURRENCES -> nb.getOccurrences();
        };
    }

    /**
     * {@link SessionRecommender#neighbours} as it was before its top neighbours were selected on
     * arrays (main bf95a94: the maps blended into a copied HashMap, every entry sorted): the oracle
     * for {@code SessionRecommenderEquivalenceTest}.
     */
    ItemNeighbours neighbours(String itemId, ItemModel model) {
        Map<String, Double> blended = new HashMap<>(model.getWeights());
        double bw = config.getBackwardWeight();
        if (bw > 0) {
            for (Map.Entry<String, Double> e : model.getBackward().entrySet()) {
                blended.merge(e.getKey(), bw * e.getValue(), Double::sum);
            }
        }
        if (!config.isSelfRules()) blended.remove(itemId);
        List<Map.Entry<String, Double>> best =
                SessionRecommender.topEntries(blended, config.getMaxNeighboursShared());
        List<String> items = new ArrayList<>(best.size());
        List<Double> weights = new ArrayList<>(best.size());
        for (Map.Entry<String, Double> e : best) {
            items.add(e.getKey());
            weights.add(e.getValue());
        }
        ItemNeighbours nb = new ItemNeighbours(itemId, items, weights, model.getOccurrences());
        int shared = Math.min(config.getSessionSampleShared(), model.getSampleSessions().size());
        if (shared > 0) {
            int itemCount = 0;
            for (int i = 0; i < shared; i++) itemCount += model.getSampleSizes().get(i);
            nb.setSampleSessions(new ArrayList<>(model.getSampleSessions().subList(0, shared)));
            nb.setSampleTimes(new ArrayList<>(model.getSampleTimes().subList(0, shared)));
            nb.setSampleSizes(new ArrayList<>(model.getSampleSizes().subList(0, shared)));
            nb.setSampleItems(new ArrayList<>(model.getSampleItems().subList(0, itemCount)));
        }
        contextRules.share(model, nb);
        return nb;
    }
}
