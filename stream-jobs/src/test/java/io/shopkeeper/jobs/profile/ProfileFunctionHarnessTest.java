package io.shopkeeper.jobs.profile;

import static io.shopkeeper.jobs.testing.ShopEvents.carted;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.loggedIn;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.pageLeft;
import static io.shopkeeper.jobs.testing.ShopEvents.pageView;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.items.ItemMessage;
import io.shopkeeper.jobs.recommend.RecommenderConfig;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.visitor.ForgetVisitor;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProfileFunctionHarnessTest {
    private static final ProfileSettings SETTINGS = ProfileSettings.defaults();
    private static final Duration TTL = SETTINGS.profileTtl();
    private static final Duration SESSION_GAP = SETTINGS.sessionGap();

    private ProfileHarness harness;

    /** The Redis writes the updates so far turn into ({@link ProfileOutputs#redisWrites}). */
    private List<RedisWrite> writes() {
        return harness.extractOutputValues().stream()
                .flatMap(u -> ProfileOutputs.redisWrites(u).stream())
                .toList();
    }

    /** The visitor's state after the latest step (working fields such as the session's items). */
    private CustomerProfile lastState() {
        List<ProfileUpdate> updates = harness.extractOutputValues();
        return updates.get(updates.size() - 1).getProfile();
    }

    private List<SegmentChange> changes() {
        return harness.extractOutputValues().stream()
                .flatMap(u -> ProfileOutputs.segmentChanges(u).stream())
                .toList();
    }

    private List<ItemMessage> itemMessages() {
        SessionRecommender recommender = new SessionRecommender(RecommenderConfig.defaults());
        return harness.extractOutputValues().stream()
                .flatMap(u -> ProfileOutputs.itemMessages(u, recommender).stream())
                .toList();
    }

    private List<ForgetVisitor> forgets() {
        return harness.extractOutputValues().stream()
                .flatMap(u -> ProfileOutputs.forgetRequests(u).stream())
                .toList();
    }

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static ProfileHarness newHarness() throws Exception {
        return newHarness(SETTINGS);
    }

    private static ProfileHarness newHarness(ProfileSettings settings) throws Exception {
        ProfileFunction function = new ProfileFunction(settings, SegmentEvaluator.defaults());
        return new ProfileHarness(function);
    }

    private void process(ShopEvent event) throws Exception {
        harness.processElement(
                VisitorEvent.live(event.visitorKey(), event), event.eventTimeMillis());
    }

    private ProfileDocument profileOf(String visitor) {
        List<RedisWrite> writes = writes();
        for (int i = writes.size() - 1; i >= 0; i--) {
            if (writes.get(i).getKey().equals(RedisKeys.profile(visitor))
                    && writes.get(i).getProfile() != null) {
                return writes.get(i).getProfile();
            }
        }
        return null;
    }

    private ProfileDocument lastProfileWritten() {
        List<RedisWrite> writes = writes().stream().filter(w -> w.getProfile() != null).toList();
        return writes.get(writes.size() - 1).getProfile();
    }

    /**
     * {@code --session.gap} reaches the signal engine too: with a one-hour gap, product views 40
     * minutes apart across five categories are one session for the profile and for the signals
     * alike, so the visitor is wandering. (The engine used to keep its own 30 minutes: it ended a
     * session between every two views, saw no wandering, and read each view as an exit at price.)
     */
    @Test
    void theConfiguredSessionGapHoldsForTheSignalsAsForTheProfile() throws Exception {
        harness.close();
        harness = newHarness(SETTINGS.withSessionGap(Duration.ofHours(1)));
        harness.open();
        for (int i = 0; i < 5; i++)
            process(viewed("anon-1", "s1", "i" + i, "c" + i, seconds(i * 40 * 60)));

        ProfileDocument profile = lastProfileWritten();
        assertThat(profile.getSessions()).isEqualTo(1);
        assertThat(profile.getDrifting().getReasons()).contains("wandering_across_categories");
        assertThat(profile.getDrifting().isFlagged()).isTrue();
        assertThat(profile.getPriceSensitive().getReasons()).doesNotContain("exit_at_price");
    }

    @Test
    void viewsAndCartsBuildRecentItemsSessionAndAffinities() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(10)));
        process(carted("anon-1", "s1", "i3", "socks", seconds(20)));

        List<RedisWrite> writes = writes().stream().filter(w -> w.getProfile() != null).toList();
        assertThat(writes).hasSize(3).allMatch(w -> w.getKey().equals(RedisKeys.profile("anon-1")));
        ProfileDocument profile = lastProfileWritten();
        assertThat(profile.getRecentViews()).containsExactly("i2", "i1");
        assertThat(profile.getRecentCarts()).containsExactly("i3");
        assertThat(lastState().getSessionItems()).containsExactly("i1", "i2", "i3");
        assertThat(profile.getSessions()).isEqualTo(1);
        assertThat(profile.getCategoryAffinity().get("socks"))
                .isGreaterThan(profile.getCategoryAffinity().get("shoes"));
    }

    @Test
    void eachViewAsksTheModelOfTheViewedItemForRecommendations() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(10)));

        List<ItemMessage> messages = itemMessages().stream().toList();
        List<ItemMessage> lookups = messages.stream().filter(m -> m.getRequest() != null).toList();
        assertThat(lookups).extracting(ItemMessage::getItemId).containsExactly("i1", "i2");
        assertThat(lookups.get(1).getRequest().getSessionItems()).containsExactly("i1", "i2");
        assertThat(lookups.get(1).getRequest().getVisitorId()).isEqualTo("anon-1");
        assertThat(messages.stream().filter(m -> !m.getUpdates().isEmpty()))
                .isNotEmpty()
                .allMatch(
                        m ->
                                m.getUpdates().stream()
                                        .allMatch(u -> u.getItemId().equals(m.getItemId())));
    }

    @Test
    void ordersAddSpendAndPurchasedItemsWhichRecommendationRequestsExclude() throws Exception {
        process(ordered("cust-1", "s1", "o1", seconds(0), line("i9", "shoes", 2, 30.0)));
        process(viewed("cust-1", "s1", "i1", "shoes", seconds(5)));

        ProfileDocument profile = lastProfileWritten();
        assertThat(profile.getOrders()).isEqualTo(1);
        assertThat(profile.getSpend()).isEqualTo(60.0);
        assertThat(profile.getPurchasedItems()).containsExactly("i9");
        ItemMessage lookup =
                itemMessages().stream()
                        .filter(m -> m.getRequest() != null)
                        .findFirst()
                        .orElseThrow();
        assertThat(lookup.getRequest().getExcludedItems()).containsExactly("i9");
    }

    @Test
    void sessionEndsWhenEventTimePassesTheGapWithoutAnyNewEvent() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(60)));
        assertThat(harness.numEventTimeTimers()).as("one timer per visitor: its next").isEqualTo(1);

        harness.watermark(seconds(60).plus(SESSION_GAP).toEpochMilli() - 1);
        assertThat(lastState().getSessionItems()).containsExactly("i1", "i2");

        harness.watermark(seconds(60).plus(SESSION_GAP).toEpochMilli());
        ProfileDocument afterGap = lastProfileWritten();
        assertThat(lastState().getSessionItems()).isEmpty();
        assertThat(afterGap.getCurrentSessionId()).isNull();
        assertThat(afterGap.getRecentViews()).containsExactly("i2", "i1");
        assertThat(afterGap.getAvgPagesPerSession()).isEqualTo(2.0);
        assertThat(afterGap.getAvgSessionSeconds()).isEqualTo(60.0);
        assertThat(harness.numEventTimeTimers())
                .as("the session's end fired, the next timer is set")
                .isEqualTo(1);
    }

    @Test
    void aPageLeaveEndsTheLastPagesDwellButIsNoPageAndALateOneIsDropped() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(pageLeft("anon-1", "s1", seconds(40)));
        harness.watermark(seconds(40).plus(SESSION_GAP).toEpochMilli());
        ProfileDocument ended = lastProfileWritten();
        assertThat(ended.getSessions()).isEqualTo(1);
        assertThat(ended.getBounceRate()).as("one page and its leave: a bounce").isEqualTo(1.0);
        assertThat(ended.getAvgSessionSeconds())
                .as("the dwell on the only page counts")
                .isEqualTo(40.0);

        // The tab closed an hour later: no session of its own, nothing changes.
        int written = harness.getOutput().size();
        process(pageLeft("anon-1", "s1", seconds(3_600)));
        assertThat(harness.getOutput()).hasSize(written);
        assertThat(profileOf("anon-1").getSessions()).isEqualTo(1);
        assertThat(profileOf("anon-1").getCurrentSessionId()).isNull();
        // ... but it is done: counted once, as the two events before it
        assertThat(eventsDone()).isEqualTo(3);
    }

    @Test
    void aLeaveBeaconOfASessionAlreadyReplacedChangesNothingAndIsCountedOnce() throws Exception {
        // The pipeline benchmark's uncounted events: the leave of the previous tab's session
        // arrives after the visitor's next session began, seconds later.
        process(viewed("cust-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("cust-1", "s2", "i2", "shoes", seconds(20)));
        int written = harness.getOutput().size();
        process(pageLeft("cust-1", "s1", seconds(22)));
        assertThat(harness.getOutput()).hasSize(written);
        assertThat(eventsDone()).isEqualTo(3);
    }

    /**
     * What the job adds to the progress counter for this operator's steps: the writes' counts and
     * the events done without a write ({@link EventsDone#TAG}).
     */
    private int eventsDone() {
        var done = harness.getSideOutput(EventsDone.TAG);
        return writes().stream().mapToInt(RedisWrite::getEventsApplied).sum()
                + (done == null
                        ? 0
                        : done.stream().mapToInt(r -> r.getValue().getEventsApplied()).sum());
    }

    @Test
    void aNewSessionStartsAfterTheGapEvenWithTheSameSessionId() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(0).plus(SESSION_GAP).plusSeconds(1)));
        assertThat(lastProfileWritten().getSessions()).isEqualTo(2);
        assertThat(lastState().getSessionItems()).containsExactly("i2");
    }

    @Test
    void ttlDropsAVisitorWhoNeverComesBack() throws Exception {
        harness.setStateTtlProcessingTime(0);
        process(pageView("anon-gone", "s1", "home", seconds(0)));

        harness.setStateTtlProcessingTime(TTL.toMillis() + 1);
        harness.setProcessingTime(TTL.toMillis() + 1); // the profile cache's clock
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

        ProfileDocument profile = lastProfileWritten();
        assertThat(profile.getRecentViews()).containsExactly("i2", "i1");
        assertThat(profile.getEvents()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isGreaterThan(0);
    }

    @Test
    void profileStaysBoundedAndUnderTwoKilobytesHoweverMuchTheVisitorDoes() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            process(
                    viewed(
                            "cust-busy",
                            "s" + (i / 50),
                            "item-" + i,
                            "cat-" + (i % 40),
                            seconds(i)));
            if (i % 10 == 0)
                process(
                        carted(
                                "cust-busy",
                                "s" + (i / 50),
                                "item-" + i,
                                "cat-" + (i % 40),
                                seconds(i)));
            if (i % 50 == 0)
                process(
                        ordered(
                                "cust-busy",
                                "s" + (i / 50),
                                "o" + i,
                                seconds(i),
                                line("item-" + i, "cat-1", 1, 9.5)));
        }
        ProfileDocument profile = lastProfileWritten();
        assertThat(profile.getRecentViews()).hasSize(ProfileUpdater.MAX_RECENT_VIEWS);
        assertThat(profile.getRecentCarts())
                .hasSizeLessThanOrEqualTo(ProfileUpdater.MAX_RECENT_CARTS);
        assertThat(profile.getPurchasedItems()).hasSize(ProfileUpdater.MAX_PURCHASED);
        assertThat(lastState().getSessionItems())
                .hasSizeLessThanOrEqualTo(ProfileUpdater.MAX_SESSION_ITEMS);
        assertThat(profile.getCategoryAffinity()).hasSize(ProfileUpdater.MAX_AFFINITIES);
        String json = EventCodec.encodeToString(profile);
        assertThat(json.length()).as(json).isLessThan(2048);
        assertThat(writes()).filteredOn(w -> w.getProfile() != null).isNotEmpty();
    }

    @Test
    void aQuietCustomerMovesToAtRiskThenLapsedWithoutAnyNewEvent() throws Exception {
        process(ordered("cust-quiet", "s1", "o1", seconds(0), line("i1", "shoes", 1, 50.0)));
        process(viewed("cust-quiet", "s1", "i2", "shoes", seconds(60)));
        assertThat(lastProfileWritten().getLifecycle()).isEqualTo(Lifecycle.NEW);

        harness.watermark(seconds(60).plus(SETTINGS.atRiskAfter()).toEpochMilli());
        assertThat(profileOf("cust-quiet").getLifecycle()).isEqualTo(Lifecycle.AT_RISK);
        assertThat(profileOf("cust-quiet").getSegments()).contains("at_risk");

        harness.watermark(seconds(60).plus(SETTINGS.lapsedAfter()).toEpochMilli());
        ProfileDocument lapsed = profileOf("cust-quiet");
        assertThat(lapsed.getLifecycle()).isEqualTo(Lifecycle.LAPSED);
        assertThat(lapsed.getSegments()).contains("lapsed").doesNotContain("at_risk");

        process(
                viewed(
                        "cust-quiet",
                        "s9",
                        "i3",
                        "shoes",
                        seconds(60).plus(SETTINGS.lapsedAfter()).plusSeconds(3600)));
        assertThat(profileOf("cust-quiet").getLifecycle()).isEqualTo(Lifecycle.WON_BACK);
        List<SegmentChange> changes = changes().stream().toList();
        assertThat(changes)
                .extracting(c -> (c.isJoined() ? "+" : "-") + c.getSegment())
                .containsSubsequence("+at_risk", "-at_risk", "+lapsed", "-lapsed", "+won_back");
    }

    @Test
    void anAnonymousVisitorWhoNeverComesBackIsForgottenWhenTheAnonymousTtlPasses()
            throws Exception {
        process(viewed("anon-once", "s1", "i1", "shoes", seconds(0)));
        harness.watermark(seconds(0).plus(SETTINGS.anonymousTtl()).toEpochMilli());

        assertThat(writes())
                .anyMatch(
                        w ->
                                w.getKey().equals(RedisKeys.profile("anon-once"))
                                        && w.payload() == null);
        process(
                pageView(
                        "anon-once",
                        "s2",
                        "home",
                        seconds(0).plus(SETTINGS.anonymousTtl()).plusSeconds(1)));
        assertThat(lastProfileWritten().getEvents()).isEqualTo(1);
    }

    @Test
    void rfmScoresFollowTheStoreDistributionAndTopSpendersAreVip() throws Exception {
        RfmCutPoints cuts = new RfmCutPoints();
        cuts.setCustomers(100);
        cuts.setMonetary(List.of(20.0, 40.0, 80.0, 160.0));
        cuts.setFrequency(List.of(1.0, 1.0, 2.0, 3.0));
        cuts.setLastOrderDay(List.of(20_000.0, 20_300.0, 20_350.0, 20_380.0));
        harness.processBroadcastElement(cuts, 0);

        process(ordered("cust-big", "s1", "o1", seconds(0), line("i1", "shoes", 2, 150.0)));
        ProfileDocument big = lastProfileWritten();
        assertThat(big.getMonetaryScore()).isEqualTo(5);
        assertThat(big.getFrequencyScore()).isEqualTo(1);
        assertThat(big.getRecencyScore()).isEqualTo(5);
        assertThat(big.getAverageOrderValue()).isEqualTo(300.0);
        assertThat(big.getEstimatedLifetimeValue()).isGreaterThan(300.0);
        assertThat(big.getSegments()).contains("vip");

        process(ordered("cust-small", "s2", "o2", seconds(5), line("i2", "socks", 1, 10.0)));
        assertThat(lastProfileWritten().getMonetaryScore()).isEqualTo(1);
        assertThat(lastProfileWritten().getSegments()).doesNotContain("vip");
        assertThat(writes())
                .anyMatch(
                        w ->
                                w.getOperation() == RedisWrite.Operation.SET_ADD
                                        && w.getKey().equals(RedisKeys.segmentMembers("vip"))
                                        && w.getMember().equals("cust-big"));
    }

    @Test
    void aRedeliveredEventIsNotCountedTwice() throws Exception {
        ShopEvent view = viewed("anon-1", "s1", "i1", "shoes", seconds(0));
        process(view);
        process(view);
        assertThat(lastProfileWritten().getEvents()).isEqualTo(1);
        assertThat(eventsDone()).as("both deliveries are done, one applied").isEqualTo(2);
    }

    @Test
    void eventsReplayedIntoTheCustomerByStitchingAreAppliedButCountedOnce() throws Exception {
        ShopEvent first = viewed("anon-1", "s1", "i1", "shoes", seconds(0));
        ShopEvent second = viewed("anon-1", "s1", "i2", "shoes", seconds(10));
        process(first);
        process(second);
        ShopEvent login = loggedIn("anon-1", "cust-1", "s1", seconds(30));
        // What IdentityFunction replays: the anonymous visitor's events, now the customer's.
        for (ShopEvent earlier : List.of(first, second)) {
            ShopEvent replayed =
                    viewed("anon-1", "s1", earlier.getItemId(), "shoes", earlier.getTimestamp());
            replayed.setEventId(earlier.getEventId());
            replayed.setCustomerId("cust-1");
            harness.processElement(
                    VisitorEvent.replay("cust-1", replayed), replayed.eventTimeMillis());
        }
        harness.processElement(
                VisitorEvent.mergedAway("anon-1", "cust-1", login), login.eventTimeMillis());
        process(login);

        assertThat(profileOf("cust-1").getEvents()).isEqualTo(3);
        assertThat(eventsDone()).as("three visitor events, each counted once").isEqualTo(3);
    }

    @Test
    void forgettingAVisitorClearsStateAndDeletesEveryKeyAboutThem() throws Exception {
        process(viewed("cust-gone", "s1", "i1", "shoes", seconds(0)));
        ShopEvent forget = pageView("cust-gone", "s1", "home", seconds(10));
        forget.setType(io.shopkeeper.schemas.EventType.CUSTOMER_FORGOTTEN);
        process(forget);

        List<RedisWrite> writes = writes();
        assertThat(writes)
                .anyMatch(
                        w ->
                                w.getKey().equals(RedisKeys.profile("cust-gone"))
                                        && w.payload() == null
                                        && w.isValueWrite());
        assertThat(writes)
                .anyMatch(
                        w ->
                                w.getKey().equals(RedisKeys.forgotten("cust-gone"))
                                        && w.getText() != null);
        assertThat(forgets()).extracting(ForgetVisitor::getVisitorId).containsExactly("cust-gone");
        process(pageView("cust-gone", "s2", "home", seconds(20)));
        assertThat(lastProfileWritten().getEvents()).isEqualTo(1);
    }

    /** The census delta of every update so far, as "visitor:delta:identified". */
    private List<String> censusDeltas() {
        return harness.extractOutputValues().stream()
                .filter(u -> u.getProfilesDelta() != 0)
                .map(u -> u.getVisitorId() + ":" + u.getProfilesDelta() + ":" + u.isIdentified())
                .toList();
    }

    @Test
    void theCensusCountsAProfileInWhenCreatedAndOutWhenMergedAwayOrForgotten() throws Exception {
        process(viewed("anon-1", "s1", "i1", "shoes", seconds(0)));
        process(viewed("anon-1", "s1", "i2", "shoes", seconds(10)));
        process(viewed("cust-1", "s9", "i3", "bags", seconds(20)));
        ShopEvent login = loggedIn("anon-1", "cust-1", "s1", seconds(30));
        harness.processElement(
                VisitorEvent.mergedAway("anon-1", "cust-1", login), login.eventTimeMillis());
        ShopEvent forget = pageView("cust-1", "s9", "home", seconds(40));
        forget.setType(io.shopkeeper.schemas.EventType.CUSTOMER_FORGOTTEN);
        process(forget);
        process(forget); // forgetting someone already forgotten removes nobody

        assertThat(censusDeltas())
                .containsExactly(
                        "anon-1:1:false", "cust-1:1:true", "anon-1:-1:false", "cust-1:-1:true");
    }
}
