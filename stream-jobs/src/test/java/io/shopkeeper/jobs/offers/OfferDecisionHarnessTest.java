package io.shopkeeper.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.profile.ProfileDocuments;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.WriteBackBroadcastOperator;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.offers.CampaignCodec;
import io.shopkeeper.schemas.offers.CampaignResults;
import io.shopkeeper.schemas.offers.Caps;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.Offer;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The decision operator on Flink's harness (RocksDB state): triggers on event time, exit events
 * cancelling a reminder, caps and pending reminders across a restore, attribution, forgetting, and
 * a replay from a snapshot writing exactly what the first run wrote. Run by the job's operator (the
 * states on the heap until a barrier); {@link OfferDecisionEvictingHarnessTest} again with room for
 * one visitor on the heap.
 */
class OfferDecisionHarnessTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    static final String BARGAIN =
            "{\"id\":\"bargain-coupon\",\"name\":\"Bargain\",\"trigger\":{\"type\":\"left_at_price\"},"
                    + "\"offer\":{\"kind\":\"coupon\",\"discountPercent\":10,\"validFor\":\"P2D\"},"
                    + "\"channel\":\"onsite\",\"cap\":{\"perCustomer\":1,\"per\":\"P7D\"},"
                    + "\"holdoutPercent\":0,\"status\":\"live\"}";
    static final String REMINDER =
            "{\"id\":\"cart-reminder\",\"name\":\"Reminder\","
                    + "\"trigger\":{\"type\":\"cart_abandoned\",\"after\":\"PT30M\"},"
                    + "\"offer\":{\"kind\":\"message\",\"message\":\"Still thinking?\"},"
                    + "\"allowFullPriceCustomers\":true,\"holdoutPercent\":0,\"status\":\"live\"}";
    static final String WINBACK_OUTBOUND =
            "{\"id\":\"welcome-back\",\"name\":\"Welcome back\",\"trigger\":{\"type\":\"came_back\"},"
                    + "\"offer\":{\"kind\":\"message\",\"message\":\"Welcome back\"},"
                    + "\"channel\":\"outbound\",\"holdoutPercent\":0,\"status\":\"live\"}";

    private KeyedBroadcastOperatorTestHarness<String, OfferMoment, String, RedisWrite> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    /** Visitors whose state the operator keeps on the heap. */
    int cacheSize() {
        return OfferDecisionFunction.CACHE_SIZE;
    }

    private KeyedBroadcastOperatorTestHarness<String, OfferMoment, String, RedisWrite> newHarness()
            throws Exception {
        KeyedBroadcastOperatorTestHarness<String, OfferMoment, String, RedisWrite> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new WriteBackBroadcastOperator<>(
                                new OfferDecisionFunction(
                                                new Caps.Global(3, Duration.ofDays(7)),
                                                0,
                                                Duration.ofDays(400))
                                        .withCacheSize(cacheSize()),
                                List.of(CampaignBook.DEFINITIONS)),
                        OfferMoment::getVisitorId,
                        Types.STRING,
                        1,
                        1,
                        0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** A checkpoint as the task takes it: the barrier is prepared, then the state snapshot. */
    private OperatorSubtaskState checkpoint() throws Exception {
        harness.prepareSnapshotPreBarrier(1L);
        return harness.snapshot(1L, 1L);
    }

    private void open(String... campaigns) throws Exception {
        harness = newHarness();
        harness.open();
        for (String c : campaigns) define(c);
    }

    private void define(String json) throws Exception {
        harness.processBroadcastElement(
                CampaignCodec.encode(CampaignCodec.decode(json).campaign().withVersion(1, T0)), 0);
    }

    // ---- moments, as the profile steps produce them

    static CustomerProfile profile(String visitor, boolean priceSensitive) {
        CustomerProfile p = new CustomerProfile();
        p.setVisitorId(visitor);
        if (!visitor.startsWith("anon")) p.setCustomerId(visitor);
        p.setLifecycle("active");
        p.setPriceSensitive(
                new SignalState(
                        priceSensitive ? 0.8 : 0.1,
                        priceSensitive,
                        List.of(),
                        priceSensitive ? 1 : 0));
        return p;
    }

    static OfferMoment event(String visitor, EventType type, long secondsAfterT0) {
        OfferMoment m = new OfferMoment();
        m.setVisitorId(visitor);
        m.setEventType(type);
        m.setSessionId("s-" + visitor);
        m.setAt(T0.plusSeconds(secondsAfterT0).toEpochMilli());
        return m;
    }

    static OfferMoment viewed(String visitor, String item, long s) {
        OfferMoment m = event(visitor, EventType.PRODUCT_VIEW, s);
        m.setItemId(item);
        return m;
    }

    static OfferMoment left(String visitor, boolean priceSensitive, long s) {
        OfferMoment m = event(visitor, EventType.PAGE_LEAVE, s);
        m.setFacts(ProfileFacts.of(ProfileDocuments.of(profile(visitor, priceSensitive))));
        return m;
    }

    static OfferMoment carted(String visitor, String item, long s) {
        OfferMoment m = event(visitor, EventType.ADD_TO_CART, s);
        m.setItemId(item);
        m.setFacts(ProfileFacts.of(ProfileDocuments.of(profile(visitor, false))));
        return m;
    }

    static OfferMoment ordered(String visitor, long s, double total, String coupon, double off) {
        OfferMoment m = event(visitor, EventType.ORDER_PLACED, s);
        m.setTotal(total);
        m.setCouponCode(coupon);
        m.setDiscountTotal(off);
        return m;
    }

    private void process(OfferMoment m) throws Exception {
        harness.processElement(m, m.getAt());
    }

    private void watermark(long secondsAfterT0) throws Exception {
        harness.watermark(T0.plusSeconds(secondsAfterT0).toEpochMilli());
    }

    // ---- what came out

    private List<RedisWrite> writes() {
        return harness.extractOutputValues();
    }

    private List<Offer> onsiteOffers(String visitor) {
        List<Offer> offers = new ArrayList<>();
        for (RedisWrite w : writes()) {
            if (w.getOperation() == RedisWrite.Operation.HASH_PUT
                    && w.getKey().equals(RedisKeys.offers(visitor)))
                offers.add(read(w.getText(), Offer.class));
        }
        return offers;
    }

    private List<Decision> decisions(String visitor) {
        List<Decision> decisions = new ArrayList<>();
        for (RedisWrite w : writes()) {
            if (w.getOperation() == RedisWrite.Operation.SORTED_ADD
                    && w.getKey().equals(RedisKeys.offerHistory(visitor)))
                decisions.add(read(w.getMember(), Decision.class));
        }
        return decisions;
    }

    /** Campaign counters summed from the deltas, by campaign and field. */
    private Map<String, Double> results() {
        Map<String, Double> sums = new TreeMap<>();
        var deltas = harness.getSideOutput(OfferDecisionFunction.RESULTS);
        if (deltas == null) return sums;
        for (StreamRecord<ResultDelta> r : deltas) {
            sums.merge(
                    r.getValue().getCampaignId() + " " + r.getValue().getField(),
                    r.getValue().getAmount(),
                    Double::sum);
        }
        return sums;
    }

    private List<String> outbound() {
        List<String> ids = new ArrayList<>();
        var offers = harness.getSideOutput(OfferDecisionFunction.OUTBOUND);
        if (offers != null)
            for (StreamRecord<OutboundOffer> r : offers) ids.add(r.getValue().getOfferId());
        return ids;
    }

    /** Visitors the operator keeps offers state for. */
    /**
     * Visitors with state in the keyed state a checkpoint now would hold (the barrier prepared).
     */
    private long visitorsWithState() throws Exception {
        harness.prepareSnapshotPreBarrier(0L);
        try (var keys =
                ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>)
                                harness.getOperator())
                        .getKeyedStateBackend()
                        .getKeys("offers", org.apache.flink.runtime.state.VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- scenarios

    @Test
    void priceSensitiveVisitorLeavingAtPriceGetsCouponAndRegularDoesNot() throws Exception {
        open(BARGAIN);
        process(viewed("cust-bargain", "i26", 0));
        process(left("cust-bargain", true, 5));
        process(viewed("cust-regular", "i26", 0));
        process(left("cust-regular", false, 5));

        List<Offer> coupons = onsiteOffers("cust-bargain");
        assertThat(coupons).hasSize(1);
        assertThat(coupons.get(0).couponCode()).startsWith("SK-");
        assertThat(coupons.get(0).discountPercent()).isEqualTo(10.0);
        assertThat(coupons.get(0).reason()).isEqualTo("left_at_price:i26");
        assertThat(coupons.get(0).expiresAt())
                .isEqualTo(T0.plusSeconds(5).plus(Duration.ofDays(2)));
        assertThat(writes())
                .anyMatch(
                        w ->
                                w.getOperation() == RedisWrite.Operation.EXPIRE_AT
                                        && w.getKey().equals(RedisKeys.offers("cust-bargain"))
                                        && w.getExpireAt()
                                                == coupons.get(0).expiresAt().toEpochMilli());
        assertThat(decisions("cust-bargain"))
                .extracting(d -> d.outcome().wireName())
                .containsExactly("sent");

        assertThat(onsiteOffers("cust-regular")).isEmpty();
        assertThat(decisions("cust-regular"))
                .extracting(d -> d.outcome().wireName() + " " + d.reason())
                .containsExactly("not_eligible full_price_customer");
        assertThat(results())
                .containsEntry("bargain-coupon sent", 1.0)
                .containsEntry("bargain-coupon not_eligible", 1.0);
    }

    @Test
    void aSessionEndingOnAProductPageIsLeavingAtThePriceButNotWithSomethingInTheCart()
            throws Exception {
        open(BARGAIN);
        process(viewed("cust-a", "i1", 0));
        OfferMoment end = event("cust-a", null, 1800);
        end.setSessionEnded(true);
        end.setSessionEndedAt(T0.plusSeconds(1800).toEpochMilli());
        end.setFacts(ProfileFacts.of(ProfileDocuments.of(profile("cust-a", true))));
        process(end);
        assertThat(onsiteOffers("cust-a"))
                .extracting(Offer::reason)
                .containsExactly("left_at_price:i1");

        process(carted("cust-b", "i9", 0));
        process(viewed("cust-b", "i2", 10));
        process(left("cust-b", true, 15));
        assertThat(decisions("cust-b")).isEmpty();
    }

    @Test
    void cartAbandonerGetsTheReminderAfterTheDelayAndBuyerDoesNot() throws Exception {
        open(REMINDER);
        process(carted("cust-away", "i1", 0));
        process(carted("cust-buyer", "i2", 0));
        process(ordered("cust-buyer", 600, 40, null, 0));
        process(carted("cust-emptied", "i3", 0));
        OfferMoment removed = event("cust-emptied", EventType.REMOVE_FROM_CART, 60);
        removed.setItemId("i3");
        process(removed);

        watermark(29 * 60);
        assertThat(onsiteOffers("cust-away")).isEmpty();
        watermark(30 * 60);
        assertThat(onsiteOffers("cust-away"))
                .extracting(Offer::message, Offer::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Still thinking?", "cart_abandoned"));
        watermark(3 * 3600);
        assertThat(decisions("cust-buyer")).isEmpty();
        assertThat(decisions("cust-emptied")).isEmpty();
    }

    @Test
    void aBackfillReleasingHoursOfStepsAtOnceStillRemindsTheCartAbandonedBeforeTheOrder()
            throws Exception {
        // A backfill: the watermark stays behind while a visitor's later steps are read, so the
        // reminder's timer has not fired when the order two hours later arrives.
        open(REMINDER);
        process(carted("cust-late", "i1", 0));
        process(carted("cust-quick", "i2", 0));
        process(ordered("cust-quick", 20 * 60, 30, null, 0));
        process(ordered("cust-late", 2 * 3600, 40, null, 0));
        assertThat(decisions("cust-late"))
                .extracting(Decision::outcome, Decision::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                Decision.Outcome.SENT, T0.plusSeconds(30 * 60).toEpochMilli()));
        watermark(3 * 3600);
        assertThat(decisions("cust-late")).hasSize(1);
        assertThat(decisions("cust-quick")).isEmpty();
    }

    @Test
    void anOrderReadBeforeTheCartStepsThatLedToItStillClosesTheCart() throws Exception {
        // Orders travel on their own topic: the job may read the order before the cart steps.
        open(REMINDER);
        process(ordered("cust-once", 0, 25, null, 0));
        process(ordered("cust-buyer", 120, 40, null, 0));
        process(carted("cust-buyer", "i2", 0));
        OfferMoment checkout = event("cust-buyer", EventType.CHECKOUT_START, 60);
        checkout.setFacts(ProfileFacts.of(ProfileDocuments.of(profile("cust-buyer", false))));
        process(checkout);
        // Shopping again after the order is a new cart.
        process(carted("cust-buyer", "i3", 600));

        watermark(30 * 60 + 60);
        assertThat(decisions("cust-buyer")).isEmpty();
        watermark(40 * 60);
        assertThat(decisions("cust-buyer"))
                .extracting(Decision::outcome)
                .containsExactly(Decision.Outcome.SENT);
        // An order is forgotten after an hour of event time: a buyer with nothing else leaves
        // no state (the reminder's cap stays).
        watermark(2 * 3600);
        assertThat(visitorsWithState()).isEqualTo(1);
    }

    // ---- stitching: an anonymous visitor logs in

    static OfferMoment mergedAway(String anonymousId, String customerId, long s) {
        OfferMoment m = new OfferMoment();
        m.setKind(OfferMoment.Kind.MERGED_AWAY);
        m.setVisitorId(anonymousId);
        m.setMergedInto(customerId);
        m.setAt(T0.plusSeconds(s).toEpochMilli());
        return m;
    }

    private List<OfferHandover> handovers() {
        List<OfferHandover> out = new ArrayList<>();
        var records = harness.getSideOutput(OfferDecisionFunction.HANDOVERS);
        if (records != null) for (StreamRecord<OfferHandover> r : records) out.add(r.getValue());
        return out;
    }

    @Test
    void aStitchedVisitorsCapsCouponsAndRemindersCarryOverSoLoggingInEarnsNoSecondCoupon()
            throws Exception {
        open(BARGAIN, REMINDER);
        // Anonymous: a bargain hunter leaves at the price and gets the coupon; another carts.
        process(viewed("anon-1", "i1", 0));
        process(left("anon-1", true, 5));
        Offer coupon = onsiteOffers("anon-1").get(0);
        process(carted("anon-2", "i2", 60));

        // Both log in: their state leaves the anonymous key and is handed to the customer.
        process(mergedAway("anon-1", "cust-1", 120));
        process(mergedAway("anon-2", "cust-2", 120));
        process(mergedAway("anon-3", "cust-3", 120)); // nothing to hand over
        List<OfferHandover> handed = handovers();
        assertThat(handed)
                .extracting(OfferHandover::getAnonymousId, OfferHandover::getCustomerId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("anon-1", "cust-1"),
                        org.assertj.core.groups.Tuple.tuple("anon-2", "cust-2"));
        assertThat(visitorsWithState()).isZero();

        // Read back under the customers' keys (at least once: a second copy changes nothing),
        // across a restore.
        OperatorSubtaskState snapshot = checkpoint();
        harness.close();
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        for (OfferHandover h : handed) {
            process(h.toMoment());
            process(h.toMoment());
        }

        // The customer leaves at the price again: capped, no second coupon...
        process(viewed("cust-1", "i3", 300));
        process(left("cust-1", true, 305));
        assertThat(onsiteOffers("cust-1")).isEmpty();
        assertThat(decisions("cust-1"))
                .extracting(Decision::outcome, Decision::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                Decision.Outcome.CAPPED, "campaign_cap"));
        // ...while a customer who never had one gets it.
        process(viewed("cust-4", "i3", 300));
        process(left("cust-4", true, 305));
        assertThat(onsiteOffers("cust-4")).hasSize(1);
        // The coupon given while anonymous, redeemed as the customer, is the campaign's.
        process(ordered("cust-1", 600, 54, coupon.couponCode(), 6));
        assertThat(results())
                .containsEntry("bargain-coupon " + CampaignResults.TREATED_CONVERSIONS, 1.0);
        // The reminder armed while anonymous comes to the customer, once.
        watermark(60 + 30 * 60);
        assertThat(onsiteOffers("cust-2"))
                .extracting(Offer::campaignId)
                .containsExactly("cart-reminder");
    }

    /**
     * A reminder re-armed at every cart step, or cancelled by an order or an emptied cart, leaves
     * no timer behind that would only find nothing due: one timer per visitor and due time.
     */
    @Test
    void reArmedAndCancelledRemindersLeaveNoIdleTimers() throws Exception {
        open(REMINDER);
        process(carted("cust-c", "i1", 0));
        process(carted("cust-c", "i2", 60));
        OfferMoment cartPage = event("cust-c", EventType.PAGE_VIEW, 120);
        cartPage.setPageType("cart");
        process(cartPage);
        process(event("cust-c", EventType.CHECKOUT_START, 180));
        assertThat(harness.numEventTimeTimers()).as("the last reminder's").isEqualTo(1);

        process(carted("cust-o", "i1", 0));
        process(ordered("cust-o", 600, 40, null, 0));
        assertThat(harness.numEventTimeTimers()).as("and the order's").isEqualTo(2);

        process(carted("cust-e", "i3", 0));
        OfferMoment removed = event("cust-e", EventType.REMOVE_FROM_CART, 60);
        removed.setItemId("i3");
        process(removed);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        watermark(180 + 1800 - 1);
        assertThat(decisions("cust-c")).isEmpty();
        watermark(180 + 1800);
        assertThat(onsiteOffers("cust-c"))
                .extracting(Offer::reason)
                .containsExactly("cart_abandoned");
        watermark(3 * 3600);
        assertThat(decisions("cust-o")).isEmpty();
        assertThat(decisions("cust-e")).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void capsAndPendingRemindersSurviveARestore() throws Exception {
        open(BARGAIN, REMINDER);
        process(viewed("cust-a", "i1", 0));
        process(left("cust-a", true, 5));
        process(carted("cust-c", "i1", 0));
        assertThat(onsiteOffers("cust-a")).hasSize(1);
        OperatorSubtaskState snapshot = checkpoint();
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        process(viewed("cust-a", "i2", 3600));
        process(left("cust-a", true, 3605));
        assertThat(onsiteOffers("cust-a")).isEmpty();
        assertThat(decisions("cust-a"))
                .extracting(d -> d.outcome().wireName() + " " + d.reason())
                .containsExactly("capped campaign_cap");

        watermark(1800);
        assertThat(onsiteOffers("cust-c"))
                .extracting(Offer::campaignId)
                .containsExactly("cart-reminder");
    }

    @Test
    void aReplayFromASnapshotWritesTheSameOffersAndSendsNothingTwice() throws Exception {
        open(BARGAIN, WINBACK_OUTBOUND);
        process(viewed("cust-a", "i1", 0));
        OperatorSubtaskState snapshot = checkpoint();
        List<OfferMoment> after = List.of(left("cust-a", true, 5), wonBack("cust-w", 10));
        for (OfferMoment m : after) process(m);
        List<String> first = describe(writes());
        List<String> firstOutbound = outbound();
        assertThat(firstOutbound).hasSize(1);
        harness.close();

        // The job fails after these outputs and restarts from the snapshot: the same steps again.
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        for (OfferMoment m : after) process(m);
        assertThat(describe(writes())).isEqualTo(first);
        assertThat(outbound()).isEqualTo(firstOutbound);

        // Past the replay, the same moment again is a new decision: capped, nothing sent.
        process(left("cust-a", true, 7));
        assertThat(onsiteOffers("cust-a")).hasSize(1);
    }

    static OfferMoment wonBack(String visitor, long s) {
        OfferMoment m = event(visitor, EventType.PAGE_VIEW, s);
        m.setPageType("home");
        m.setWonBack(true);
        m.setFacts(ProfileFacts.of(ProfileDocuments.of(profile(visitor, false))));
        return m;
    }

    private static List<String> describe(List<RedisWrite> writes) {
        return writes.stream()
                .map(
                        w ->
                                w.getOperation()
                                        + " "
                                        + w.getKey()
                                        + " "
                                        + w.getMember()
                                        + " "
                                        + w.getText()
                                        + " "
                                        + w.getScore()
                                        + " "
                                        + w.getExpireAt())
                .toList();
    }

    @Test
    void aRedeemedCouponIsATreatedConversionAndOrdersInTheWindowCountForTheHoldout()
            throws Exception {
        String heldOut = BARGAIN.replace("\"holdoutPercent\":0", "\"holdoutPercent\":50");
        open(heldOut);
        // Find one visitor of each group (the holdout is a hash of campaign and visitor).
        String treated = null;
        String control = null;
        for (int i = 0; treated == null || control == null; i++) {
            String v = "cust-" + i;
            boolean out = io.shopkeeper.schemas.offers.Holdout.isHeldOut("bargain-coupon", v, 50);
            if (out && control == null) control = v;
            if (!out && treated == null) treated = v;
        }
        for (String v : List.of(treated, control)) {
            process(viewed(v, "i1", 0));
            process(left(v, true, 5));
        }
        Offer coupon = onsiteOffers(treated).get(0);
        assertThat(onsiteOffers(control)).isEmpty();
        assertThat(decisions(control)).extracting(d -> d.reason()).containsExactly("holdout");

        OfferMoment impression = event(treated, EventType.IMPRESSION, 10);
        impression.setOfferId(coupon.offerId());
        process(impression);
        OfferMoment click = event(treated, EventType.CLICK, 11);
        click.setOfferId(coupon.offerId());
        process(click);
        process(ordered(treated, 3600, 90, coupon.couponCode(), 10));
        process(ordered(control, 7200, 50, null, 0));
        process(ordered(control, 7300, 50, null, 0)); // the decision converts once

        assertThat(results())
                .containsEntry("bargain-coupon sent", 1.0)
                .containsEntry("bargain-coupon held_out", 1.0)
                .containsEntry("bargain-coupon " + CampaignResults.IMPRESSIONS, 1.0)
                .containsEntry("bargain-coupon " + CampaignResults.CLICKS, 1.0)
                .containsEntry("bargain-coupon " + CampaignResults.TREATED_CONVERSIONS, 1.0)
                .containsEntry("bargain-coupon " + CampaignResults.TREATED_REVENUE, 90.0)
                .containsEntry("bargain-coupon " + CampaignResults.DISCOUNT, 10.0)
                .containsEntry("bargain-coupon " + CampaignResults.HOLDOUT_CONVERSIONS, 1.0)
                .containsEntry("bargain-coupon " + CampaignResults.HOLDOUT_REVENUE, 50.0);
    }

    @Test
    void forgettingAVisitorDeletesTheirOffersAndClearsTheState() throws Exception {
        open(BARGAIN);
        process(viewed("cust-a", "i1", 0));
        process(left("cust-a", true, 5));
        assertThat(visitorsWithState()).isPositive();
        OfferMoment forget = event("cust-a", null, 10);
        forget.setKind(OfferMoment.Kind.FORGOTTEN);
        forget.setAliases(List.of("anon-1"));
        harness.getOutput().clear();
        process(forget);
        assertThat(describe(writes()))
                .containsExactly(
                        "DELETE " + RedisKeys.offers("cust-a") + " null null 0.0 0",
                        "DELETE " + RedisKeys.offerHistory("cust-a") + " null null 0.0 0",
                        "DELETE " + RedisKeys.offers("anon-1") + " null null 0.0 0",
                        "DELETE " + RedisKeys.offerHistory("anon-1") + " null null 0.0 0");
        assertThat(visitorsWithState()).isZero();
    }

    @Test
    void withoutLiveCampaignsVisitorsCostNoState() throws Exception {
        open(BARGAIN.replace("\"live\"", "\"paused\""));
        process(viewed("cust-a", "i1", 0));
        process(left("cust-a", true, 5));
        process(ordered("cust-a", 60, 10, null, 0));
        assertThat(writes()).isEmpty();
        assertThat(visitorsWithState()).isZero();
    }
}
