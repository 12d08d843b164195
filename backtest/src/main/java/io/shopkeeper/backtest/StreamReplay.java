package io.shopkeeper.backtest;

import io.shopkeeper.backtest.Backtest.Evaluation;
import io.shopkeeper.backtest.Backtest.State;
import io.shopkeeper.backtest.Backtest.StreamList;
import io.shopkeeper.backtest.SessionData.Session;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.profile.ProfileUpdater;
import io.shopkeeper.jobs.recommend.ItemNeighbours;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.schemas.ScoredItem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The backtest's {@code stream} mode: replays the sessions as the personalization job sees them,
 * one event at a time, and ranks exactly what the job writes under {@code sk:recs:{visitor}} after
 * each event. It mirrors the job's data flow step by step:
 *
 * <ul>
 *   <li>Each session is a new anonymous visitor: session number {@code n} (0-based, training
 *       sessions first, then test sessions, in file order) is visitor {@code anon-s<n>} with the
 *       storefront's session id {@code s<n>}, so the recommender's session id is {@code
 *       anon-s<n>/s<n>} (what {@code ProfileFunction} builds). Session ids matter beyond identity:
 *       they key the session-kNN pool, whose iteration order breaks similarity ties.
 *   <li>All events of both files are replayed in event-time order (ties: session number, then
 *       position), the order of a time-ordered topic; sessions that overlap in time interleave.
 *   <li>The visitor's session holds its last {@link ProfileUpdater#MAX_SESSION_ITEMS} items (the
 *       profile's cap) and starts afresh after more than the job's session gap without events.
 *   <li>Per event: the learning steps {@code updatesFor(sessionId, sessionItems)} are applied to
 *       the item models at the event's time (the item-model operator); then the viewed item's
 *       neighbour snapshot is taken after its steps and cached for the visitor, replacing that
 *       item's older one and dropping the snapshots of items that left the session (the
 *       recommendation operator's cache); then {@code recommend(sessionId, sessionItems, the cached
 *       snapshots of the last distinct items, no popular list, k)}: items never viewed again keep
 *       the snapshot of their last view.
 * </ul>
 *
 * Metrics: the ranking after event {@code p} of a test session predicts its item {@code p+1}; for
 * HR and MRR the job's list is completed with the most popular items it does not contain (what a
 * storefront would show in the free slots), so the figures compare with the other modes. The
 * observer sees the job's list alone.
 */
final class StreamReplay {
    /**
     * The job's default session gap (ProfileFunction starts a new session after more than this).
     */
    static final long SESSION_GAP_MILLIS = JobConfig.builder().build().sessionGap().toMillis();

    /** The profile keeps at most this many session items, oldest dropped first. */
    static final int SESSION_ITEMS = ProfileUpdater.MAX_SESSION_ITEMS;

    private StreamReplay() {}

    /** Visitor {@code anon-s<n>} for session number {@code n}. */
    static String visitor(int n) {
        return "anon-s" + n;
    }

    /** The storefront's session id {@code s<n>} for session number {@code n}. */
    static String storefrontSession(int n) {
        return "s" + n;
    }

    /**
     * One visitor's state in the job: profile session items and the recommendation operator's
     * cache.
     */
    private static final class Visitor {
        final String id;
        final String sessionId;
        final List<String> sessionItems = new ArrayList<>(SESSION_ITEMS + 1);
        final Map<String, ItemNeighbours> snapshots = new HashMap<>();
        long lastSeen = Long.MIN_VALUE;

        /** Whole-session item counts for S-POP (test sessions only). */
        final Map<String, Integer> counts = new HashMap<>();

        Visitor(int n) {
            this.id = visitor(n);
            this.sessionId = id + "/" + storefrontSession(n);
        }
    }

    /**
     * Replays {@code train} then {@code test} sessions (numbered in that order) as one time-ordered
     * stream, measuring on the test sessions. {@code observer} (may be null) gets every list.
     */
    static Evaluation replay(
            List<Session> train,
            List<Session> test,
            SessionRecommender recommender,
            int k,
            Consumer<StreamList> observer) {
        long start = System.nanoTime();
        List<Session> all = new ArrayList<>(train.size() + test.size());
        all.addAll(train);
        all.addAll(test);
        State state = new State();
        for (Session s : train) state.trainItems.addAll(s.items());
        state.refreshPopularity();
        Evaluation ev = new Evaluation();
        ev.trainItems = state.trainItems.size();

        int[][] events = order(all);
        Map<Integer, Visitor> visitors = new HashMap<>();
        for (int[] event : events) {
            int n = event[0], p = event[1];
            Session session = all.get(n);
            boolean isTest = n >= train.size();
            String item = session.items().get(p);
            long time = session.times()[p];
            Visitor v = visitors.computeIfAbsent(n, Visitor::new);

            // profile: a new session after the gap, then the item appended under the cap
            if (!v.sessionItems.isEmpty() && time - v.lastSeen > SESSION_GAP_MILLIS) {
                v.sessionItems.clear();
                v.snapshots.clear();
            }
            v.lastSeen = Math.max(v.lastSeen, time);
            v.sessionItems.add(item);
            if (v.sessionItems.size() > SESSION_ITEMS) v.sessionItems.remove(0);
            List<String> sessionItems = List.copyOf(v.sessionItems);

            // item models: learn the steps, snapshot the viewed item after its steps
            Backtest.learn(state, recommender, v.sessionId, sessionItems, time, null);
            if (state.learnedSinceRefresh >= Backtest.POPULARITY_REFRESH) state.refreshPopularity();
            ItemNeighbours current = recommender.neighbours(item, state.models.get(item));

            // recommendations: cache the snapshot, forget items that left the session, rank
            v.snapshots.put(item, current);
            v.snapshots.keySet().retainAll(new HashSet<>(sessionItems));
            long t0 = System.nanoTime();
            List<ScoredItem> ranked =
                    recommender.rankForVisitor(v.sessionId, sessionItems, v.snapshots::get, k);
            long nanos = System.nanoTime() - t0;
            if (observer != null) {
                observer.accept(
                        new StreamList(
                                v.id,
                                storefrontSession(n),
                                p,
                                time,
                                item,
                                isTest,
                                List.copyOf(ranked)));
            }

            if (isTest) {
                v.counts.merge(item, 1, Integer::sum);
                if (p + 1 < session.size())
                    score(ev, state, v.counts, ranked, session.items().get(p + 1), k, nanos);
            }
            if (p + 1 == session.size())
                visitors.remove(n); // a session is a visitor: never seen again
        }
        ev.finish(state.trainItems, start);
        return ev;
    }

    /**
     * Events as {session number, position}, in event-time order; ties by session number, then
     * position.
     */
    static int[][] order(List<Session> sessions) {
        int total = 0;
        for (Session s : sessions) total += s.size();
        int[][] events = new int[total][];
        int i = 0;
        for (int n = 0; n < sessions.size(); n++) {
            for (int p = 0; p < sessions.get(n).size(); p++) events[i++] = new int[] {n, p};
        }
        Arrays.sort(
                events,
                Comparator.<int[]>comparingLong(e -> sessions.get(e[0]).times()[e[1]])
                        .thenComparingInt(e -> e[0])
                        .thenComparingInt(e -> e[1]));
        return events;
    }

    private static void score(
            Evaluation ev,
            State state,
            Map<String, Integer> sessionCounts,
            List<ScoredItem> ranked,
            String target,
            int k,
            long nanos) {
        List<String> served = new ArrayList<>(k);
        Set<String> in = new HashSet<>();
        for (ScoredItem s : ranked) {
            if (served.size() == k) break;
            if (in.add(s.getItemId())) served.add(s.getItemId());
        }
        for (ScoredItem p : state.popular) {
            if (served.size() == k) break;
            if (in.add(p.getItemId())) served.add(p.getItemId());
        }
        ev.latency(nanos);
        int rank = served.indexOf(target);
        if (rank >= 0) {
            ev.hits++;
            ev.rr += 1.0 / (rank + 1);
        }
        ev.recommended.addAll(served);
        ev.popularity(state, served);
        Integer popRank = state.popularRank.get(target);
        if (popRank != null && popRank < k) {
            ev.popHits++;
            ev.popRr += 1.0 / (popRank + 1);
        }
        int spop = Backtest.spopRank(state, sessionCounts, target, k);
        if (spop > 0) {
            ev.spopHits++;
            ev.spopRr += 1.0 / spop;
        }
        ev.cases++;
    }
}
