package io.shopkeeper.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.api.store.CustomerStore.DeletionRecord;
import io.shopkeeper.api.store.CustomerStore.SegmentDefinition;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@link CustomerStore} contract, run against a real Redis. */
class RedisCustomerStoreTest extends RedisTestBase {

    @Test
    void visitorBringsProfileMembershipsAndAliasTogether() {
        String profile = "{\"visitor\":\"c1\",\"views\":3}";
        put(RedisKeys.profile("c1"), profile);
        redis.sadd(RedisKeys.memberships("c1"), "vip", "cart_abandoner");
        redis.set(RedisKeys.alias("anon-1"), "c1");

        var customer = customers.visitor("c1");
        var anonymous = customers.visitor("anon-1");
        var nobody = customers.visitor("nobody");

        assertThat(customer.profileJson()).isEqualTo(profile);
        assertThat(customer.segments()).containsExactlyInAnyOrder("vip", "cart_abandoner");
        assertThat(customer.aliasOf()).isNull();
        assertThat(anonymous.profileJson()).isNull();
        assertThat(anonymous.segments()).isEmpty();
        assertThat(anonymous.aliasOf()).isEqualTo("c1");
        assertThat(nobody).isEqualTo(new CustomerStore.VisitorRecord(null, Set.of(), null));
    }

    @Test
    void segmentDefinitionsAreReadInTheJobsOrderSkippingUnusableEntries() {
        put(
                RedisKeys.segmentDefinitions(),
                """
                [{"name":"vip","description":"big spenders","condition":"revenue >= 500","extra":1},
                 {"name":"new_visitor"},
                 {"description":"no name"}, 42, {"name":"  "}]""");

        assertThat(customers.segmentDefinitions())
                .containsExactly(
                        new SegmentDefinition("vip", "big spenders", "revenue >= 500"),
                        new SegmentDefinition("new_visitor", null, null));
    }

    @Test
    void absentOrUnreadableDefinitionsReadAsNone() {
        assertThat(customers.segmentDefinitions()).isEmpty();
        put(RedisKeys.segmentDefinitions(), "{not json");
        assertThat(customers.segmentDefinitions()).isEmpty();
        put(RedisKeys.segmentDefinitions(), "{\"name\":\"vip\"}");
        assertThat(customers.segmentDefinitions()).isEmpty();
    }

    @Test
    void segmentSizesAreLiveCardinalities() {
        redis.sadd(RedisKeys.segmentMembers("vip"), "c1", "c2", "c3");
        redis.sadd(RedisKeys.segmentMembers("new_visitor"), "anon-1");

        assertThat(customers.segmentSizes(List.of("vip", "new_visitor", "empty")))
                .containsExactly(entry("vip", 3L), entry("new_visitor", 1L), entry("empty", 0L));
        assertThat(customers.segmentSizes(List.of())).isEmpty();

        redis.srem(RedisKeys.segmentMembers("vip"), "c1");
        assertThat(customers.segmentSizes(List.of("vip"))).containsExactly(entry("vip", 2L));
    }

    @Test
    void pagingThroughMembersWithTheCursorReturnsEveryMember() {
        // Large enough for Redis to store a real hash table, where COUNT actually pages.
        List<String> all = IntStream.range(0, 1500).mapToObj(i -> "visitor-" + i).toList();
        redis.sadd(RedisKeys.segmentMembers("vip"), all.toArray(String[]::new));

        Set<String> seen = new HashSet<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = "0";
        do {
            var page = customers.segmentMembers("vip", cursor, 100);
            seen.addAll(page.members());
            pageSizes.add(page.members().size());
            cursor = page.nextCursor();
        } while (!cursor.equals("0"));

        assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
        assertThat(pageSizes.size()).isGreaterThan(1);
    }

    @Test
    void membersOfAnEmptySegmentAreOneEmptyLastPage() {
        var page = customers.segmentMembers("nobody-here", "0", 10);
        assertThat(page.members()).isEmpty();
        assertThat(page.nextCursor()).isEqualTo("0");
    }

    @Test
    void deletionReportsConfirmationAndRemainingData() {
        redis.set(RedisKeys.forgotten("gone"), "1795000000000");
        put(RedisKeys.profile("has-profile"), "{}");
        put(RedisKeys.recommendations("has-recs"), "{}");
        redis.set(RedisKeys.forgotten("garbled"), "yesterday");

        assertThat(customers.deletion("gone"))
                .isEqualTo(new DeletionRecord(1_795_000_000_000L, false));
        assertThat(customers.deletion("has-profile")).isEqualTo(new DeletionRecord(null, true));
        assertThat(customers.deletion("has-recs")).isEqualTo(new DeletionRecord(null, true));
        assertThat(customers.deletion("never-seen")).isEqualTo(new DeletionRecord(null, false));
        assertThat(customers.deletion("garbled")).isEqualTo(new DeletionRecord(null, false));
    }

    @Test
    void unreachableStoreThrowsUnavailable() {
        var settings =
                new RedisRecommendationStore.Settings(
                        2,
                        0,
                        Duration.ofMillis(200),
                        Duration.ofMillis(200),
                        Duration.ofMillis(200));
        try (var pool =
                RedisRecommendationStore.pool("127.0.0.1", EmbeddedRedis.freePort(), settings)) {
            CustomerStore down = new RedisCustomerStore(pool);
            assertThatThrownBy(() -> down.visitor("c1"))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(down::segmentDefinitions)
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> down.segmentSizes(List.of("vip")))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> down.segmentMembers("vip", "0", 10))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> down.deletion("c1"))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }
}
