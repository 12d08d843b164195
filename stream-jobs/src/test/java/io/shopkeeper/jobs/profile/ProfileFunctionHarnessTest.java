package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.items.ItemMessage;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageView;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

class ProfileFunctionHarnessTest {
    private static final Duration TTL = Duration.ofDays(30);
    private static final Duration SESSION_GAP = Duration.ofMinutes(30);

    private KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, RedisWrite> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, RedisWrite> newHarness() throws Exception {
        ProfileFunction function = new ProfileFunction(TTL, SESSION_GAP, new SessionRecommender(RecommenderConfig.defaults()));
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), ShopEvent::visitorKey, Types.STRING);
    }

    private void process(ShopEvent event) throws Exception {
        harness.processElement(event, event.eventTimeMillis());
    }

    private CustomerProfile lastProfileWritten() {
        List<RedisWrite> writes = harness.extractOutputValues();
        return writes.get(writes.size() - 1).getProfile();
    }

    @Test
    void viewsAndCartsBuildRecentItemsSessionAndAffinities() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(10)));
        process(carted("anon-1", "s1", "i3", "socks", seconds(20)));

        List<RedisWrite> writes = harness.extractOutputValues();
        assertThat(writes).hasSize(3).allMatch(w -> w.getKey().equals(RedisKeys.profile("anon-1")));
        CustomerProfile profile = lastProfileWritten();
        assertThat(profile.getRecentViews()).containsExactly("i2", "i1");
        assertThat(profile.getRecentCarts()).containsExactly("i3");
        assertThat(profile.getSessionItems()).containsExactly("i1", "i2", "i3");
        assertThat(profile.getSessions()).isEqualTo(1);
        assertThat(profile.getCategoryAffinity().get("socks")).isGreaterThan(profile.getCategoryAffinity().get("shoes"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void eachViewAsksTheModelOfTheViewedItemForRecommendations() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(10)));

        List<ItemMessage> messages = harness.getSideOutput(ProfileFunction.ITEM_MESSAGES).stream()
                .map(StreamRecord::getValue).toList();
        List<ItemMessage> lookups = messages.stream().filter(m -> m.getRequest() != null).toList();
        assertThat(lookups).extracting(ItemMessage::getItemId).containsExactly("i1", "i2");
        assertThat(lookups.get(1).getRequest().getSessionItems()).containsExactly("i1", "i2");
        assertThat(lookups.get(1).getRequest().getVisitorId()).isEqualTo("anon-1");
        assertThat(messages.stream().filter(m -> m.getUpdate() != null)).isNotEmpty()
                .allMatch(m -> m.getItemId().equals(m.getUpdate().getItemId()));
    }

    @Test
    void ordersAddSpendAndPurchasedItemsWhichRecommendationRequestsExclude() throws Exception {
        process(ordered("cust-1", "s1", "o1", seconds(0), line("i9", "shoes", 2, 30.0)));
        process(viewed("cust-1", "s1", "i1", "shoes", seconds(5)));

        CustomerProfile profile = lastProfileWritten();
        assertThat(profile.getOrders()).isEqualTo(1);
        assertThat(profile.getSpend()).isEqualTo(60.0);
        assertThat(profile.getPurchasedItems()).containsExactly("i9");
        ItemMessage lookup = harness.getSideOutput(ProfileFunction.ITEM_MESSAGES).stream().map(StreamRecord::getValue)
                .filter(m -> m.getRequest() != null).findFirst().orElseThrow();
        assertThat(lookup.getRequest().getExcludedItems()).containsExactly("i9");
    }

    @Test
    void sessionEndsWhenEventTimePassesTheGapWithoutAnyNewEvent() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(60)));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(seconds(60).plus(SESSION_GAP).toEpochMilli() - 1);
        assertThat(lastProfileWritten().getSessionItems()).containsExactly("i1", "i2");

        harness.processWatermark(seconds(60).plus(SESSION_GAP).toEpochMilli());
        CustomerProfile afterGap = lastProfileWritten();
        assertThat(afterGap.getSessionItems()).isEmpty();
        assertThat(afterGap.getCurrentSessionId()).isNull();
        assertThat(afterGap.getRecentViews()).containsExactly("i2", "i1");
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aNewSessionStartsAfterTheGapEvenWithTheSameSessionId() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(0).plus(SESSION_GAP).plusSeconds(1)));
        assertThat(lastProfileWritten().getSessions()).isEqualTo(2);
        assertThat(lastProfileWritten().getSessionItems()).containsExactly("i2");
    }

    @Test
    void ttlDropsAVisitorWhoNeverComesBack() throws Exception {
        harness.setStateTtlProcessingTime(0);
        process(pageView("anon-gone", "s1", "home", seconds(0)));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
        process(pageView("anon-gone", "s2", "home", seconds(10)));
        // The expired profile was not visible: the visitor starts over with one event.
        assertThat(lastProfileWritten().getEvents()).isEqualTo(1);
    }

    @Test
    void profileSurvivesSnapshotAndRestore() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(10)));

        CustomerProfile profile = lastProfileWritten();
        assertThat(profile.getRecentViews()).containsExactly("i2", "i1");
        assertThat(profile.getEvents()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void profileStaysBoundedAndUnderTwoKilobytesHoweverMuchTheVisitorDoes() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            process(viewed("cust-busy", "s" + (i / 50), "item-" + i, "cat-" + (i % 40), seconds(i)));
            if (i % 10 == 0) process(carted("cust-busy", "s" + (i / 50), "item-" + i, "cat-" + (i % 40), seconds(i)));
            if (i % 50 == 0) process(ordered("cust-busy", "s" + (i / 50), "o" + i, seconds(i), line("item-" + i, "cat-1", 1, 9.5)));
        }
        CustomerProfile profile = lastProfileWritten();
        assertThat(profile.getRecentViews()).hasSize(ProfileUpdater.MAX_RECENT_VIEWS);
        assertThat(profile.getRecentCarts()).hasSizeLessThanOrEqualTo(ProfileUpdater.MAX_RECENT_CARTS);
        assertThat(profile.getPurchasedItems()).hasSize(ProfileUpdater.MAX_PURCHASED);
        assertThat(profile.getSessionItems()).hasSizeLessThanOrEqualTo(ProfileUpdater.MAX_SESSION_ITEMS);
        assertThat(profile.getCategoryAffinity()).hasSize(ProfileUpdater.MAX_AFFINITIES);
        assertThat(EventCodec.encodeToString(profile).length()).isLessThan(2048);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.extractOutputValues()).map(RedisWrite::getProfile).allMatch(Objects::nonNull);
    }
}
