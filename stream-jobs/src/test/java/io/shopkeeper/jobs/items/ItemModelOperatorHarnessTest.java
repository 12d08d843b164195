package io.shopkeeper.jobs.items;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.jobs.visitor.RankingRequest;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ItemModelOperatorHarnessTest {
    private static final SessionRecommender RECOMMENDER =
            new SessionRecommender(RecommenderConfig.defaults());
    private static final long PUBLISH_MS = 1_000;
    private KeyedOneInputStreamOperatorTestHarness<String, ItemMessage, NeighboursReply> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemMessage, NeighboursReply>
            open(int cacheSize, OperatorSubtaskState restore) throws Exception {
        return open(cacheSize, restore, 0);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemMessage, NeighboursReply>
            open(int cacheSize, OperatorSubtaskState restore, long refreshMillis) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ItemModelOperator(
                                RECOMMENDER,
                                Duration.ofDays(30),
                                Duration.ofMillis(PUBLISH_MS),
                                Duration.ofMillis(refreshMillis),
                                cacheSize),
                        ItemMessage::getItemId,
                        Types.STRING);
        if (restore != null) h.initializeState(restore);
        h.open();
        return h;
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    /**
     * The steps a session a -> b -> c implies, grouped per item as the profile operator sends them.
     */
    private void learnSession(long at, String... items) throws Exception {
        List<String> session = new ArrayList<>();
        for (String item : items) {
            session.add(item);
            java.util.Map<String, ItemMessage> byItem = new java.util.LinkedHashMap<>();
            for (ItemUpdate update : RECOMMENDER.updatesFor(new ArrayList<>(session))) {
                byItem.computeIfAbsent(update.getItemId(), i -> new ItemMessage(i, at))
                        .getUpdates()
                        .add(update);
            }
            for (ItemMessage m : byItem.values()) harness.processElement(m, at);
        }
    }

    private List<String> neighboursOf(String item) throws Exception {
        RankingRequest request =
                new RankingRequest("v", new ArrayList<>(List.of(item)), new ArrayList<>(), 1L);
        int before = harness.extractOutputValues().size();
        harness.processElement(ItemMessage.lookup(item, request), 1L);
        List<NeighboursReply> replies = harness.extractOutputValues();
        assertThat(replies).hasSize(before + 1);
        return replies.get(replies.size() - 1).getNeighbours().getItems();
    }

    @Test
    void aRequestIsAnsweredWithTheNeighboursLearnedSoFar() throws Exception {
        harness = open(100, null);
        learnSession(1_000, "a", "b", "c");
        learnSession(2_000, "a", "b");

        assertThat(neighboursOf("a")).startsWith("b").contains("c");
        assertThat(neighboursOf("unknown")).isEmpty();
    }

    @Test
    void changedModelsArePublishedOncePerIntervalOfProcessingTime() throws Exception {
        harness = open(100, null);
        harness.setProcessingTime(0);
        learnSession(1_000, "a", "b");
        assertThat(harness.getSideOutput(ItemModelOperator.SIMILAR_ITEMS)).isNull();

        harness.setProcessingTime(PUBLISH_MS);
        List<RedisWrite> published =
                harness.getSideOutput(ItemModelOperator.SIMILAR_ITEMS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(published).extracting(RedisWrite::getKey).contains(RedisKeys.similarItems("a"));
        RedisWrite a =
                published.stream()
                        .filter(w -> w.getKey().equals(RedisKeys.similarItems("a")))
                        .findFirst()
                        .orElseThrow();
        assertThat(a.getList().getItems()).extracting(ScoredItem::getItemId).contains("b");
        assertThat(a.getList().getItems())
                .extracting(ScoredItem::getReason)
                .containsOnly("similar_to:a");

        int count = published.size();
        harness.setProcessingTime(2 * PUBLISH_MS);
        assertThat(harness.getSideOutput(ItemModelOperator.SIMILAR_ITEMS)).hasSize(count);
    }

    private List<String> publishedSimilarTo(String item) {
        List<RedisWrite> lists =
                harness.getSideOutput(ItemModelOperator.SIMILAR_ITEMS).stream()
                        .map(StreamRecord::getValue)
                        .filter(w -> w.getKey().equals(RedisKeys.similarItems(item)))
                        .toList();
        return lists.get(lists.size() - 1).getList().getItems().stream()
                .map(ScoredItem::getItemId)
                .toList();
    }

    @Test
    void theListPublishedIsTheCurrentModelsWhetherOrNotARequestComputedItLast() throws Exception {
        harness = open(100, null);
        harness.setProcessingTime(0);
        learnSession(1_000, "a", "b", "c");
        List<String> replied = neighboursOf("a"); // computed on the model as it is now

        harness.setProcessingTime(PUBLISH_MS);
        assertThat(publishedSimilarTo("a")).isEqualTo(replied).startsWith("b");

        neighboursOf("a"); // a request alone changes nothing: nothing to publish
        learnSession(2_000, "a", "d");
        neighboursOf("a");
        learnSession(3_000, "a", "e"); // changed after the last request: computed at publishing

        harness.setProcessingTime(2 * PUBLISH_MS);
        assertThat(publishedSimilarTo("a")).contains("b", "c", "d", "e");
        assertThat(publishedSimilarTo("a")).isEqualTo(neighboursOf("a"));
    }

    @Test
    void modelsEvictedFromABoundedCacheAreWrittenBackAndReadAgain() throws Exception {
        harness = open(2, null);
        learnSession(1_000, "a", "b", "c", "d", "e");
        learnSession(2_000, "x", "y", "z");

        assertThat(neighboursOf("a")).contains("b", "c");
        assertThat(neighboursOf("d")).contains("e");
    }

    @Test
    void modelsSurviveSnapshotAndRestoreBecauseTheCacheIsFlushedBeforeTheBarrier()
            throws Exception {
        harness = open(1_000, null);
        learnSession(1_000, "a", "b", "c");
        harness.prepareSnapshotPreBarrier(1L); // what the task does before every checkpoint barrier
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(1_000, snapshot);
        assertThat(neighboursOf("a")).contains("b", "c");
        assertThat(neighboursOf("b")).contains("c");
    }

    @Test
    void aModelLeftUnchangedIsWrittenBackAheadOfTheBarrierAndAChangingOneAtIt() throws Exception {
        harness = open(1_000, null);
        harness.setProcessingTime(0);
        learnSession(1_000, "a", "b");
        long idle = ItemModelOperator.WRITE_BACK_IDLE.toMillis();
        harness.setProcessingTime(idle + ItemModelOperator.WRITE_BACK_TICK.toMillis());
        learnSession(2_000, "x", "y"); // changed just now: still dirty
        // No barrier write-back: the snapshot holds what was written back in the background.
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(1_000, snapshot);
        assertThat(neighboursOf("a")).containsExactly("b");
        assertThat(neighboursOf("x")).isEmpty();
    }

    /** A message with the steps of item {@code item} alone viewed, at event time {@code at}. */
    private void view(long at, String item) throws Exception {
        ItemMessage message = new ItemMessage(item, at);
        message.getUpdates().addAll(RECOMMENDER.updatesFor(new ArrayList<>(List.of(item))));
        harness.processElement(message, at);
    }

    @Test
    void theLeastRecentlyUsedModelIsEvictedAndItsPendingChangePublishedAtOnce() throws Exception {
        harness = open(2, null);
        harness.setProcessingTime(0);
        learnSession(1_000, "a", "b"); // cached: a, b; both changed, not published
        neighboursOf("a"); // a request uses a: b is now the least recently used
        assertThat(publishedItems()).isEmpty();

        view(2_000, "c"); // a third model: b leaves the cache, its change goes out now

        assertThat(publishedItems()).containsExactly(RedisKeys.similarItems("b"));
        view(3_000, "d"); // then a (c and d are newer)
        assertThat(publishedItems())
                .containsExactly(RedisKeys.similarItems("b"), RedisKeys.similarItems("a"));
        // both were written back at their eviction and are read again
        assertThat(neighboursOf("a")).containsExactly("b");

        harness.setProcessingTime(PUBLISH_MS); // the interval publishes the rest once
        assertThat(publishedItems()).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void aModelChangedAgainMovesBehindTheModelsChangedBeforeItInTheWriteBack() throws Exception {
        harness = open(1_000, null);
        harness.setProcessingTime(0);
        learnSession(1_000, "a", "b");
        learnSession(1_000, "b", "z"); // changed at 0, in this order: a, b, z
        harness.setProcessingTime(ItemModelOperator.WRITE_BACK_TICK.toMillis()); // next tick: 2 s
        harness.setProcessingTime(1_500);
        learnSession(2_000, "a", "c"); // a changed again: b, z, a, c
        // the tick at 2 s writes back the models idle since 0: b and z, not a (changed since)
        harness.setProcessingTime(ItemModelOperator.WRITE_BACK_IDLE.toMillis());
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = open(1_000, snapshot);
        assertThat(neighboursOf("b")).contains("z");
        assertThat(neighboursOf("a")).isEmpty();
    }

    /**
     * Opens with a refresh interval of five publish intervals (returned) and has a and b learned
     * and published once.
     */
    private long aAndBPublishedWithRefresh(int cacheSize) throws Exception {
        long refresh = 5 * PUBLISH_MS;
        harness = open(cacheSize, null, refresh);
        harness.setProcessingTime(0);
        learnSession(1_000, "a", "b");
        harness.setProcessingTime(PUBLISH_MS);
        assertThat(publishedItems())
                .containsExactlyInAnyOrder(
                        RedisKeys.similarItems("a"), RedisKeys.similarItems("b"));
        return refresh;
    }

    @Test
    void aChangedItemIsRepublishedOncePerRefreshIntervalAndAnUnpublishedOneAtTheNextInterval()
            throws Exception {
        long refresh = aAndBPublishedWithRefresh(1_000);

        learnSession(2_000, "a", "c"); // a changes within its refresh interval, c is new
        harness.setProcessingTime(2 * PUBLISH_MS);
        assertThat(publishedItems()).containsOnlyOnce(RedisKeys.similarItems("a"));
        assertThat(publishedItems()).containsOnlyOnce(RedisKeys.similarItems("c"));

        for (long t = 3 * PUBLISH_MS; t < PUBLISH_MS + refresh; t += PUBLISH_MS) {
            harness.setProcessingTime(t);
            assertThat(publishedItems()).containsOnlyOnce(RedisKeys.similarItems("a"));
        }
        harness.setProcessingTime(PUBLISH_MS + refresh);
        // the refresh interval is over: a's change goes out, the current model's list
        assertThat(publishedItems()).hasSize(4).endsWith(RedisKeys.similarItems("a"));
        assertThat(publishedSimilarTo("a")).contains("b", "c").isEqualTo(neighboursOf("a"));

        harness.setProcessingTime(PUBLISH_MS + 3 * refresh);
        assertThat(publishedItems()).hasSize(4); // nothing changed since: nothing published
    }

    @Test
    void aChangeWaitingForItsRefreshIsPublishedFromTheStateWhenTheModelLeftTheCache()
            throws Exception {
        long refresh = aAndBPublishedWithRefresh(2);

        learnSession(2_000, "a", "c"); // a waits for its refresh interval
        learnSession(3_000, "x", "y"); // a and c leave the cache of two
        assertThat(publishedItems()).containsOnlyOnce(RedisKeys.similarItems("a"));

        for (long t = 2 * PUBLISH_MS; t <= PUBLISH_MS + refresh; t += PUBLISH_MS)
            harness.setProcessingTime(t);
        assertThat(publishedItems())
                .containsSubsequence(RedisKeys.similarItems("a"), RedisKeys.similarItems("a"));
        assertThat(publishedSimilarTo("a")).contains("b", "c").isEqualTo(neighboursOf("a"));
    }

    private List<String> publishedItems() {
        var out = harness.getSideOutput(ItemModelOperator.SIMILAR_ITEMS);
        return out == null ? List.of() : out.stream().map(r -> r.getValue().getKey()).toList();
    }

    @Test
    void manyChangedItemsArePublishedInSlicesWithRequestsAnsweredInBetween() throws Exception {
        harness = open(1_000, null);
        harness.setProcessingTime(0);
        int items = 2 * ItemModelOperator.PUBLISH_SLICE + 10;
        for (int i = 0; i < items; i++) learnSession(1_000, "p" + i, "q" + i);
        int changed = 2 * items;

        harness.setProcessingTime(PUBLISH_MS);
        assertThat(publishedItems()).hasSize(ItemModelOperator.PUBLISH_SLICE);
        // A request arriving now is answered before the next slice is published.
        assertThat(neighboursOf("p0")).containsExactly("q0");
        assertThat(publishedItems()).hasSize(ItemModelOperator.PUBLISH_SLICE);

        for (long t = PUBLISH_MS + 1; publishedItems().size() < changed; t++) {
            assertThat(t).isLessThan(PUBLISH_MS + changed);
            harness.setProcessingTime(t);
        }
        assertThat(publishedItems()).doesNotHaveDuplicates().hasSize(changed);
        // The next interval starts after the last slice: nothing changed since, nothing published.
        harness.setProcessingTime(PUBLISH_MS * 10);
        assertThat(publishedItems()).hasSize(changed);
    }
}
