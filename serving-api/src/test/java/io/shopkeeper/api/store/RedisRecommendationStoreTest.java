package io.shopkeeper.api.store;

import static io.shopkeeper.api.ApiFixtures.list;
import static io.shopkeeper.api.ApiFixtures.scored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.embedded.EmbeddedRedis;
import io.shopkeeper.schemas.ListVersion;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The {@link RecommendationStore} contract, run against a real Redis. */
class RedisRecommendationStoreTest extends RedisTestBase {

    @Test
    void candidatesBringEveryRequestedListTogether() {
        put(RedisKeys.recommendations("c1"), list("c1", scored("p1", 0.9, "bought_with:x")));
        put(RedisKeys.similarItems("i1"), list("i1", scored("s1", 0.8)));
        put(RedisKeys.trendingInCategory("shoes"), list("shoes", scored("t1", 5)));
        put(RedisKeys.trending(), list(null, scored("t2", 7)));

        CandidateLists lists = store.candidates("c1", "i1", "shoes");

        assertThat(lists.personalized().getItems())
                .containsExactly(scored("p1", 0.9, "bought_with:x"));
        assertThat(lists.similar().getItems()).containsExactly(scored("s1", 0.8));
        assertThat(lists.categoryTrending().getItems()).containsExactly(scored("t1", 5));
        assertThat(lists.trending().getItems()).containsExactly(scored("t2", 7));
    }

    @Test
    void candidatesAlsoBringBoughtTogetherListsAndTheProfileFacts() {
        put(RedisKeys.boughtTogether("k1"), list("k1", scored("b1", 2, "bought_together:k1")));
        put(RedisKeys.boughtTogether("k3"), list("k3", scored("b3", 1)));
        put(
                RedisKeys.profile("c1"),
                "{\"visitorId\":\"c1\",\"purchasedItems\":[\"x\"],\"priceSensitive\":{\"score\":0.7,\"flagged\":true}}");

        CandidateLists lists =
                store.candidates(
                        new CandidateQuery(
                                "c1", null, java.util.List.of("k1", "k2", "k3", "k4"), null));

        assertThat(lists.boughtTogether()).hasSize(3);
        assertThat(lists.boughtTogether().get(0).getItems())
                .containsExactly(scored("b1", 2, "bought_together:k1"));
        assertThat(lists.boughtTogether().get(1)).isNull();
        assertThat(lists.boughtTogether().get(2).getItems()).containsExactly(scored("b3", 1));
        assertThat(lists.profile().purchasedItems()).containsExactly("x");
        assertThat(lists.profile().priceSensitive()).isTrue();
        assertThat(store.boughtTogether(java.util.List.of("k3", "none")))
                .satisfiesExactly(
                        l -> assertThat(l.getItems()).containsExactly(scored("b3", 1)),
                        l -> assertThat(l).isNull());
    }

    @Test
    void unreadableProfileCountsAsAbsent() {
        put(RedisKeys.profile("c1"), "[\"not\", \"a profile\"]");
        assertThat(store.candidates("c1", null, null).profile()).isNull();
        assertThat(store.candidates("c2", null, null).profile()).isNull();
    }

    @Test
    void candidatesLeaveAbsentAndUnaskedListsNull() {
        put(RedisKeys.trending(), list(null, scored("t2", 7)));

        CandidateLists withItem = store.candidates("new-visitor", "new-item", "new-category");
        CandidateLists withoutItem = store.candidates("new-visitor", null, null);

        assertThat(withItem.personalized()).isNull();
        assertThat(withItem.similar()).isNull();
        assertThat(withItem.categoryTrending()).isNull();
        assertThat(withItem.trending().getItems()).extracting("itemId").containsExactly("t2");
        assertThat(withoutItem.similar()).isNull();
        assertThat(withoutItem.categoryTrending()).isNull();
        assertThat(withoutItem.trending()).isNotNull();
    }

    @Test
    void unreadableStoredValueCountsAsAbsent() {
        put(RedisKeys.recommendations("c1"), "{not json");
        put(RedisKeys.similarItems("i1"), "[1,2]");
        put(RedisKeys.trending(), list(null, scored("t2", 7)));

        CandidateLists lists = store.candidates("c1", "i1", null);

        assertThat(lists.personalized()).isNull();
        assertThat(lists.similar()).isNull();
        assertThat(lists.trending()).isNotNull();
        assertThat(store.similarItems("i1")).isEmpty();
    }

    /** Values are parsed from their bytes; bytes that are not UTF-8 read as their text did. */
    @Test
    void storedBytesThatAreNotUtf8ReadAsTheirTextDid() {
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xc3};
        redis.set(
                RedisKeys.recommendations("c1").getBytes(StandardCharsets.UTF_8),
                concat("{\"items\":[[\"p", notUtf8, "\",0.5,\"s:i1\"]]}"));
        redis.set(
                RedisKeys.similarItems("i1").getBytes(StandardCharsets.UTF_8),
                concat("{\"subject\":\"i", notUtf8, "\",\"items\":[[\"s1\",0.8]]}"));
        redis.set(
                RedisKeys.profile("c1").getBytes(StandardCharsets.UTF_8),
                concat("{\"purchasedItems\":[\"x", notUtf8, "\"]}"));
        put(RedisKeys.trending(), list(null, scored("t2", 7)));

        CandidateLists lists = store.candidates("c1", "i1", null);

        assertThat(lists.personalized().getItems())
                .containsExactly(scored("p\ufffd\ufffd", 0.5, "similar_to:i1"));
        assertThat(lists.similar().getSubject()).isEqualTo("i\ufffd\ufffd");
        assertThat(lists.similar().getItems()).containsExactly(scored("s1", 0.8));
        assertThat(lists.profile().purchasedItems()).containsExactly("x\ufffd\ufffd");
        assertThat(store.similarItems("i1").orElseThrow().getSubject()).isEqualTo("i\ufffd\ufffd");
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    @Test
    void listWithoutItemsReadsAsEmptyList() {
        put(RedisKeys.similarItems("i1"), "{\"subject\":\"i1\",\"items\":null}");

        assertThat(store.similarItems("i1"))
                .get()
                .extracting(RecommendationList::getItems)
                .asList()
                .isEmpty();
    }

    @Test
    void similarItemsAndTrendingReadTheirOwnKeys() {
        put(RedisKeys.similarItems("i1"), list("i1", scored("s1", 0.8)));
        put(RedisKeys.trending(), list(null, scored("t2", 7)));
        put(RedisKeys.trendingInCategory("shoes"), list("shoes", scored("t1", 5)));

        assertThat(store.similarItems("i1"))
                .get()
                .extracting(RecommendationList::getSubject)
                .isEqualTo("i1");
        assertThat(store.similarItems("unknown")).isEmpty();
        assertThat(store.trending(null).orElseThrow().getItems()).containsExactly(scored("t2", 7));
        assertThat(store.trending("shoes").orElseThrow().getItems())
                .containsExactly(scored("t1", 5));
        assertThat(store.trending("hats")).isEmpty();
    }

    @Test
    void sharedListsAreDecodedOncePerStoredFormAndFollowItsChanges() {
        put(RedisKeys.trending(), list(null, scored("t1", 7)));
        put(RedisKeys.similarItems("i1"), list("i1", scored("s1", 0.8)));
        put(RedisKeys.boughtTogether("i1"), list("i1", scored("b1", 2)));

        CandidateLists first =
                store.candidates(new CandidateQuery("c1", "i1", java.util.List.of("i1"), null));
        CandidateLists second =
                store.candidates(new CandidateQuery("c2", "i1", java.util.List.of("i1"), null));

        assertThat(second.trending()).isSameAs(first.trending());
        assertThat(second.similar()).isSameAs(first.similar());
        assertThat(second.boughtTogether().get(0)).isSameAs(first.boughtTogether().get(0));
        assertThat(store.similarItems("i1")).get().isSameAs(first.similar());
        assertThat(store.trending(null)).get().isSameAs(first.trending());
        assertThatThrownBy(() -> first.trending().getItems().add(scored("x", 1)))
                .isInstanceOf(UnsupportedOperationException.class);

        put(RedisKeys.trending(), list(null, scored("t2", 9)));
        redis.del(RedisKeys.similarItems("i1"));
        put(RedisKeys.boughtTogether("i1"), "{not json");

        CandidateLists changed =
                store.candidates(new CandidateQuery("c1", "i1", java.util.List.of("i1"), null));
        assertThat(changed.trending().getItems()).containsExactly(scored("t2", 9));
        assertThat(changed.similar()).isNull();
        assertThat(changed.boughtTogether().get(0)).isNull();
        assertThat(store.similarItems("i1")).isEmpty();
    }

    /** A shared list as the job writes it: the list, then its version. */
    private static void putShared(String key, Object value) {
        put(key, value);
        redis.set(RedisKeys.listVersion(key), ListVersion.of(redis.get(key)));
    }

    @Test
    void aSharedListWithAnUnchangedVersionIsServedWithoutReadingItAgain() {
        AtomicLong clock = new AtomicLong();
        RedisRecommendationStore versioned =
                new RedisRecommendationStore(shopRedis, false, clock::get);
        putShared(RedisKeys.trending(), list(null, scored("t1", 7)));
        putShared(RedisKeys.similarItems("i1"), list("i1", scored("s1", 0.8)));
        CandidateLists first = versioned.candidates("c1", "i1", null);

        // Changed behind the version's back: not seen while the version stays and is trusted.
        put(RedisKeys.trending(), list(null, scored("hidden", 9)));
        clock.addAndGet(DecodedLists.TRUST_NANOS - 1);
        CandidateLists second = versioned.candidates("c2", "i1", null);
        assertThat(second.trending()).isSameAs(first.trending());
        assertThat(second.similar()).isSameAs(first.similar());
        assertThat(versioned.trending(null)).get().isSameAs(first.trending());

        // Once the trust has run out the list is read again: served within TRUST_NANOS.
        clock.addAndGet(1);
        assertThat(versioned.candidates("c2", "i1", null).trending().getItems())
                .containsExactly(scored("hidden", 9));
        assertThat(versioned.candidates("c2", "i1", null).similar()).isSameAs(first.similar());
    }

    @Test
    void aSharedListChangedByTheJobIsServedAtTheNextRead() {
        AtomicLong clock = new AtomicLong();
        RedisRecommendationStore versioned =
                new RedisRecommendationStore(shopRedis, false, clock::get);
        putShared(RedisKeys.trending(), list(null, scored("t1", 7)));
        putShared(RedisKeys.similarItems("i1"), list("i1", scored("s1", 0.8)));
        putShared(RedisKeys.boughtTogether("k1"), list("k1", scored("b1", 2)));
        CandidateQuery query = new CandidateQuery("c1", "i1", java.util.List.of("k1"), null);
        CandidateLists first = versioned.candidates(query);
        assertThat(versioned.candidates(query).trending()).isSameAs(first.trending());

        putShared(RedisKeys.trending(), list(null, scored("t2", 9)));
        redis.del(RedisKeys.similarItems("i1"));
        redis.del(RedisKeys.listVersion(RedisKeys.similarItems("i1")));
        putShared(RedisKeys.boughtTogether("k1"), list("k1", scored("b2", 3)));

        CandidateLists changed = versioned.candidates(query);
        assertThat(changed.trending().getItems()).containsExactly(scored("t2", 9));
        assertThat(changed.similar()).isNull();
        assertThat(changed.boughtTogether().get(0).getItems()).containsExactly(scored("b2", 3));
        assertThat(versioned.similarItems("i1")).isEmpty();
        assertThat(versioned.boughtTogether(java.util.List.of("k1")).get(0))
                .isSameAs(changed.boughtTogether().get(0));
        assertThat(versioned.candidates(query).trending()).isSameAs(changed.trending());
    }

    @Test
    void aVersionThatDoesNotDescribeTheStoredListIsNotTrusted() {
        AtomicLong clock = new AtomicLong();
        RedisRecommendationStore versioned =
                new RedisRecommendationStore(shopRedis, false, clock::get);
        put(RedisKeys.trending(), list(null, scored("t1", 7)));
        redis.set(RedisKeys.listVersion(RedisKeys.trending()), "0123456789abcdef");
        assertThat(versioned.trending(null).orElseThrow().getItems())
                .containsExactly(scored("t1", 7));

        put(RedisKeys.trending(), list(null, scored("t2", 9)));
        assertThat(versioned.trending(null).orElseThrow().getItems())
                .containsExactly(scored("t2", 9));
    }

    @Test
    void reachableStoreAnswersPing() {
        assertThat(store.ping()).isTrue();
    }

    @Test
    void unreachableStoreFailsPingAndThrowsUnavailableOnReads() {
        var settings =
                new RedisRecommendationStore.Settings(
                        2,
                        0,
                        Duration.ofMillis(200),
                        Duration.ofMillis(200),
                        Duration.ofMillis(200));
        try (RedisRecommendationStore down =
                RedisRecommendationStore.connect("127.0.0.1", EmbeddedRedis.freePort(), settings)) {
            assertThat(down.ping()).isFalse();
            assertThatThrownBy(() -> down.candidates("c1", null, null))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> down.similarItems("i1"))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }
}
