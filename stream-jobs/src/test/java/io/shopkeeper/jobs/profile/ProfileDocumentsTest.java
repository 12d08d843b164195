package io.shopkeeper.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.jobs.testing.ShopEvents;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.SchemaFiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job's state to the profile document it writes: the served fields, byte for byte what the job
 * wrote before the document had its own type (so stored profiles and the profile-size figures do
 * not move), and valid against {@code schemas/profile.json}.
 */
class ProfileDocumentsTest {
    private static final JsonSchema SCHEMA = SchemaFiles.load("profile.json");

    /** Every field set, working state included. */
    private static CustomerProfile full() {
        CustomerProfile p = new CustomerProfile();
        p.setVisitorId("cust-1");
        p.setCustomerId("cust-1");
        p.setAnonymousIds(List.of("anon-1"));
        p.setFirstSeen(1L);
        p.setLastSeen(2L);
        p.setEvents(3);
        p.setSessions(4);
        p.setCurrentSessionId("s-4");
        p.setSessionItems(List.of("i9"));
        p.setRecentViews(List.of("i1"));
        p.setRecentCarts(List.of("i2"));
        p.setPurchasedItems(List.of("i3"));
        p.setCategoryAffinity(new HashMap<>(Map.of("c1", 1.5)));
        p.setBrandAffinity(new HashMap<>(Map.of("b1", 2.5)));
        p.setAffinityAsOf(5L);
        p.setOrders(6);
        p.setSpend(7.5);
        p.setLastOrderAt(8L);
        p.setRecencyDays(9);
        p.setRecencyScore(1);
        p.setFrequencyScore(2);
        p.setMonetaryScore(3);
        p.setAverageOrderValue(10.5);
        p.setEstimatedLifetimeValue(11.5);
        p.setDiscountShare(0.25);
        p.setCouponShare(0.75);
        p.setOrderLines(12);
        p.setDiscountedLines(13);
        p.setCouponOrders(14);
        p.setRepeatPurchaseRate(0.5);
        p.setTenureDays(15.5);
        p.setLifecycle("active");
        p.setLifecycleSince(16L);
        p.setWonBackAt(17L);
        p.setNextLifecycleCheck(18L);
        p.setCompletedSessions(2);
        p.setCompletedSessionEvents(9);
        p.setCompletedSessionProductViews(5);
        p.setCompletedSessionMillis(60000);
        p.setBouncedSessions(1);
        p.setSessionStartedAt(19L);
        p.setSessionEvents(3);
        p.setSessionProductViews(2);
        p.setPriceSensitive(new SignalState(0.81, true, List.of("coupon_search"), 5L));
        p.setDrifting(new SignalState(0.2, false, List.of(), 0L));
        p.setSegments(List.of("vip"));
        p.setSegmentFactsFingerprint(20);
        p.setRecentEventIds(List.of("e1"));
        return p;
    }

    /**
     * What {@code EventCodec.encodeToString(CustomerProfile)} wrote for the same state (74c763a).
     */
    private static final String WRITTEN_BEFORE =
            "{\"visitorId\":\"cust-1\",\"customerId\":\"cust-1\",\"anonymousIds\":[\"anon-1\"],"
                    + "\"firstSeen\":1,\"lastSeen\":2,\"events\":3,\"sessions\":4,"
                    + "\"currentSessionId\":\"s-4\",\"recentViews\":[\"i1\"],\"recentCarts\":[\"i2\"],"
                    + "\"purchasedItems\":[\"i3\"],\"categoryAffinity\":{\"c1\":1.5},"
                    + "\"brandAffinity\":{\"b1\":2.5},\"affinityAsOf\":5,\"orders\":6,\"spend\":7.5,"
                    + "\"lastOrderAt\":8,\"recencyDays\":9,\"recencyScore\":1,\"frequencyScore\":2,"
                    + "\"monetaryScore\":3,\"averageOrderValue\":10.5,\"estimatedLifetimeValue\":11.5,"
                    + "\"discountShare\":0.25,\"couponShare\":0.75,\"repeatPurchaseRate\":0.5,"
                    + "\"tenureDays\":15.5,\"lifecycle\":\"active\",\"lifecycleSince\":16,"
                    + "\"priceSensitive\":{\"score\":0.81,\"flagged\":true,\"reasons\":[\"coupon_search\"],"
                    + "\"onSince\":5},\"drifting\":{\"score\":0.2,\"flagged\":false,\"reasons\":[],"
                    + "\"onSince\":0},\"segments\":[\"vip\"],\"avgPagesPerSession\":4.5,"
                    + "\"avgProductViewsPerSession\":2.5,\"avgSessionSeconds\":30.0,\"bounceRate\":0.5}";

    private static final String NEW_VISITOR_BEFORE =
            "{\"anonymousIds\":[],\"firstSeen\":0,\"lastSeen\":0,\"events\":0,\"sessions\":0,"
                    + "\"recentViews\":[],\"recentCarts\":[],\"purchasedItems\":[],"
                    + "\"categoryAffinity\":{},\"brandAffinity\":{},\"affinityAsOf\":0,\"orders\":0,"
                    + "\"spend\":0.0,\"lastOrderAt\":0,\"averageOrderValue\":0.0,"
                    + "\"estimatedLifetimeValue\":0.0,\"discountShare\":0.0,\"couponShare\":0.0,"
                    + "\"repeatPurchaseRate\":0.0,\"tenureDays\":0.0,\"lifecycleSince\":0,"
                    + "\"priceSensitive\":{\"score\":0.0,\"flagged\":false,\"reasons\":[],\"onSince\":0},"
                    + "\"drifting\":{\"score\":0.0,\"flagged\":false,\"reasons\":[],\"onSince\":0},"
                    + "\"segments\":[],\"avgPagesPerSession\":0.0,\"avgProductViewsPerSession\":0.0,"
                    + "\"avgSessionSeconds\":0.0,\"bounceRate\":0.0}";

    @Test
    void theDocumentIsWhatTheJobAlwaysWroteAndTheSchemaAcceptsIt() throws Exception {
        String json = EventCodec.encodeToString(ProfileDocuments.of(full()));
        assertThat(json).isEqualTo(WRITTEN_BEFORE);
        assertThat(SCHEMA.validate(EventCodec.mapper().readTree(json))).isEmpty();
        assertThat(json)
                .doesNotContain("sessionItems", "recentEventIds", "orderLines", "wonBackAt");
    }

    @Test
    void aNewVisitorsDocumentIsUnchangedToo() throws Exception {
        assertThat(EventCodec.encodeToString(ProfileDocuments.of(new CustomerProfile())))
                .isEqualTo(NEW_VISITOR_BEFORE);
    }

    @Test
    void theDocumentOwnsItsCollections() {
        CustomerProfile p = full();
        p.setRecentViews(new java.util.ArrayList<>(List.of("i1")));
        ProfileDocument d = ProfileDocuments.of(p);
        p.getRecentViews().add(0, "i7");
        p.getCategoryAffinity().put("c2", 1.0);
        assertThat(d.getRecentViews()).containsExactly("i1");
        assertThat(d.getCategoryAffinity()).containsOnlyKeys("c1");
    }

    @Test
    void beforeTheFirstSessionEndsTheSessionInProgressIsTheAverage() {
        CustomerProfile p = new CustomerProfile();
        p.setSessionEvents(4);
        p.setSessionProductViews(3);
        ProfileDocument d = ProfileDocuments.of(p);
        assertThat(d.getAvgPagesPerSession()).isEqualTo(4.0);
        assertThat(d.getAvgProductViewsPerSession()).isEqualTo(3.0);
        assertThat(d.getAvgSessionSeconds()).isZero();
        assertThat(d.getBounceRate()).isZero();
    }

    /**
     * Each step's update carries the document it built for the segments, and that is exactly the
     * document of the profile it emits (what Redis got before the step kept it), segments included,
     * through a segment join and a session's end.
     */
    @Test
    void theDocumentAStepCarriesIsTheDocumentOfItsProfile() {
        VisitorStep step =
                new VisitorStep(
                        io.shopkeeper.jobs.JobConfig.builder().build().profileSettings(),
                        io.shopkeeper.jobs.segments.SegmentEvaluator.defaults());
        CustomerProfile profile = new CustomerProfile();
        List<io.shopkeeper.schemas.ShopEvent> events =
                List.of(
                        ShopEvents.viewed("anon-d", "s1", "i1", "c1", ShopEvents.seconds(0)),
                        ShopEvents.sortedBy("anon-d", "s1", "price_asc", ShopEvents.seconds(5)),
                        ShopEvents.searched("anon-d", "s1", "coupon", 3, ShopEvents.seconds(9)),
                        ShopEvents.carted("anon-d", "s1", "i1", "c1", ShopEvents.seconds(20)),
                        ShopEvents.ordered(
                                "cust-d",
                                "s1",
                                "o-1",
                                ShopEvents.seconds(60),
                                ShopEvents.line("i1", "c1", 2, 20.0)),
                        ShopEvents.viewed("cust-d", "s2", "i2", "c2", ShopEvents.seconds(7200)));
        List<ProfileUpdate> updates = new java.util.ArrayList<>();
        for (io.shopkeeper.schemas.ShopEvent e : events) {
            // As the operator does: each step on its own copy, emitted updates never changed.
            profile = CustomerProfileSerializer.INSTANCE.copy(profile);
            updates.add(step.onEvent("cust-d", profile, e, true, null));
        }
        long sessionEnd = profile.getLastSeen() + step.settings().sessionGap().toMillis();
        CustomerProfile ended = CustomerProfileSerializer.INSTANCE.copy(profile);
        updates.add(step.onTimer("cust-d", ended, sessionEnd, null));
        assertThat(updates).hasSize(7).doesNotContainNull();
        assertThat(updates.stream().filter(u -> !u.getSegmentChanges().isEmpty()))
                .as("a step that changed segments")
                .isNotEmpty();
        assertThat(updates.get(6).isSessionEnded()).isTrue();
        for (ProfileUpdate u : updates) {
            assertThat(u.getDocument()).as(u.getKind() + " at " + u.getAt()).isNotNull();
            assertThat(u.getDocument().toJson())
                    .isEqualTo(ProfileDocuments.of(u.getProfile()).toJson());
            assertThat(u.getDocument().getSegments()).isEqualTo(u.getProfile().getSegments());
        }
    }
}
