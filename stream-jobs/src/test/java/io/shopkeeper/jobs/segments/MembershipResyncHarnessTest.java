package io.shopkeeper.jobs.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RedisKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, finding 3: after a failover the segment SETs must match the profiles. The scenario:
 * before the failure, a visitor joined {@code vip} and the SADD reached Redis after the last
 * checkpoint; the restored job replays another path in which the visitor never joins. Applying
 * every write of both runs to a model of Redis, the SETs end equal to the restored profiles.
 */
class MembershipResyncHarnessTest {
    private static final List<String> SEGMENTS = List.of("vip", "new_customers", "loyal");

    /** Redis SETs, as the sink applies the writes. */
    private final Map<String, Set<String>> redis = new HashMap<>();

    private static OneInputStreamOperatorTestHarness<RedisWrite, RedisWrite> harness()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new StreamFlatMap<>(new MembershipResync(SEGMENTS)));
    }

    private static ProfileDocument profile(String visitor, String... segments) {
        ProfileDocument p = new ProfileDocument();
        p.setVisitorId(visitor);
        p.setSegments(new ArrayList<>(List.of(segments)));
        return p;
    }

    /** The profile operator's writes for a membership change (deltas) plus the profile. */
    private static List<RedisWrite> joined(String visitor, String segment, ProfileDocument p) {
        return List.of(
                RedisWrite.setAdd(RedisKeys.segmentMembers(segment), visitor),
                RedisWrite.setAdd(RedisKeys.memberships(visitor), segment),
                RedisWrite.profile(RedisKeys.profile(visitor), p));
    }

    private void apply(List<RedisWrite> writes) {
        for (RedisWrite w : writes) {
            switch (w.getOperation()) {
                case SET_ADD ->
                        redis.computeIfAbsent(w.getKey(), k -> new HashSet<>()).add(w.getMember());
                case SET_REMOVE ->
                        redis.computeIfAbsent(w.getKey(), k -> new HashSet<>())
                                .remove(w.getMember());
                default -> {}
            }
        }
    }

    private Set<String> members(String segment) {
        return redis.getOrDefault(RedisKeys.segmentMembers(segment), Set.of());
    }

    @Test
    void afterARestoreTheFirstWriteOfAVisitorUndoesMembershipsTheRestoredStateNeverMade()
            throws Exception {
        var before = harness();
        before.open();
        // Checkpointed: c1 is a new customer.
        for (RedisWrite w : joined("c1", "new_customers", profile("c1", "new_customers")))
            before.processElement(w, 0);
        OperatorSubtaskState checkpoint = before.snapshot(1, 1);
        // After the checkpoint, flushed to Redis, then the job fails: c1 joined vip.
        for (RedisWrite w : joined("c1", "vip", profile("c1", "new_customers", "vip")))
            before.processElement(w, 0);
        apply(before.extractOutputValues());
        before.close();
        assertThat(members("vip")).containsExactly("c1");

        // Restored from the checkpoint, the replay takes another path: no vip, c1 just viewed.
        var after = harness();
        after.initializeState(checkpoint);
        after.open();
        after.processElement(
                RedisWrite.profile(RedisKeys.profile("c1"), profile("c1", "new_customers")), 0);
        after.processElement(
                RedisWrite.profile(RedisKeys.profile("c1"), profile("c1", "new_customers")), 0);
        List<RedisWrite> replayed = after.extractOutputValues();
        apply(replayed);
        after.close();

        assertThat(members("vip")).isEmpty();
        assertThat(members("new_customers")).containsExactly("c1");
        assertThat(redis.get(RedisKeys.memberships("c1"))).containsExactly("new_customers");
        // Once per visitor: 2 profile writes, one whole membership (3 segments x 2 SETs).
        assertThat(replayed).hasSize(2 + SEGMENTS.size() * 2);
    }

    @Test
    void withoutARestoreWritesPassUnchanged() throws Exception {
        var fresh = harness();
        fresh.open();
        List<RedisWrite> writes = joined("c2", "loyal", profile("c2", "loyal"));
        for (RedisWrite w : writes) fresh.processElement(w, 0);
        assertThat(fresh.extractOutputValues())
                .extracting(RedisWrite::toString)
                .containsExactlyElementsOf(writes.stream().map(RedisWrite::toString).toList());
        fresh.close();
    }
}
