package io.shopkeeper.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProfileWrites}: live, every write at once, exactly {@link ProfileOutputs#redisWrites}; in
 * a backlog, one document per visitor per flush (before a barrier, after {@link
 * ProfileWrites#FLUSH_MILLIS}, once live again) with every event counted, every other write at once
 * and after its key's waiting document, and Redis ending as the uncoalesced writes leave it.
 */
class ProfileWritesHarnessTest {
    private static final Duration BACKLOG_LAG = Duration.ofSeconds(15);
    private static final long NOW = 1_800_000_000_000L;

    private OneInputStreamOperatorTestHarness<ProfileUpdate, RedisWrite> harness;
    private final List<RedisWrite> uncoalesced = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new ProfileWrites(BACKLOG_LAG));
        harness.setProcessingTime(NOW);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void liveEveryWriteGoesOutAtOnce() throws Exception {
        harness.processWatermark(NOW - 1_000);
        send(step("v1", 1, "vip", true));
        send(step("v1", 2, null, false));
        send(step("v2", 1, null, false));

        assertThat(out()).usingRecursiveFieldByFieldElementComparator().isEqualTo(uncoalesced);
    }

    @Test
    void inABacklogEachVisitorsDocumentGoesOutOncePerFlushWithEveryEventCounted() throws Exception {
        harness.processWatermark(NOW - BACKLOG_LAG.toMillis() - 60_000);
        send(step("v1", 1, "vip", true));
        send(step("v2", 1, null, false));
        send(step("v1", 2, null, false));
        send(step("v1", 3, "vip", false));

        assertThat(out())
                .as("segment sets at once, documents wait")
                .allMatch(w -> w.getProfile() == null)
                .hasSize(4);
        harness.prepareSnapshotPreBarrier(1L);

        List<RedisWrite> profiles = out().stream().filter(w -> w.getProfile() != null).toList();
        assertThat(profiles)
                .as("in the order of their latest documents")
                .extracting(RedisWrite::getKey)
                .containsExactly(RedisKeys.profile("v2"), RedisKeys.profile("v1"));
        assertThat(profiles.get(1).getProfile().getEvents()).as("the latest").isEqualTo(3);
        assertThat(profiles).extracting(RedisWrite::getEventsApplied).containsExactly(1, 3);
        assertThat(redis(out())).isEqualTo(redis(uncoalesced));
        assertThat(eventsApplied(out())).isEqualTo(eventsApplied(uncoalesced)).isEqualTo(4);
    }

    @Test
    void aDeletionFollowsTheDocumentWaitingForItsKey() throws Exception {
        harness.processWatermark(NOW - BACKLOG_LAG.toMillis() - 60_000);
        send(step("anon-1", 1, null, false));
        send(ProfileUpdate.mergedAway("anon-1", "cust-1", NOW, List.of()));

        assertThat(out())
                .extracting(w -> describe(w))
                .containsExactly(
                        "document " + RedisKeys.profile("anon-1"),
                        "delete " + RedisKeys.profile("anon-1"),
                        "text " + RedisKeys.alias("anon-1"));
        assertThat(redis(out())).isEqualTo(redis(uncoalesced));
    }

    @Test
    void waitingDocumentsGoOutAfterTheIntervalAndWhenLiveAgain() throws Exception {
        harness.processWatermark(NOW - BACKLOG_LAG.toMillis() - 60_000);
        send(step("v1", 1, null, false));
        harness.setProcessingTime(NOW + ProfileWrites.FLUSH_MILLIS);
        assertThat(out()).extracting(RedisWrite::getKey).containsExactly(RedisKeys.profile("v1"));

        send(step("v1", 2, null, false));
        assertThat(out()).hasSize(1);
        harness.processWatermark(NOW + ProfileWrites.FLUSH_MILLIS - 1_000); // live again
        assertThat(out()).hasSize(2);
        assertThat(redis(out())).isEqualTo(redis(uncoalesced));
    }

    @Test
    void aCheckpointLeavesNothingWaiting() throws Exception {
        harness.processWatermark(NOW - BACKLOG_LAG.toMillis() - 60_000);
        send(step("v1", 1, "vip", true));
        harness.prepareSnapshotPreBarrier(1L);
        OperatorSubtaskState snapshot = harness.snapshot(1L, NOW);
        List<RedisWrite> beforeRestore = out();
        harness.close();

        harness = new OneInputStreamOperatorTestHarness<>(new ProfileWrites(BACKLOG_LAG));
        harness.setProcessingTime(NOW);
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark(NOW - 1_000);
        send(step("v1", 2, null, false));

        List<RedisWrite> all = new ArrayList<>(beforeRestore);
        all.addAll(out());
        assertThat(redis(all)).isEqualTo(redis(uncoalesced));
        assertThat(eventsApplied(all)).isEqualTo(2);
    }

    /** A live event of {@code visitor}, its {@code events}-th, joining {@code segment} if set. */
    private static ProfileUpdate step(String visitor, int events, String segment, boolean join) {
        CustomerProfile profile = new CustomerProfile();
        profile.setVisitorId(visitor);
        profile.setEvents(events);
        ProfileUpdate update = new ProfileUpdate(ProfileUpdate.Kind.EVENT, visitor, NOW, profile);
        update.setLive(true);
        update.setDocument(ProfileDocuments.of(profile));
        if (segment != null)
            update.getSegmentChanges().add(new SegmentChange(visitor, segment, join, NOW));
        return update;
    }

    private void send(ProfileUpdate update) throws Exception {
        uncoalesced.addAll(ProfileOutputs.redisWrites(update));
        harness.processElement(update, NOW);
    }

    private List<RedisWrite> out() {
        return new ArrayList<>(harness.extractOutputValues());
    }

    /** What Redis holds after the writes: documents by key, set members, deleted keys gone. */
    private static Map<String, Object> redis(List<RedisWrite> writes) {
        Map<String, Object> redis = new HashMap<>();
        for (RedisWrite w : writes) {
            switch (w.getOperation()) {
                case VALUE -> {
                    ProfileDocument d = w.getProfile();
                    if (d != null) redis.put(w.getKey(), d.toJson());
                    else if (w.getText() != null) redis.put(w.getKey(), w.getText());
                    else redis.remove(w.getKey());
                }
                case SET_ADD -> members(redis, w.getKey()).add(w.getMember());
                case SET_REMOVE -> members(redis, w.getKey()).remove(w.getMember());
                default -> throw new AssertionError("unexpected " + w.getOperation());
            }
        }
        return redis;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> members(Map<String, Object> redis, String key) {
        return (Set<String>) redis.computeIfAbsent(key, k -> new HashSet<String>());
    }

    private static String describe(RedisWrite w) {
        String what = w.getProfile() != null ? "document" : w.getText() != null ? "text" : "delete";
        return what + " " + w.getKey();
    }

    private static int eventsApplied(List<RedisWrite> writes) {
        return writes.stream().mapToInt(RedisWrite::getEventsApplied).sum();
    }
}
