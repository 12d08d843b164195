package io.shopkeeper.jobs.recommend;

import io.shopkeeper.jobs.types.WeightTable;
import io.shopkeeper.schemas.ScoredItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Session-based next-item recommender, written so that it runs the same in the Flink job (state
 * split by item across the cluster) and in the backtest (all items in one map):
 *
 * <ol>
 *   <li>{@link #updatesFor}: when a session gets a new item, the learning steps it implies, each
 *       for one item's model;
 *   <li>{@link #apply}: applies a step to that item's bounded, time-decayed {@link ItemModel};
 *   <li>{@link #neighbours}: a small snapshot of an item's best neighbours;
 *   <li>{@link #recommend}: ranks candidates for a session from its items and their snapshots.
 * </ol>
 *
 * Stateless and thread-safe itself; all state is in the models passed in. See {@code package-info}
 * for the scoring formula.
 */
public final class SessionRecommender implements Serializable {
    public static final String REASON_SIMILAR = "similar_to:";
    public static final String REASON_VIEWED = "because_you_viewed:";
    public static final String REASON_POPULAR = "popular";

    private final RecommenderConfig config;
    private final ContextRules contextRules;

    public SessionRecommender(RecommenderConfig config) {
        this.config = config;
        this.contextRules = new ContextRules(config);
    }

    public SessionRecommender() {
        this(RecommenderConfig.defaults());
    }

    public RecommenderConfig config() {
        return config;
    }

    /**
     * How many of the session's latest distinct items {@link #recommend} needs snapshots of: the
     * neighbour and kNN parts' windows, and the item before the last for the second-order rules.
     */
    public int itemsUsed() {
        int used = Math.max(config.getSessionItemsUsed(), config.getKnnItemsUsed());
        return config.getContextWeight() > 0 ? Math.max(2, used) : used;
    }

    /**
     * Learning steps implied by the last item {@code c} of {@code sessionItems} (oldest first): one
     * {@link ItemUpdate.Kind#SEEN} step for {@code c}; and, for each of the previous {@code steps}
     * items {@code p} at distance {@code gap}, a {@link ItemUpdate.Kind#FOLLOWED} step for {@code
     * p} ("c followed p", weight 1/gap) and a {@link ItemUpdate.Kind#PRECEDED} step for {@code c}
     * ("p preceded c", weight 1/gap); when {@code p == c} only a FOLLOWED self-rule, and only with
     * {@code selfRules}. Each update targets one item's model.
     */
    public List<ItemUpdate> updatesFor(List<String> sessionItems) {
        return updatesFor(null, sessionItems);
    }

    /**
     * As {@link #updatesFor(List)}, plus, when {@code sessionId} is not null and the session sample
     * is on ({@code sessionSampleSize > 0}), one {@link ItemUpdate.Kind#SESSION} step for each of
     * the last {@code sessionSampleFanout} distinct items among the session's last {@code
     * sessionSampleItems} items, carrying the session id and those last items: it refreshes the
     * session in those items' session samples (the candidate neighbour sessions of the session-kNN
     * scoring). Each update still targets one item's model.
     */
    public List<ItemUpdate> updatesFor(String sessionId, List<String> sessionItems) {
        int last = sessionItems.size() - 1;
        if (last < 0) return List.of();
        String current = sessionItems.get(last);
        List<ItemUpdate> updates =
                new ArrayList<>(
                        1
                                + 2 * Math.min(last, config.getSteps())
                                + (sessionId == null ? 0 : config.getSessionSampleFanout()));
        updates.add(new ItemUpdate(current, null, 1.0, ItemUpdate.Kind.SEEN));
        for (int gap = 1; gap <= config.getSteps() && last - gap >= 0; gap++) {
            String previous = sessionItems.get(last - gap);
            double w = 1.0 / gap;
            if (!previous.equals(current)) {
                updates.add(new ItemUpdate(previous, current, w, ItemUpdate.Kind.FOLLOWED));
                updates.add(new ItemUpdate(current, previous, w, ItemUpdate.Kind.PRECEDED));
            } else if (config.isSelfRules()) {
                updates.add(new ItemUpdate(current, current, w, ItemUpdate.Kind.FOLLOWED));
            }
        }
        ItemUpdate context = contextRules.updateFor(sessionItems);
        if (context != null) updates.add(context);
        if (sessionId != null && config.getSessionSampleSize() > 0) {
            int from = Math.max(0, sessionItems.size() - config.getSessionSampleItems());
            List<String> window = List.copyOf(sessionItems.subList(from, sessionItems.size()));
            Set<String> targets = new HashSet<>();
            for (int p = last; p >= from && targets.size() < config.getSessionSampleFanout(); p--) {
                String item = sessionItems.get(p);
                if (targets.add(item)) updates.add(ItemUpdate.session(item, sessionId, window));
            }
        }
        return updates;
    }

    /**
     * Applies one step to the model of {@code update.getItemId()}: first decays the model to {@code
     * eventTime} (epoch millis; out-of-order events are not decayed backwards), then adds the
     * weight and evicts the weakest entry when a map exceeds {@code maxNeighboursKept}.
     */
    public void apply(ItemModel model, ItemUpdate update, long eventTime) {
        ItemUpdate.Kind kind =
                update.getKind() == null ? ItemUpdate.Kind.FOLLOWED : update.getKind();
        // the session sample is ordered by recency and never decays: no need to decay the weights
        // now
        if (kind != ItemUpdate.Kind.SESSION) decayTo(model, eventTime);
        switch (kind) {
            case SEEN -> model.setOccurrences(model.getOccurrences() + update.getWeight());
            case FOLLOWED ->
                    addBounded(model.followed(), update.getOtherItem(), update.getWeight());
            case PRECEDED ->
                    addBounded(model.preceded(), update.getOtherItem(), update.getWeight());
            case SESSION ->
                    addSession(model, update.getSessionId(), update.getSessionItems(), eventTime);
            case CONTEXT -> contextRules.apply(model, update);
        }
    }

    /**
     * Moves session {@code sessionId} to the front of the model's session sample with its last
     * {@code sessionSampleItems} items, replacing its older entry, and drops the oldest sessions
     * beyond {@code sessionSampleSize}.
     */
    private void addSession(ItemModel model, String sessionId, List<String> items, long eventTime) {
        int cap = config.getSessionSampleSize();
        if (sessionId == null || items == null || items.isEmpty() || cap <= 0) return;
        List<String> ids = model.getSampleSessions();
        List<Long> times = model.getSampleTimes();
        List<Integer> sizes = model.getSampleSizes();
        List<String> all = model.getSampleItems();
        int index = ids.indexOf(sessionId);
        if (index >= 0) {
            int offset = 0;
            for (int i = 0; i < index; i++) offset += sizes.get(i);
            all.subList(offset, offset + sizes.get(index)).clear();
            ids.remove(index);
            times.remove(index);
            sizes.remove(index);
        }
        List<String> window =
                items.subList(
                        Math.max(0, items.size() - config.getSessionSampleItems()), items.size());
        ids.add(0, sessionId);
        times.add(0, eventTime);
        sizes.add(0, window.size());
        all.addAll(0, window);
        dropOldestSessions(model, cap);
    }

    /**
     * Drops the model's sampled sessions beyond this configuration's {@code sessionSampleSize}. The
     * sample is ordered by the sessions' last update, so the newest {@code n} sessions of a larger
     * sample are exactly the sample a model with room for {@code n} learns from the same steps: a
     * model trained with a larger sample, trimmed, is the model this configuration trains.
     */
    public void trimSample(ItemModel model) {
        dropOldestSessions(model, config.getSessionSampleSize());
    }

    private static void dropOldestSessions(ItemModel model, int cap) {
        List<String> ids = model.getSampleSessions();
        List<Integer> sizes = model.getSampleSizes();
        List<String> all = model.getSampleItems();
        while (ids.size() > cap) {
            int lastIndex = ids.size() - 1;
            int size = sizes.remove(lastIndex);
            all.subList(all.size() - size, all.size()).clear();
            ids.remove(lastIndex);
            model.getSampleTimes().remove(lastIndex);
        }
    }

    private void addBounded(WeightTable table, String item, double weight) {
        if (item == null) return;
        table.add(item, weight);
        table.evictWeakest(config.getMaxNeighboursKept());
    }

    /**
     * The item's best {@code maxNeighboursShared} neighbours, best first, by blended weight {@code
     * followed + backwardWeight * preceded}; carries the item's decayed view count.
     */
    public ItemNeighbours neighbours(String itemId, ItemModel model) {
        ItemNeighbours nb = topNeighbours(itemId, model);
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

    /**
     * The item's best {@code maxNeighboursShared} neighbours with its view count (no sample, no
     * rules): each candidate's blended weight is {@code followed + backwardWeight * preceded}
     * (either part alone when the other is absent), best first, ties by id. Selected on arrays in
     * one pass over each map, without copying the maps or sorting every candidate; once the arrays
     * are full, an entry that cannot enter them (by an upper bound of its blend) is not looked up
     * in the other map.
     */
    public ItemNeighbours topNeighbours(String itemId, ItemModel model) {
        WeightTable followed = model.followed();
        WeightTable preceded = model.preceded();
        double bw = config.getBackwardWeight();
        boolean self = config.isSelfRules();
        int n = config.getMaxNeighboursShared();
        String[] bestItems = new String[Math.min(n, followed.size() + preceded.size())];
        double[] bestWeights = new double[bestItems.length];
        int cap = bestItems.length;
        int size = 0;
        // the largest preceded weight bounds every blend from above (x -> f + bw * x is monotonic
        // for bw > 0): a followed item whose bound cannot enter the full arrays is not looked up
        double maxBefore = Double.NEGATIVE_INFINITY;
        if (bw > 0) {
            for (int i = 0; i < preceded.size(); i++) {
                double before = preceded.weightAt(i);
                if (Double.compare(before, maxBefore) > 0) maxBefore = before;
            }
        }
        for (int i = 0; i < followed.size(); i++) {
            String item = followed.keyAt(i);
            if (!self && item.equals(itemId)) continue;
            double w = followed.weightAt(i);
            if (bw > 0) {
                if (size == cap) {
                    double bound = w + bw * maxBefore;
                    if (Double.compare(w, bound) > 0) bound = w;
                    if (!ranksBefore(bound, item, bestWeights[cap - 1], bestItems[cap - 1]))
                        continue;
                }
                int before = preceded.indexOf(item, followed.hashAt(i));
                if (before >= 0) w = w + bw * preceded.weightAt(before);
            }
            size = offer(bestItems, bestWeights, size, item, w);
        }
        if (bw > 0) {
            for (int i = 0; i < preceded.size(); i++) {
                String item = preceded.keyAt(i);
                double w = bw * preceded.weightAt(i);
                // one that cannot enter is left out whether or not it was followed too
                if (size == cap && !ranksBefore(w, item, bestWeights[cap - 1], bestItems[cap - 1]))
                    continue;
                if ((!self && item.equals(itemId))
                        || followed.indexOf(item, preceded.hashAt(i)) >= 0) continue;
                size = offer(bestItems, bestWeights, size, item, w);
            }
        }
        List<String> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) items.add(bestItems[i]);
        return new ItemNeighbours(
                itemId, items, ItemNeighbours.doubles(bestWeights, size), model.getOccurrences());
    }

    /**
     * Inserts {@code item} into the first {@code size} entries of the arrays (kept best first:
     * higher weight, then smaller id, as {@link #topEntries}) when it ranks among them or they have
     * room; returns the new size.
     */
    private static int offer(String[] items, double[] weights, int size, String item, double w) {
        int cap = items.length;
        if (size == cap && !ranksBefore(w, item, weights[cap - 1], items[cap - 1])) return size;
        int at = size < cap ? size : cap - 1;
        while (at > 0 && ranksBefore(w, item, weights[at - 1], items[at - 1])) {
            items[at] = items[at - 1];
            weights[at] = weights[at - 1];
            at--;
        }
        items[at] = item;
        weights[at] = w;
        return size < cap ? size + 1 : size;
    }

    private static boolean ranksBefore(double w, String item, double otherW, String other) {
        int c = Double.compare(w, otherW);
        return c != 0 ? c > 0 : item.compareTo(other) < 0;
    }

    static List<Map.Entry<String, Double>> topEntries(Map<String, Double> map, int n) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(map.entrySet());
        entries.sort(
                (a, b) -> {
                    int c = Double.compare(b.getValue(), a.getValue());
                    return c != 0 ? c : a.getKey().compareTo(b.getKey());
                });
        return entries.size() > n ? entries.subList(0, n) : entries;
    }

    /** Running score of one candidate. */
    private static final class Candidate {
        private String item; // made from texts when first asked for (item())
        private TextIds texts;
        int textId; // its id in the ranking's TextIds
        double sessionScore; // repeat + in-session transitions
        double neighbourScore; // from item neighbour snapshots
        double bestContribution;
        String bestSource;
        int popularityRank;
        double total;

        /**
         * This candidate made the one of the text of {@code textId} in {@code texts}, all scores 0
         * (a candidate of an earlier ranking).
         */
        void reset(int textId, TextIds texts) {
            this.item = null;
            this.texts = texts;
            this.textId = textId;
            sessionScore = 0;
            neighbourScore = 0;
            bestContribution = 0;
            bestSource = null;
            popularityRank = Integer.MAX_VALUE;
            total = 0;
        }

        /** The candidate item's id (a String made only for the candidates that need it). */
        String item() {
            String text = item;
            if (text == null) item = text = texts.text(textId);
            return text;
        }
    }

    /**
     * The candidates of one ranking by the id of their item in the ranking's {@link TextIds} (an
     * item given as a String is numbered there first), also kept in the order they were added.
     * Every use of the candidates either looks one up or goes through all of them in that order.
     * One per {@link Scratch}, emptied for each ranking ({@link #clear}): its arrays and candidate
     * objects are reused (new ones per ranking were a tenth of the recommendations task's heap
     * allocation, issue 11). Keyed by the ids, a candidate needs no hashing of its own, and the
     * String of its item is made only when the ranking reads it (the ranked ones, ties by id).
     */
    private static final class Candidates {
        private Candidate[] inOrder = new Candidate[256];
        private int size;

        /** The candidates by the id of their item. */
        private Candidate[] byId = new Candidate[256];

        /** Empties the table; the candidate objects stay in {@link #inOrder} for reuse. */
        void clear() {
            for (int i = 0; i < size; i++) byId[inOrder[i].textId] = null;
            size = 0;
        }

        /** The candidate for the text of {@code id} in {@code texts}, added when absent. */
        Candidate getOrAdd(int id, TextIds texts) {
            if (id >= byId.length) byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
            Candidate c = byId[id];
            if (c != null) return c;
            if (size == inOrder.length) inOrder = Arrays.copyOf(inOrder, size * 2);
            c = inOrder[size];
            if (c == null) inOrder[size] = c = new Candidate();
            c.reset(id, texts);
            byId[id] = c;
            size++;
            return c;
        }

        /** The candidate for {@code item}, or null. */
        Candidate get(String item, TextIds texts) {
            int id = texts.find(item);
            return id >= 0 && id < byId.length ? byId[id] : null;
        }

        /** The candidate for {@code item}, added (all scores 0) when absent. */
        Candidate getOrAdd(String item, TextIds texts) {
            Candidate c = getOrAdd(texts.idOf(item), texts);
            if (c.item == null) c.item = item;
            return c;
        }

        int size() {
            return size;
        }

        /** The {@code i}-th candidate added. */
        Candidate at(int i) {
            return inOrder[i];
        }
    }

    /** Best first: higher total, then more popular, then by id. */
    private static final Comparator<Candidate> BY_RANK =
            (a, b) -> {
                int cmp = Double.compare(b.total, a.total);
                if (cmp != 0) return cmp;
                cmp = Integer.compare(a.popularityRank, b.popularityRank);
                return cmp != 0 ? cmp : a.item().compareTo(b.item());
            };

    /**
     * The one ranking entry point for a visitor's list, as the recommendation operator and the
     * backtest's stream replay both rank: the snapshots of the latest distinct session items (as
     * many as the session and kNN parts use, looked up with {@code snapshotOf}, which may return
     * null for an item not seen yet), then {@link #recommend(String, List, Map, List, int)}.
     */
    public List<ScoredItem> rankForVisitor(
            String sessionId,
            List<String> sessionItems,
            Function<String, ItemNeighbours> snapshotOf,
            int k) {
        return rankForVisitor(
                sessionId,
                sessionItems,
                (item, neighbours, sessions, contexts) -> snapshotOf.apply(item),
                k);
    }

    /**
     * Looks up the snapshot of a session item for {@link #rankForVisitor(String, List,
     * SnapshotLookup, int)}, which says which of its parts the ranking reads: its neighbours, its
     * sampled sessions, its second-order rules (the item id and view count always). The lists of a
     * part not asked for may be left empty: the ranking is the same.
     */
    public interface SnapshotLookup {
        ItemNeighbours snapshot(
                String item, boolean neighbours, boolean sessions, boolean contexts);
    }

    /**
     * As {@link #rankForVisitor(String, List, Function, int)}, asking for only the parts of each
     * snapshot that {@link #recommend} reads: the neighbours of the latest {@code sessionItemsUsed}
     * distinct items, the sampled sessions of the latest {@code knnItemsUsed} (when the kNN part is
     * on) and the rules of the item before the last (when that part is on).
     */
    public List<ScoredItem> rankForVisitor(
            String sessionId, List<String> sessionItems, SnapshotLookup lookup, int k) {
        return rankForVisitor(sessionId, sessionItems, lookup, k, new Scratch());
    }

    /**
     * Gives the encoded snapshot ({@link ItemNeighboursCodec}) of a session item for {@link
     * #rankForVisitor(String, List, EncodedSnapshots, int, Scratch)}, or null for an item not seen
     * yet.
     */
    public interface EncodedSnapshots {
        byte[] encoded(String item);
    }

    /**
     * As {@link #rankForVisitor(String, List, SnapshotLookup, int)} from encoded snapshots, which
     * it decodes itself: of each only the parts the ranking reads, the sampled sessions' items as
     * ids in {@code scratch} (the kNN part then reads them without making or hashing their
     * Strings). The ranking is exactly the one of the decoded snapshots. {@code scratch} is reused
     * from one ranking to the next, by one thread.
     */
    public List<ScoredItem> rankForVisitor(
            String sessionId,
            List<String> sessionItems,
            EncodedSnapshots snapshots,
            int k,
            Scratch scratch) {
        scratch.texts.clear();
        return rankForVisitor(
                sessionId,
                sessionItems,
                (item, neighbours, sessions, contexts) -> {
                    byte[] encoded = snapshots.encoded(item);
                    return encoded == null
                            ? null
                            : ItemNeighboursCodec.decode(
                                    encoded, neighbours, sessions, contexts, scratch.texts);
                },
                k,
                scratch);
    }

    private List<ScoredItem> rankForVisitor(
            String sessionId,
            List<String> sessionItems,
            SnapshotLookup lookup,
            int k,
            Scratch scratch) {
        int n = sessionItems.size();
        String beforeLast =
                n >= 2 && config.getContextWeight() > 0 ? sessionItems.get(n - 2) : null;
        boolean knn = config.getKnnWeight() > 0;
        Map<String, ItemNeighbours> used = new HashMap<>();
        List<String> recent = recentDistinct(sessionItems, itemsUsed());
        for (int rank = 0; rank < recent.size(); rank++) {
            String item = recent.get(rank);
            ItemNeighbours snapshot =
                    lookup.snapshot(
                            item,
                            rank < config.getSessionItemsUsed(),
                            knn && rank < config.getKnnItemsUsed(),
                            item.equals(beforeLast));
            if (snapshot != null) used.put(item, snapshot);
        }
        return recommend(sessionId, sessionItems, used, List.of(), k, scratch);
    }

    /** Up to this many distinct items are collected in a list (a scan finds one), not a set. */
    private static final int FEW = 32;

    /** The last {@code limit} distinct items of the session, latest first. */
    public static List<String> recentDistinct(List<String> sessionItems, int limit) {
        if (limit <= FEW) {
            // a few: a scan of the list instead of a hash set
            List<String> recent = new ArrayList<>(limit);
            for (int i = sessionItems.size() - 1; i >= 0 && recent.size() < limit; i--) {
                String item = sessionItems.get(i);
                if (!recent.contains(item)) recent.add(item);
            }
            return recent;
        }
        LinkedHashSet<String> recent = new LinkedHashSet<>();
        for (int i = sessionItems.size() - 1; i >= 0 && recent.size() < limit; i--)
            recent.add(sessionItems.get(i));
        return new ArrayList<>(recent);
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
        return recommend(sessionId, sessionItems, neighbours, popular, k, new Scratch());
    }

    /**
     * The ranking of {@link #recommend(String, List, Map, List, int)} with the working memory
     * {@code scratch}, whose texts may already number the snapshots' sampled items (when they were
     * decoded for this ranking).
     */
    private List<ScoredItem> recommend(
            String sessionId,
            List<String> sessionItems,
            Map<String, ItemNeighbours> neighbours,
            List<ScoredItem> popular,
            int k,
            Scratch scratch) {
        if (k <= 0) return List.of();
        Candidates candidates = scratch.candidates;
        candidates.clear();
        TextIds texts = scratch.texts;
        int n = sessionItems.size();
        if (n > 0) {
            String last = sessionItems.get(n - 1);
            double repeatW = config.getRepeatWeight();
            double ruleW = config.getSessionRuleWeight();
            double rho = config.getRepeatDecay();
            double decay = 1.0;
            for (int p = n - 1; p >= 0; p--, decay *= rho) {
                if (repeatW > 0) {
                    candidates.getOrAdd(sessionItems.get(p), texts).sessionScore += repeatW * decay;
                }
                if (ruleW > 0 && p < n - 1 && sessionItems.get(p).equals(last)) {
                    candidates.getOrAdd(sessionItems.get(p + 1), texts).sessionScore +=
                            ruleW * decay;
                }
            }
            int used = config.getSessionItemsUsed();
            Collection<String> seen = used <= FEW ? new ArrayList<>(used) : new HashSet<>();
            double lambda = config.getPositionDecay();
            double positionWeight = 1.0;
            for (int p = n - 1; p >= 0 && seen.size() < used; p--) {
                String item = sessionItems.get(p);
                if (seen.contains(item)) continue;
                seen.add(item);
                ItemNeighbours nb = neighbours.get(item);
                if (nb != null && nb.size() > 0) {
                    double denominator = norm(nb) + config.getShrinkage();
                    int[] ids = nb.itemIds();
                    if (positionWeight > 0 && denominator > 0 && ids != null) {
                        // decoded for this ranking: by id, unboxed (the same sums)
                        double[] weights = nb.weightValues();
                        for (int j = 0; j < ids.length; j++) {
                            double contribution = positionWeight * weights[j] / denominator;
                            Candidate c = candidates.getOrAdd(ids[j], texts);
                            c.neighbourScore += contribution;
                            if (contribution > c.bestContribution) {
                                c.bestContribution = contribution;
                                c.bestSource = item;
                            }
                        }
                    } else if (positionWeight > 0 && denominator > 0) {
                        List<String> items = nb.getItems();
                        List<Double> weights = nb.getWeights();
                        for (int j = 0; j < items.size(); j++) {
                            // divide last: w/w is exactly 1, so ties with repeat scores stay ties
                            double contribution = positionWeight * weights.get(j) / denominator;
                            Candidate c = candidates.getOrAdd(items.get(j), texts);
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
                sessionNeighbours(sessionId, sessionItems, neighbours, candidates, scratch);
            contextRules.score(
                    sessionItems,
                    neighbours,
                    (item, contribution, source) -> {
                        Candidate c = candidates.getOrAdd(item, texts);
                        c.neighbourScore += contribution;
                        if (contribution > c.bestContribution) {
                            c.bestContribution = contribution;
                            c.bestSource = source;
                        }
                    });
        }
        for (int r = 0; r < popular.size(); r++) {
            Candidate c = candidates.get(popular.get(r).getItemId(), texts);
            if (c != null && c.popularityRank == Integer.MAX_VALUE) c.popularityRank = r;
        }
        double sessionScale = 1, neighbourScale = 1;
        if (config.isAdaptiveRepeat() && n > 0) {
            double share = repeatShare(sessionItems);
            double sessionSum = 0, neighbourSum = 0;
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.at(i);
                sessionSum += c.sessionScore;
                neighbourSum += c.neighbourScore;
            }
            if (neighbourSum <= 0) share = 1;
            sessionScale = sessionSum > 0 ? share / sessionSum : 0;
            neighbourScale = neighbourSum > 0 ? (1 - share) / neighbourSum : 0;
        }
        // the best k in ranking order (a total order: ids are unique), without sorting the rest
        // kept in ranking order by insertion: at most k, the worst last
        int cap = Math.min(k, candidates.size());
        if (scratch.best.length < cap)
            scratch.best = new Candidate[Math.max(cap, 2 * scratch.best.length)];
        Candidate[] best = scratch.best;
        int ranked = 0;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.at(i);
            c.sessionScore *= sessionScale;
            c.neighbourScore *= neighbourScale;
            c.total = c.sessionScore + c.neighbourScore;
            if (c.total > 0 && (ranked < cap || BY_RANK.compare(c, best[cap - 1]) < 0)) {
                int at = ranked < cap ? ranked++ : cap - 1;
                while (at > 0 && BY_RANK.compare(c, best[at - 1]) < 0) {
                    best[at] = best[at - 1];
                    at--;
                }
                best[at] = c;
            }
        }
        List<ScoredItem> result = new ArrayList<>(k);
        for (int i = 0; i < ranked; i++) {
            Candidate c = best[i];
            best[i] = null;
            String reason =
                    c.sessionScore >= c.neighbourScore || c.bestSource == null
                            ? REASON_VIEWED + c.item()
                            : REASON_SIMILAR + c.bestSource;
            result.add(new ScoredItem(c.item(), c.total, reason));
        }
        for (int i = 0; i < popular.size() && result.size() < k; i++) {
            ScoredItem p = popular.get(i);
            Candidate c = candidates.get(p.getItemId(), texts);
            if (c == null || c.total <= 0) {
                result.add(new ScoredItem(p.getItemId(), 0.0, REASON_POPULAR));
                if (c == null) candidates.getOrAdd(p.getItemId(), texts);
                else c.total = 1; // never add twice
            }
        }
        return result;
    }

    /**
     * Working memory of the rankings of one thread (one operator instance per task thread): the
     * {@link TextIds} of the ranking's item and session ids, and the kNN part's arrays by id and by
     * candidate session, reused from one ranking to the next. Not thread-safe.
     */
    public static final class Scratch {
        final TextIds texts = new TextIds();
        final Candidates candidates = new Candidates();
        private Candidate[] best = new Candidate[64]; // the best candidates of a ranking, in order
        private int[] sessionIds = new int[16]; // the session's items by position
        // by id: the session's distinct items and their weight in the similarity
        private boolean[] inSession = new boolean[0];
        private double[] sessionWeight = new double[0];
        // by id: the kNN votes for the item: their sum, the largest single vote and its source
        private boolean[] voted = new boolean[0];
        private double[] voteTotal = new double[0];
        private double[] voteBest = new double[0];
        private int[] voteSource = new int[0];
        private int[] votedIds = new int[64]; // the voted ids in the order of their first votes
        // the candidate sessions ("pool"), by session id: index + 1 of its entry, 0 = none
        private int[] poolEntryById = new int[0];
        // the pool's entries in the order first seen: session id, time, where its items are
        private int[] poolKey = new int[64];
        private long[] poolTime = new long[64];
        private int[][] poolItems = new int[64][];
        private int[] poolFrom = new int[64];
        private int[] poolSize = new int[64];
        private int[] poolOrder = new int[64]; // the entries in HashMap order
        private int[] buckets = new int[64];
        // by id: the stamp of the sampled session the item was last seen in (a repeat within it)
        private int[] lastSeen = new int[0];
        private int stamp;
        // distinct ** lengthNorm for distinct below its length, for this lengthNorm
        private double[] lengthNorms = new double[0];
        private double lengthNormsOf = Double.NaN;

        /** The last-seen stamps by id, with room for ids below {@code size}. */
        int[] lastSeen(int size) {
            if (lastSeen.length < size) {
                lastSeen = new int[Math.max(size, lastSeen.length * 2)];
                stamp = 0;
            }
            return lastSeen;
        }

        /** A stamp no id of {@link #lastSeen} holds yet. */
        int nextStamp() {
            if (++stamp == 0) { // wrapped around: forget every stamp
                Arrays.fill(lastSeen, 0);
                stamp = 1;
            }
            return stamp;
        }

        /** {@code Math.pow(d, lengthNorm)} at index d, for d from 0 to {@code maxItems}. */
        double[] lengthNorms(double lengthNorm, int maxItems) {
            if (lengthNorms.length != maxItems + 1
                    || Double.doubleToLongBits(lengthNorm)
                            != Double.doubleToLongBits(lengthNormsOf)) {
                lengthNorms = new double[maxItems + 1];
                for (int d = 0; d <= maxItems; d++) lengthNorms[d] = Math.pow(d, lengthNorm);
                lengthNormsOf = lengthNorm;
            }
            return lengthNorms;
        }

        /** The session arrays cleared for ids below {@code size}. */
        void clearSession(int size) {
            if (inSession.length < size) {
                int capacity = Math.max(size, inSession.length * 2);
                inSession = new boolean[capacity];
                sessionWeight = new double[capacity];
            } else {
                Arrays.fill(inSession, 0, size, false);
            }
        }

        /** The vote arrays cleared for ids below {@code size}. */
        void clearVotes(int size) {
            if (voted.length < size) {
                int capacity = Math.max(size, voted.length * 2);
                voted = new boolean[capacity];
                voteTotal = new double[capacity];
                voteBest = new double[capacity];
                voteSource = new int[capacity];
            } else {
                Arrays.fill(voted, 0, size, false);
                Arrays.fill(voteTotal, 0, size, 0.0);
                Arrays.fill(voteBest, 0, size, 0.0);
            }
        }

        /** The pool emptied, with room for session ids below {@code size}. */
        void clearPool(int size) {
            if (poolEntryById.length < size)
                poolEntryById = new int[Math.max(size, poolEntryById.length * 2)];
            else Arrays.fill(poolEntryById, 0);
        }

        /** Room for session ids below {@code size}, keeping the pool. */
        void poolIdsBelow(int size) {
            if (poolEntryById.length < size)
                poolEntryById =
                        Arrays.copyOf(poolEntryById, Math.max(size, poolEntryById.length * 2));
        }

        /** Room for {@code size} pool entries. */
        void poolEntries(int size) {
            if (poolKey.length >= size) return;
            int capacity = Math.max(size, poolKey.length * 2);
            poolKey = Arrays.copyOf(poolKey, capacity);
            poolTime = Arrays.copyOf(poolTime, capacity);
            poolItems = Arrays.copyOf(poolItems, capacity);
            poolFrom = Arrays.copyOf(poolFrom, capacity);
            poolSize = Arrays.copyOf(poolSize, capacity);
            poolOrder = new int[capacity];
        }
    }

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
     *
     * <p>Sessions and items are compared, and votes summed, by their id in {@code scratch}'s texts
     * (a snapshot decoded without ids has its sample numbered here); a candidate is made only for
     * each voted item, in the order of their first votes. The candidate sessions are taken in the
     * order a {@code HashMap} keyed by their id texts would list them (ties in similarity, and so
     * the order of the sums of votes, depend on it), see {@link #hashMapOrder}.
     */
    private void sessionNeighbours(
            String sessionId,
            List<String> sessionItems,
            Map<String, ItemNeighbours> neighbours,
            Candidates candidates,
            Scratch scratch) {
        TextIds texts = scratch.texts;
        int n = sessionItems.size();
        if (scratch.sessionIds.length < n) scratch.sessionIds = new int[2 * n];
        int[] sessionIds = scratch.sessionIds;
        for (int p = 0; p < n; p++) sessionIds[p] = texts.idOf(sessionItems.get(p));
        // ids from here on are not session items
        int sessionLimit = texts.size();
        scratch.clearSession(sessionLimit);
        boolean[] inSession = scratch.inSession;
        double[] sessionWeight = scratch.sessionWeight;
        int own = sessionId == null ? -1 : texts.idOf(sessionId);
        scratch.clearPool(texts.size());
        int poolCount = 0;
        double r = 1.0;
        int used = 0;
        for (int p = n - 1; p >= 0; p--) {
            int itemId = sessionIds[p];
            if (inSession[itemId]) continue;
            inSession[itemId] = true;
            sessionWeight[itemId] = r;
            r *= config.getKnnRecency();
            if (used++ >= config.getKnnItemsUsed()) continue;
            ItemNeighbours nb = neighbours.get(sessionItems.get(p));
            if (nb == null || nb.getSampleSessions() == null) continue;
            List<Integer> sizes = nb.getSampleSizes();
            List<Long> times = nb.getSampleTimes();
            int[] keys = nb.sampleSessionIds();
            if (keys == null) keys = idsOf(nb.getSampleSessions(), texts);
            int[] all = nb.sampleItemIds();
            if (all == null) all = idsOf(nb.getSampleItems(), texts);
            scratch.poolIdsBelow(texts.size());
            scratch.poolEntries(poolCount + keys.length);
            int[] entryById = scratch.poolEntryById;
            int offset = 0;
            for (int i = 0; i < keys.length; i++) {
                int size = sizes.get(i);
                int key = keys[i];
                if (key != own) {
                    long time = times.get(i);
                    int entry = entryById[key] - 1;
                    if (entry < 0) {
                        entry = poolCount++;
                        entryById[key] = entry + 1;
                        scratch.poolKey[entry] = key;
                    } else if (!(time > scratch.poolTime[entry]
                            || (time == scratch.poolTime[entry]
                                    && size > scratch.poolSize[entry]))) {
                        entry = -1;
                    }
                    if (entry >= 0) {
                        scratch.poolTime[entry] = time;
                        scratch.poolItems[entry] = all;
                        scratch.poolFrom[entry] = offset;
                        scratch.poolSize[entry] = size;
                    }
                }
                offset += size;
            }
        }
        if (poolCount == 0) return;
        long[] poolTime = scratch.poolTime;
        int[][] poolItems = scratch.poolItems;
        int[] poolFrom = scratch.poolFrom;
        int[] poolSize = scratch.poolSize;
        int[] poolOrder = scratch.poolOrder;
        hashMapOrder(scratch, poolCount);
        long newest = Long.MIN_VALUE;
        for (int e = 0; e < poolCount; e++) newest = Math.max(newest, poolTime[e]);
        double lengthNorm = config.getKnnLengthNorm();
        double halfLife = config.getKnnHalfLifeMillis();
        double[] sims = new double[poolCount];
        int[] order = new int[poolCount]; // indexes of the sessions with a similarity
        int scoredCount = 0;
        int[] anchor = new int[poolCount];
        // distinct ** lengthNorm, the same Math.pow computed once per count
        double[] lengthNorms = scratch.lengthNorms(lengthNorm, config.getSessionSampleItems());
        int[] lastSeen = scratch.lastSeen(texts.size());
        for (int s = 0; s < poolCount; s++) {
            int e = poolOrder[s];
            int[] items = poolItems[e];
            int from = poolFrom[e], to = from + poolSize[e];
            double sim = 0, best = -1;
            int distinct = 0;
            int stamp = scratch.nextStamp(); // lastSeen[item] == stamp: seen in this session
            for (int q = from; q < to; q++) {
                int item = items[q];
                boolean shared = item < sessionLimit && inSession[item];
                double w = shared ? sessionWeight[item] : 0;
                boolean repeated = lastSeen[item] == stamp;
                lastSeen[item] = stamp;
                if (shared && w >= best) {
                    best = w;
                    anchor[s] = q - from;
                }
                if (repeated) continue;
                distinct++;
                if (shared) sim += w;
            }
            if (sim <= 0) continue;
            if (lengthNorm != 0)
                sim /=
                        distinct < lengthNorms.length
                                ? lengthNorms[distinct]
                                : Math.pow(distinct, lengthNorm);
            if (newest > poolTime[e]) sim *= Math.pow(0.5, (newest - poolTime[e]) / halfLife);
            sims[s] = sim;
            order[scoredCount++] = s;
        }
        if (scoredCount == 0) return;
        int keep = Math.min(config.getKnnNeighbours(), scoredCount);
        // the most similar first, ties in pool order: only the first keep are read
        keepMostSimilar(sims, order, scoredCount, keep);
        double decay = config.getKnnItemDecay(), before = config.getKnnBefore();
        double[] powers = new double[config.getSessionSampleItems() + 1];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) powers[i] = powers[i - 1] * decay;
        double repeatVotes = config.getKnnRepeatWeight();
        // summed by id; the voted ids in the order of their first votes
        scratch.clearVotes(texts.size());
        boolean[] voted = scratch.voted;
        double[] voteTotal = scratch.voteTotal;
        double[] voteBest = scratch.voteBest;
        int[] voteSource = scratch.voteSource;
        int[] votedIds = scratch.votedIds;
        int votedCount = 0;
        double max = 0;
        for (int t = 0; t < keep; t++) {
            int s = order[t];
            double sim = sims[s];
            int e = poolOrder[s];
            int[] items = poolItems[e];
            int from = poolFrom[e];
            int a = anchor[s];
            int source = items[from + a];
            for (int q = 0; q < poolSize[e]; q++) {
                double v = sim * powers[Math.abs(q - a)] * (q < a ? before : 1.0);
                if (v <= 0) continue;
                int item = items[from + q];
                if (repeatVotes != 1 && item < sessionLimit && inSession[item]) {
                    v *= repeatVotes;
                    if (v <= 0) continue;
                }
                if (!voted[item]) {
                    voted[item] = true;
                    if (votedCount == votedIds.length)
                        votedIds = scratch.votedIds = Arrays.copyOf(votedIds, votedCount * 2);
                    votedIds[votedCount++] = item;
                }
                double total = voteTotal[item] += v;
                if (total > max) max = total;
                if (v > voteBest[item]) {
                    voteBest[item] = v;
                    voteSource[item] = source;
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
                            Math.min(1.0, poolCount / (double) config.getKnnPoolTarget()),
                            config.getKnnPoolPower());
        }
        for (int i = 0; i < votedCount; i++) {
            int item = votedIds[i];
            Candidate c = candidates.getOrAdd(item, texts);
            double contribution = voteTotal[item] * scale;
            c.neighbourScore += contribution;
            if (contribution > c.bestContribution) {
                c.bestContribution = contribution;
                c.bestSource = texts.text(voteSource[item]);
            }
        }
    }

    private static int[] idsOf(List<String> values, TextIds texts) {
        int[] ids = new int[values.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = texts.idOf(values.get(i));
        return ids;
    }

    /** {@link java.util.HashMap}'s treeify threshold: a bin of more entries becomes a tree. */
    private static final int HASH_MAP_TREEIFY_THRESHOLD = 8;

    /**
     * Sets {@code scratch.poolOrder} to the pool's first {@code count} entries (numbered in the
     * order first seen) in the order {@code new HashMap<String, ?>()} lists them when their id
     * texts are put in that order: by bin (the spread hash modulo the table size, which starts at
     * 16 and doubles when the map grows past 3/4 of it), first put first within a bin. That holds
     * while no bin ever holds more than {@link #HASH_MAP_TREEIFY_THRESHOLD} entries (a longer bin
     * is made a tree, or the table grows early); otherwise the order is taken from a real HashMap
     * of the texts.
     */
    private static void hashMapOrder(Scratch scratch, int count) {
        TextIds texts = scratch.texts;
        int[] keys = scratch.poolKey;
        int[] order = scratch.poolOrder;
        int capacity = 16;
        boolean linear = true;
        while (true) {
            int threshold = capacity * 3 / 4;
            // the entries put while the table had this size (the one after the threshold too)
            int held = capacity == 1 << 30 ? count : Math.min(count, threshold + 1);
            if (scratch.buckets.length < capacity) scratch.buckets = new int[capacity];
            int[] buckets = scratch.buckets;
            Arrays.fill(buckets, 0, capacity, 0);
            int mask = capacity - 1;
            for (int e = 0; e < held; e++) {
                int h = texts.hash(keys[e]);
                if (++buckets[(h ^ (h >>> 16)) & mask] > HASH_MAP_TREEIFY_THRESHOLD) linear = false;
            }
            if (!linear || count <= threshold) break;
            capacity *= 2;
        }
        if (linear) {
            // a stable counting sort by bin (the bins of the final table are counted)
            int[] starts = scratch.buckets;
            for (int b = 0, at = 0; b < capacity; b++) {
                int c = starts[b];
                starts[b] = at;
                at += c;
            }
            int mask = capacity - 1;
            for (int e = 0; e < count; e++) {
                int h = texts.hash(keys[e]);
                order[starts[(h ^ (h >>> 16)) & mask]++] = e;
            }
        } else {
            Map<String, Integer> map = new HashMap<>();
            for (int e = 0; e < count; e++) map.put(texts.text(keys[e]), e);
            int at = 0;
            for (int e : map.values()) order[at++] = e;
        }
    }

    /**
     * Leaves in the first {@code keep} places of {@code order} (its first {@code count} increasing
     * on entry) what {@link #sortBySimilarity} would put there: the {@code keep} most similar by
     * {@link Double#compare}, equal ones in increasing index. Beyond {@code keep} places the order
     * is unspecified. When fewer are kept than scored, the keep-th largest similarity is selected
     * first and only the indexes above it (and enough of those equal to it, the smallest first) are
     * sorted: a full sort of a pool of about 150 sessions for the 50 that vote was a tenth of the
     * recommendations task (issue 11).
     */
    static void keepMostSimilar(double[] sims, int[] order, int count, int keep) {
        if (keep >= count || keep <= 0) {
            sortBySimilarity(sims, order, count);
            return;
        }
        double[] values = new double[count];
        for (int i = 0; i < count; i++) values[i] = sims[order[i]];
        double threshold = largest(values, count, keep); // values reordered
        int above = 0;
        for (int i = 0; i < count; i++) if (Double.compare(values[i], threshold) > 0) above++;
        int equalWanted = keep - above;
        int kept = 0;
        for (int i = 0; i < count && kept < keep; i++) {
            int c = Double.compare(sims[order[i]], threshold);
            if (c > 0 || (c == 0 && equalWanted-- > 0)) order[kept++] = order[i];
        }
        sortBySimilarity(sims, order, keep);
    }

    /**
     * The {@code k}-th largest of {@code values[0 .. count)} by {@link Double#compare} ({@code 1 <=
     * k <= count}); reorders {@code values}. Quickselect with a median-of-three pivot.
     */
    static double largest(double[] values, int count, int k) {
        int lo = 0, hi = count - 1, target = k - 1; // the target-th place in decreasing order
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // median of three to values[mid]
            if (Double.compare(values[lo], values[mid]) < 0) swap(values, lo, mid);
            if (Double.compare(values[mid], values[hi]) < 0) swap(values, mid, hi);
            if (Double.compare(values[lo], values[mid]) < 0) swap(values, lo, mid);
            double pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j) {
                while (Double.compare(values[i], pivot) > 0) i++;
                while (Double.compare(values[j], pivot) < 0) j--;
                if (i <= j) swap(values, i++, j--);
            }
            // now [lo, j] >= pivot >= [i, hi], and (j, i) equals the pivot
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return pivot;
        }
        return values[target];
    }

    private static void swap(double[] values, int a, int b) {
        double v = values[a];
        values[a] = values[b];
        values[b] = v;
    }

    /**
     * Sorts the first {@code count} indexes of {@code order} (increasing on entry) by decreasing
     * {@code sims[i]} ({@link Double#compare}), equal ones staying in increasing index: a stable
     * merge sort on primitives.
     */
    static void sortBySimilarity(double[] sims, int[] order, int count) {
        int[] from = order, to = new int[count];
        for (int width = 1; width < count; width *= 2) {
            for (int lo = 0; lo < count; lo += 2 * width) {
                int mid = Math.min(lo + width, count), hi = Math.min(lo + 2 * width, count);
                int i = lo, j = mid, o = lo;
                while (i < mid && j < hi)
                    to[o++] =
                            Double.compare(sims[from[j]], sims[from[i]]) > 0
                                    ? from[j++]
                                    : from[i++];
                while (i < mid) to[o++] = from[i++];
                while (j < hi) to[o++] = from[j++];
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != order) System.arraycopy(from, 0, order, 0, count);
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
     * Decays all of the model's values to {@code eventTime} (never backwards), in steps of at least
     * 1/256 of a half-life: a popular item gets many steps per second and decaying its maps on each
     * would dominate the job, while a step's weight is off by at most 0.3% this way. The model's
     * {@code lastUpdate} is the time it was last decayed to.
     */
    void decayTo(ItemModel model, long eventTime) {
        if (model.getLastUpdate() <= 0) {
            model.setLastUpdate(eventTime);
            return;
        }
        long elapsed = eventTime - model.getLastUpdate();
        if (elapsed < Math.max(1, config.getHalfLifeMillis() / DECAY_STEPS_PER_HALF_LIFE)) return;
        double factor = Math.pow(0.5, (double) elapsed / config.getHalfLifeMillis());
        model.followed().scale(factor);
        model.preceded().scale(factor);
        model.rules().scale(factor);
        model.setOccurrences(model.getOccurrences() * factor);
        model.setLastUpdate(eventTime);
    }

    /**
     * Decay granularity: the model is decayed when at least this fraction of a half-life has
     * passed.
     */
    static final long DECAY_STEPS_PER_HALF_LIFE = 256;
}
