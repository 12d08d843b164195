package io.shopkeeper.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.api.RedisTestBase;
import io.shopkeeper.schemas.RedisKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@link OfferStore} contract on a real Redis. */
class RedisOfferStoreTest extends RedisTestBase {

    @Test
    void compareAndSetStoresOnlyOverTheExpectedVersion() {
        assertThat(offers.compareAndSetCampaign("c", 1, "{\"id\":\"c\",\"version\":2}")).isFalse();
        assertThat(offers.compareAndSetCampaign("c", 0, "{\"id\":\"c\",\"version\":1}")).isTrue();
        assertThat(offers.compareAndSetCampaign("c", 0, "{\"id\":\"c\",\"version\":1}")).isFalse();
        assertThat(offers.compareAndSetCampaign("c", 1, "{\"id\":\"c\",\"version\":2}")).isTrue();
        assertThat(offers.campaign("c")).isEqualTo("{\"id\":\"c\",\"version\":2}");
        assertThat(offers.campaigns()).containsExactly("{\"id\":\"c\",\"version\":2}");
        // Removal under the same condition (used to undo a change that could not be published).
        assertThat(offers.compareAndSetCampaign("c", 1, null)).isFalse();
        assertThat(offers.compareAndSetCampaign("c", 2, null)).isTrue();
        assertThat(offers.campaign("c")).isNull();
    }

    @Test
    void profilesArePagedWithTheirDocuments() {
        for (int i = 0; i < 250; i++)
            put(RedisKeys.profile("v" + i), "{\"visitorId\":\"v" + i + "\"}");
        put(RedisKeys.recommendations("v1"), "{}");
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        do {
            OfferStore.ProfilePage page = offers.profiles(cursor, 100);
            seen.addAll(page.profiles());
            cursor = page.nextCursor();
        } while (!"0".equals(cursor));
        assertThat(seen).hasSize(250).allMatch(p -> p.startsWith("{\"visitorId\""));
    }

    @Test
    void visitorOffersHistoryAndCounters() {
        redis.hset(RedisKeys.offers("a"), "of_1", "{}");
        put(RedisKeys.alias("a"), "cust");
        redis.zadd(RedisKeys.offerHistory("a"), 1, "1");
        redis.zadd(RedisKeys.offerHistory("a"), 2, "2");
        redis.zadd(RedisKeys.offerHistory("a"), 3, "3");
        redis.hset(RedisKeys.campaignResults("c"), "sent", "4");
        redis.hset(RedisKeys.recommendationResults("2026-11-22"), "s|home|clicks", "2");

        var v = offers.visitorOffers("a");
        assertThat(v.offers()).containsExactly("{}");
        assertThat(v.aliasOf()).isEqualTo("cust");
        assertThat(v.recommendations()).isNull();
        assertThat(offers.history("a", 2)).containsExactly("3", "2");
        assertThat(offers.campaignCounters("c")).containsEntry("sent", "4");
        var days =
                offers.recommendationCounters(new ArrayList<>(List.of("2026-11-21", "2026-11-22")));
        assertThat(days.get("2026-11-21")).isEmpty();
        assertThat(days.get("2026-11-22")).containsEntry("s|home|clicks", "2");
    }
}
