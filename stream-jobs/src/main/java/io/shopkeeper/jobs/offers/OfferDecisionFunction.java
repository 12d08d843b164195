package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.offers.OfferState.AssignedEntry;
import io.shopkeeper.jobs.offers.OfferState.OpenEntry;
import io.shopkeeper.jobs.offers.OfferState.PendingCart;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.jobs.types.WriteBackBroadcastOperator;
import io.shopkeeper.jobs.types.WriteBackCache;
import io.shopkeeper.jobs.types.WritesBack;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.offers.Attribution;
import io.shopkeeper.schemas.offers.Campaign;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import io.shopkeeper.schemas.offers.CampaignResults;
import io.shopkeeper.schemas.offers.Caps;
import io.shopkeeper.schemas.offers.Decision;
import io.shopkeeper.schemas.offers.Decision.Outcome;
import io.shopkeeper.schemas.offers.OfferDecider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The offer decisions, one operator keyed by visitor: live campaigns arrive as broadcast state
 * ({@link CampaignBook}, indexed by trigger type), the visitor's steps as {@link OfferMoment}s.
 * Triggers are read on event time: {@code left_at_price} (a page leave, or the session ending, on a
 * product page with nothing in the cart), {@code cart_abandoned} (an event-time timer {@code after}
 * the last cart or checkout step, cancelled by an order or an emptied cart), {@code drifting},
 * {@code came_back}, {@code segment_joined}, and {@code price_drop} / {@code back_in_stock} from
 * {@link ItemInterestFunction}. The rules are {@link OfferDecider}'s; this class keeps the state
 * they need (caps, open decisions, pending reminders) in one value, so a decision and its cap are
 * checkpointed together.
 *
 * <p>Outputs, all idempotent under replay (a restored state decides the same decisions with the
 * same deterministic ids): every decision into the visitor's history (a sorted SET member, so a
 * repeat is a no-op), sent onsite offers into the visitor's offers HASH by offer id, sent outbound
 * offers to {@link #OUTBOUND} (the {@code offers} topic, transactional), and a {@link ResultDelta}
 * per decision, impression, click and attributed order to {@link #RESULTS}. A forgotten visitor's
 * offers and history are deleted and their state cleared. When an anonymous id is stitched to a
 * customer its state goes to {@link #HANDOVERS} and comes back under the customer's key (through
 * the {@code offer-handovers} topic), merged into theirs: caps, open decisions and pending
 * reminders carry over, so logging in earns no second coupon. Until it is back (milliseconds), the
 * customer's key decides without it.
 *
 * <p>Bounded: assigned decisions are kept {@link #ASSIGNED_KEPT} (at most {@link #MAX_KEPT}), open
 * decisions until their conversion window ends (at most {@link #MAX_KEPT}), the cart at most {@link
 * #MAX_KEPT} items, the last order {@link #ORDER_KEPT} (an event-time timer drops it); the state is
 * cleared when empty and expires after {@code ttl} without a write. A visitor no live campaign
 * listens to, with nothing open, costs a map lookup and no state.
 *
 * <p>Run by a {@link WriteBackBroadcastOperator} (the job does), the states of up to {@link
 * #CACHE_SIZE} visitors wait on the heap ({@link WriteBackCache}) and reach RocksDB when evicted or
 * before a checkpoint barrier: a visitor's steps within a checkpoint interval cost one state write
 * instead of a RocksDB read and write each (half of this task's CPU, in a profile of the pipeline
 * benchmark). The cached value is changed in place (no copy per step): every path that changes it
 * stores it, and a step that throws fails the job, which restarts from the checkpoint with an empty
 * cache.
 */
public class OfferDecisionFunction
        extends KeyedBroadcastProcessFunction<String, OfferMoment, String, RedisWrite>
        implements WritesBack {
    public static final OutputTag<OutboundOffer> OUTBOUND =
            new OutputTag<>("outbound-offers", TypeInformation.of(OutboundOffer.class));
    public static final OutputTag<ResultDelta> RESULTS =
            new OutputTag<>("campaign-result-deltas", TypeInformation.of(ResultDelta.class));
    public static final OutputTag<OfferHandover> HANDOVERS =
            new OutputTag<>("offer-handovers", TypeInformation.of(OfferHandover.class));

    /** Visitors whose offer state is kept on the heap per subtask (some 0.5 KB each). */
    public static final int CACHE_SIZE = 10_000;

    static final Duration ASSIGNED_KEPT = Duration.ofDays(90);
    static final int MAX_KEPT = 50;

    /**
     * How long an order is remembered to close the cart steps before it that are read after it:
     * orders travel on their own topic and may be read before the clickstream that led to them.
     */
    static final Duration ORDER_KEPT = Duration.ofHours(1);

    private final int globalCapMax;
    private final Duration globalCapPer;
    private final double globalHoldoutPercent;
    private final Duration ttl;

    private transient OfferDecider decider;
    private transient WriteBackCache<String, OfferState> state;
    private int cacheSize = CACHE_SIZE;
    private transient CampaignBook book;

    public OfferDecisionFunction(Caps.Global globalCap, double globalHoldoutPercent, Duration ttl) {
        this.globalCapMax = globalCap.maxOffers();
        this.globalCapPer = globalCap.per();
        this.globalHoldoutPercent = globalHoldoutPercent;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        decider =
                new OfferDecider(new Caps.Global(globalCapMax, globalCapPer), globalHoldoutPercent);
        ValueStateDescriptor<OfferState> descriptor =
                new ValueStateDescriptor<>("offers", OfferStateSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtl.afterLastWrite(ttl));
        state =
                new WriteBackCache<>(
                        getRuntimeContext().getState(descriptor),
                        cacheSize,
                        UnaryOperator.identity(),
                        ttl);
    }

    /**
     * Keeps up to {@code visitors} visitors' states on the heap (0: none) instead of {@link
     * #CACHE_SIZE}.
     */
    public OfferDecisionFunction withCacheSize(int visitors) {
        this.cacheSize = visitors;
        return this;
    }

    @Override
    public void setKeyContext(KeyContext keys) {
        state.setKeyContext(keys);
    }

    @Override
    public void writeBack(long now) throws Exception {
        state.writeBack(now);
    }

    @Override
    public void processBroadcastElement(String json, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        if (json != null
                && CampaignBook.store(ctx.getBroadcastState(CampaignBook.DEFINITIONS), json))
            book = null;
    }

    private CampaignBook book(ReadOnlyContext ctx) throws Exception {
        if (book == null)
            book =
                    CampaignBook.of(
                            ctx.getBroadcastState(CampaignBook.DEFINITIONS).immutableEntries());
        return book;
    }

    @Override
    public void processElement(OfferMoment m, ReadOnlyContext ctx, Collector<RedisWrite> out)
            throws Exception {
        String visitor = m.getVisitorId();
        String key = ctx.getCurrentKey();
        long now = ctx.currentProcessingTime();
        switch (m.getKind()) {
            case FORGOTTEN -> {
                forget(visitor, out);
                for (String alias : m.getAliases()) forget(alias, out);
                state.clear(key);
                return;
            }
            case MERGED_AWAY -> {
                // Stitched: what this anonymous id's state remembers goes to the customer.
                OfferState s = state.load(key, now);
                if (s != null && m.getMergedInto() != null && !m.getMergedInto().equals(visitor))
                    ctx.output(
                            HANDOVERS, new OfferHandover(m.getMergedInto(), visitor, m.getAt(), s));
                state.clear(key);
                return;
            }
            case HANDOVER -> {
                if (m.getHandover() == null) return;
                OfferState s = state.load(key, now);
                if (s == null) s = new OfferState();
                for (PendingCart p : s.merge(m.getHandover()))
                    ctx.timerService().registerEventTimeTimer(p.getFireAt());
                if (s.getLastOrderAt() > 0)
                    ctx.timerService()
                            .registerEventTimeTimer(s.getLastOrderAt() + ORDER_KEPT.toMillis());
                prune(s, m.getAt());
                save(key, s, now);
                return;
            }
            default -> {}
        }
        CampaignBook b = book(ctx);
        boolean tracksPages =
                b.listens(TriggerType.LEFT_AT_PRICE) || b.listens(TriggerType.CART_ABANDONED);
        boolean itemTriggers =
                b.listens(TriggerType.PRICE_DROP) || b.listens(TriggerType.BACK_IN_STOCK);
        boolean attribution =
                m.getEventType() != null
                        && switch (m.getEventType()) {
                            case IMPRESSION, CLICK -> m.getOfferId() != null;
                            case ORDER_PLACED -> true;
                            default -> false;
                        };
        boolean triggers =
                m.getKind() == OfferMoment.Kind.ITEM
                        || (m.isDriftingOn() && b.listens(TriggerType.DRIFTING))
                        || (m.isWonBack() && b.listens(TriggerType.CAME_BACK))
                        || (!m.getJoinedSegments().isEmpty()
                                && b.listens(TriggerType.SEGMENT_JOINED));
        if (!attribution && !tracksPages && !triggers && !(itemTriggers && m.getFacts() != null))
            return;

        OfferState s = state.load(key, now);
        if (s == null) {
            // Attribution needs open decisions; nothing open, nothing to attribute.
            if (attribution && !tracksPages && !triggers && !itemTriggers) return;
            s = new OfferState();
        }
        Step step = new Step(visitor, s, ctx, out);
        // A reminder due before this step is decided first, as its timer would have been: one
        // watermark can release a visitor's hours of steps at once (a backfill), and an order
        // read before the timer fired must not cancel a cart it did not close in time.
        if (m.getKind() == OfferMoment.Kind.STEP) decideDueCarts(s, b, m.getAt() - 1, step);
        prune(s, m.getAt());
        Map<String, Object> facts = m.getFacts();
        if (facts != null && (itemTriggers || b.listens(TriggerType.CART_ABANDONED)))
            s.keepFacts(facts);

        if (m.isSessionEnded() && tracksPages) {
            if (s.getProductOnScreen() != null && s.getCartItems().isEmpty()) {
                step.decide(
                        b.listening(TriggerType.LEFT_AT_PRICE),
                        facts,
                        "left_at_price:" + s.getProductOnScreen(),
                        m.getSessionEndedAt());
            }
            s.setProductOnScreen(null);
        }
        if (m.getEventType() != null) {
            switch (m.getEventType()) {
                case PRODUCT_VIEW -> {
                    if (tracksPages) s.setProductOnScreen(m.getItemId());
                }
                case PAGE_VIEW, SEARCH -> {
                    if (tracksPages) {
                        if (!"product".equals(m.getPageType())) s.setProductOnScreen(null);
                        if (("cart".equals(m.getPageType()) || "checkout".equals(m.getPageType()))
                                && !s.getCartItems().isEmpty()) step.cartReached(b, m.getAt());
                    }
                }
                case PAGE_LEAVE -> {
                    if (tracksPages) {
                        String item =
                                m.getItemId() != null
                                        ? m.getItemId()
                                        : m.getPageType() == null
                                                        || "product".equals(m.getPageType())
                                                ? s.getProductOnScreen()
                                                : null;
                        if (item != null && s.getCartItems().isEmpty()) {
                            step.decide(
                                    b.listening(TriggerType.LEFT_AT_PRICE),
                                    facts,
                                    "left_at_price:" + item,
                                    m.getAt());
                        }
                        s.setProductOnScreen(null);
                    }
                }
                case ADD_TO_CART -> {
                    if (tracksPages && m.getAt() > s.getLastOrderAt()) {
                        if (m.getItemId() != null && !s.getCartItems().contains(m.getItemId())) {
                            s.getCartItems().add(m.getItemId());
                            if (s.getCartItems().size() > MAX_KEPT) s.getCartItems().remove(0);
                        }
                        step.cartReached(b, m.getAt());
                    }
                }
                case REMOVE_FROM_CART -> {
                    s.getCartItems().remove(m.getItemId());
                    if (s.getCartItems().isEmpty()) step.cancelPendingCarts();
                }
                case CHECKOUT_START -> {
                    if (tracksPages) step.cartReached(b, m.getAt());
                }
                case ORDER_PLACED -> {
                    s.setProductOnScreen(null); // a session ending in an order left nothing
                    s.getCartItems().clear();
                    step.cancelPendingCarts();
                    if (tracksPages && m.getAt() > s.getLastOrderAt()) {
                        s.setLastOrderAt(m.getAt());
                        ctx.timerService()
                                .registerEventTimeTimer(m.getAt() + ORDER_KEPT.toMillis());
                    }
                    step.order(m);
                }
                case IMPRESSION, CLICK -> step.engagement(m);
                default -> {}
            }
        }
        if (m.isDriftingOn())
            step.decide(b.listening(TriggerType.DRIFTING), facts, "drifting", m.getAt());
        if (m.isWonBack())
            step.decide(b.listening(TriggerType.CAME_BACK), facts, "came_back", m.getAt());
        for (String segment : m.getJoinedSegments()) {
            step.decide(
                    b.listening(TriggerType.SEGMENT_JOINED).stream()
                            .filter(c -> segment.equals(c.trigger().segment()))
                            .toList(),
                    facts,
                    "segment_joined:" + segment,
                    m.getAt());
        }
        if (m.getKind() == OfferMoment.Kind.ITEM) itemTrigger(b, m, s, step);
        step.deleteIdleTimers();
        save(key, s, now);
    }

    private void itemTrigger(CampaignBook b, OfferMoment m, OfferState s, Step step) {
        TriggerType type =
                TriggerType.PRICE_DROP.wireName().equals(m.getItemTrigger())
                        ? TriggerType.PRICE_DROP
                        : TriggerType.BACK_IN_STOCK;
        long since = m.getAt() - m.getInterestAt();
        List<Campaign> campaigns =
                b.listening(type).stream()
                        .filter(
                                c ->
                                        c.trigger().withinDuration() == null
                                                || since <= c.trigger().withinDuration().toMillis())
                        .filter(
                                c ->
                                        type != TriggerType.PRICE_DROP
                                                || c.trigger().minDropPercent() == null
                                                || m.getDropPercent()
                                                        >= c.trigger().minDropPercent())
                        .toList();
        step.decide(campaigns, s.facts(), type.wireName() + ":" + m.getItemId(), m.getAt());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RedisWrite> out)
            throws Exception {
        String key = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        OfferState s = state.load(key, now);
        if (s == null) return;
        boolean changed =
                decideDueCarts(s, book(ctx), timestamp, new Step(ctx.getCurrentKey(), s, ctx, out));
        boolean orderForgotten =
                s.getLastOrderAt() > 0 && s.getLastOrderAt() + ORDER_KEPT.toMillis() <= timestamp;
        if (!changed && !orderForgotten) return;
        prune(s, timestamp);
        save(key, s, now);
    }

    /**
     * Removes the pending carts due at or before {@code dueBy} and decides their live cart
     * campaigns, each group at the time it fell due (in time order); true when any was pending.
     */
    private boolean decideDueCarts(OfferState s, CampaignBook b, long dueBy, Step step) {
        TreeMap<Long, List<Campaign>> due = new TreeMap<>();
        boolean changed =
                s.getPendingCarts()
                        .removeIf(
                                p -> {
                                    if (p.getFireAt() > dueBy) return false;
                                    step.noLongerPending(p);
                                    Campaign c = b.campaign(p.getCampaignId());
                                    if (c != null
                                            && c.trigger().type() == TriggerType.CART_ABANDONED)
                                        due.computeIfAbsent(p.getFireAt(), k -> new ArrayList<>())
                                                .add(c);
                                    return true;
                                });
        Map<String, Object> facts = due.isEmpty() ? null : s.facts();
        due.forEach(
                (at, campaigns) -> {
                    prune(s, at);
                    step.decide(campaigns, facts, TriggerType.CART_ABANDONED.wireName(), at);
                });
        return changed;
    }

    private void save(String key, OfferState s, long now) throws Exception {
        if (s.isEmpty()) state.clear(key);
        else state.store(key, s, now);
    }

    private static void forget(String visitor, Collector<RedisWrite> out) {
        out.collect(RedisWrite.deleteInOrder(RedisKeys.offers(visitor)));
        out.collect(RedisWrite.deleteInOrder(RedisKeys.offerHistory(visitor)));
    }

    /** Drops what no cap and no attribution can use any more, and bounds every list. */
    static void prune(OfferState s, long now) {
        long assignedFrom = now - ASSIGNED_KEPT.toMillis();
        s.getAssigned().removeIf(a -> a.getAt() < assignedFrom);
        while (s.getAssigned().size() > MAX_KEPT) s.getAssigned().remove(0);
        s.getOpen().removeIf(o -> o.getWindowEnd() <= now);
        while (s.getOpen().size() > MAX_KEPT) s.getOpen().remove(0);
        if (s.getLastOrderAt() + ORDER_KEPT.toMillis() <= now) s.setLastOrderAt(0);
    }

    /** One step's writes for one visitor. */
    private final class Step {
        private final String visitor;
        private final OfferState s;
        private final ReadOnlyContext ctx;
        private final Collector<RedisWrite> out;

        /** Due times of reminders removed in this step, whose timers may be idle now. */
        private List<Long> idleTimers;

        Step(String visitor, OfferState s, ReadOnlyContext ctx, Collector<RedisWrite> out) {
            this.visitor = visitor;
            this.s = s;
            this.ctx = ctx;
            this.out = out;
        }

        /**
         * Cart or checkout reached: every cart campaign's reminder is (re)armed, unless an order
         * after this step was read already (it closed this cart).
         */
        void cartReached(CampaignBook b, long at) {
            if (at <= s.getLastOrderAt()) return;
            for (Campaign c : b.listening(TriggerType.CART_ABANDONED)) {
                long fireAt = at + b.reminderAfterMillis(c);
                s.getPendingCarts()
                        .removeIf(
                                p -> {
                                    if (!p.getCampaignId().equals(c.id())) return false;
                                    noLongerPending(p);
                                    return true;
                                });
                s.getPendingCarts().add(new PendingCart(c.id(), fireAt));
                ctx.timerService().registerEventTimeTimer(fireAt);
            }
        }

        /** An order or an emptied cart: no reminder is due any more. */
        void cancelPendingCarts() {
            for (PendingCart p : s.getPendingCarts()) noLongerPending(p);
            s.getPendingCarts().clear();
        }

        /** {@code p} was removed from the pending reminders (re-armed, cancelled or decided). */
        void noLongerPending(PendingCart p) {
            if (idleTimers == null) idleTimers = new ArrayList<>(2);
            idleTimers.add(p.getFireAt());
        }

        /**
         * Deletes the timers of reminders no longer pending, unless a pending reminder or the kept
         * order falls due at the same time: such a timer would find nothing to do when it fires
         * (every pending reminder has its own timer, which fires first, and so does the order's),
         * yet it would be checkpointed until then and read the state to learn it. A visitor re-arms
         * the reminder at every cart step.
         */
        void deleteIdleTimers() {
            if (idleTimers == null) return;
            long orderTimer =
                    s.getLastOrderAt() > 0 ? s.getLastOrderAt() + ORDER_KEPT.toMillis() : -1;
            for (long t : idleTimers) {
                if (t == orderTimer) continue;
                boolean stillDue = false;
                for (PendingCart p : s.getPendingCarts()) stillDue |= p.getFireAt() == t;
                if (!stillDue) ctx.timerService().deleteEventTimeTimer(t);
            }
            idleTimers = null;
        }

        void decide(List<Campaign> campaigns, Map<String, Object> facts, String trigger, long at) {
            if (campaigns.isEmpty() || facts == null) return;
            List<Caps.Assigned> history = new ArrayList<>(s.getAssigned().size());
            for (AssignedEntry a : s.getAssigned())
                history.add(new Caps.Assigned(a.getCampaignId(), a.getAt()));
            for (OfferDecider.Result r :
                    decider.decide(
                            visitor,
                            campaigns,
                            facts,
                            history,
                            trigger,
                            Instant.ofEpochMilli(at))) {
                Decision d = r.decision();
                out.collect(
                        RedisWrite.sortedAdd(
                                RedisKeys.offerHistory(visitor),
                                EventCodec.encodeToString(d),
                                d.at(),
                                RedisKeys.OFFER_HISTORY_KEPT));
                result(d.campaignId(), d.outcome().wireName(), 1);
                if (!d.outcome().isAssigned()) continue;
                Campaign c =
                        campaigns.stream()
                                .filter(x -> x.id().equals(d.campaignId()))
                                .findFirst()
                                .orElseThrow();
                boolean sent = d.outcome() == Outcome.SENT;
                s.getAssigned().add(new AssignedEntry(c.id(), at));
                OpenEntry o = new OpenEntry();
                o.setOfferId(d.offerId());
                o.setCampaignId(c.id());
                o.setTreated(sent);
                o.setCouponCode(sent ? r.offer().couponCode() : null);
                o.setDecidedAt(at);
                o.setWindowEnd(at + c.conversionWindowDuration().toMillis());
                s.getOpen().add(o);
                if (!sent) continue;
                String json = EventCodec.encodeToString(r.offer());
                if (c.channel() == Campaign.Channel.ONSITE) {
                    out.collect(
                            RedisWrite.hashPutText(RedisKeys.offers(visitor), d.offerId(), json));
                    s.setOffersExpireAt(
                            Math.max(s.getOffersExpireAt(), r.offer().expiresAt().toEpochMilli()));
                    out.collect(
                            RedisWrite.expireAt(RedisKeys.offers(visitor), s.getOffersExpireAt()));
                } else {
                    ctx.output(OUTBOUND, new OutboundOffer(visitor, d.offerId(), json));
                }
            }
        }

        /** An order: a conversion of the decision it redeems or falls in the window of. */
        void order(OfferMoment m) {
            int i = Attribution.order(open(), m.getCouponCode(), m.getAt());
            if (i < 0) return;
            OpenEntry o = s.getOpen().get(i);
            o.setConverted(true);
            if (o.isTreated()) {
                result(o.getCampaignId(), CampaignResults.TREATED_CONVERSIONS, 1);
                result(o.getCampaignId(), CampaignResults.TREATED_REVENUE, m.getTotal());
                if (o.getCouponCode() != null && o.getCouponCode().equals(m.getCouponCode()))
                    result(o.getCampaignId(), CampaignResults.DISCOUNT, m.getDiscountTotal());
            } else {
                result(o.getCampaignId(), CampaignResults.HOLDOUT_CONVERSIONS, 1);
                result(o.getCampaignId(), CampaignResults.HOLDOUT_REVENUE, m.getTotal());
            }
        }

        /** An impression or a click of a sent offer. */
        void engagement(OfferMoment m) {
            int i = Attribution.engagement(open(), m.getOfferId());
            if (i < 0) return;
            result(
                    s.getOpen().get(i).getCampaignId(),
                    m.getEventType() == io.shopkeeper.schemas.EventType.CLICK
                            ? CampaignResults.CLICKS
                            : CampaignResults.IMPRESSIONS,
                    1);
        }

        private List<Attribution.Open> open() {
            List<Attribution.Open> open = new ArrayList<>(s.getOpen().size());
            for (OpenEntry o : s.getOpen()) {
                open.add(
                        new Attribution.Open(
                                o.getOfferId(),
                                o.getCampaignId(),
                                o.isTreated(),
                                o.getCouponCode(),
                                o.getDecidedAt(),
                                o.getWindowEnd(),
                                o.isConverted()));
            }
            return open;
        }

        private void result(String campaignId, String field, double amount) {
            if (amount != 0) ctx.output(RESULTS, new ResultDelta(campaignId, field, amount));
        }
    }
}
