package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.items.ItemMessage;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.rfm.RfmRescorePolicy;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.signals.SignalEngine;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.jobs.visitor.RecommendationRequest;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps each visitor's {@link CustomerProfile} (keyed by the resolved visitor: customer id once
 * known, else anonymous id) and writes it to Redis on every change, with its signals, lifecycle
 * stage, RFM scores (against the store's live distribution, broadcast in) and segment memberships.
 *
 * <p>Outputs: profile writes and segment set changes (main output); on {@link #ITEM_MESSAGES} the
 * learning steps and recommendation request for a viewed or carted item; on {@link
 * #SEGMENT_CHANGES} every join/leave; on {@link #FORGET} the instruction for the recommendation
 * operator to forget a visitor.
 *
 * <p>Timers (event time): session end at {@code lastSeen + sessionGap}; the next lifecycle change
 * (so a quiet customer becomes at risk and lapsed without any new event); and, for anonymous
 * visitors, expiry at {@code lastSeen + anonymousTtl}, after which they cost nothing. State: one
 * profile per visitor with every collection capped; a processing-time TTL ({@code profileTtl}) is
 * the safety net for known customers.
 *
 * <p>When the store's RFM cut points move materially, every profile of the subtask is rescored at
 * once ({@link #rescoreAll}), so a customer who does nothing still leaves {@code vip} when the
 * store outgrows them.
 */
public class ProfileFunction
        extends KeyedBroadcastProcessFunction<String, VisitorEvent, RfmCutPoints, RedisWrite> {
    public static final OutputTag<ItemMessage> ITEM_MESSAGES = new OutputTag<>("item-messages") {};
    public static final OutputTag<SegmentChange> SEGMENT_CHANGES =
            new OutputTag<>("segment-changes") {};
    public static final OutputTag<NeighboursReply> FORGET = new OutputTag<>("forget-visitor") {};
    public static final MapStateDescriptor<String, RfmCutPoints> CUT_POINTS =
            new MapStateDescriptor<>(
                    "rfm-cut-points", Types.STRING, TypeInformation.of(RfmCutPoints.class));
    private static final String STORE = "store";

    /**
     * Broadcast-state entry: the cut points of the last full rescore (same on every subtask,
     * checkpointed).
     */
    private static final String RESCORED = "rescored";

    /** Durations that drive the profile, grouped to keep the constructor readable. */
    public record Settings(
            Duration profileTtl,
            Duration anonymousTtl,
            Duration sessionGap,
            Duration newPeriod,
            Duration atRiskAfter,
            Duration lapsedAfter)
            implements Serializable {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofDays(400),
                    Duration.ofDays(30),
                    Duration.ofMinutes(30),
                    Duration.ofDays(30),
                    Duration.ofDays(30),
                    Duration.ofDays(90));
        }
    }

    private final Settings settings;
    private final SessionRecommender recommender;
    private final SegmentEvaluator segments;
    private final SignalEngine signals = new SignalEngine();
    private RfmRescorePolicy rescorePolicy = RfmRescorePolicy.defaults();
    private transient ProfileUpdater updater;
    private transient Lifecycle lifecycle;
    private transient ValueState<CustomerProfile> profileState;
    private transient ValueStateDescriptor<CustomerProfile> profileDescriptor;

    public ProfileFunction(
            Settings settings, SessionRecommender recommender, SegmentEvaluator segments) {
        this.settings = settings;
        this.recommender = recommender;
        this.segments = segments;
    }

    @Override
    public void open(OpenContext openContext) {
        updater = new ProfileUpdater(Duration.ofDays(14), settings.sessionGap());
        lifecycle =
                new Lifecycle(settings.newPeriod(), settings.atRiskAfter(), settings.lapsedAfter());
        ValueStateDescriptor<CustomerProfile> descriptor =
                new ValueStateDescriptor<>("profile", CustomerProfile.class);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(settings.profileTtl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        profileState = getRuntimeContext().getState(descriptor);
        profileDescriptor = descriptor;
    }

    /** Overrides when the store's new cut points trigger a rescore of every profile. */
    public ProfileFunction withRescorePolicy(RfmRescorePolicy policy) {
        this.rescorePolicy = policy;
        return this;
    }

    @Override
    public void processBroadcastElement(RfmCutPoints cuts, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        ctx.getBroadcastState(CUT_POINTS).put(STORE, cuts);
        if (!rescorePolicy.shouldRescore(ctx.getBroadcastState(CUT_POINTS).get(RESCORED), cuts))
            return;
        rescoreAll(cuts, ctx, out);
        ctx.getBroadcastState(CUT_POINTS).put(RESCORED, cuts);
    }

    /**
     * Rescores every live profile of this subtask against {@code cuts}; writes and announces only
     * those whose RFM scores or segment memberships changed, exactly as a refresh at an event does.
     *
     * <p>Cost: reads every profile of the subtask (state backend scan, O(profiles)) and blocks the
     * operator meanwhile, hence {@link RfmRescorePolicy}. Time: {@code now} is the later of the
     * profile's last activity and the operator's watermark, never the wall clock, so recency and
     * tenure move forward only with event time and agree with the lifecycle timers already fired.
     * The scan sees only live state: visitors forgotten or expired (anonymous TTL, state TTL) are
     * neither read nor resurrected. Visitors without orders have no RFM scores and are skipped.
     */
    private void rescoreAll(RfmCutPoints cuts, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        long watermark = ctx.currentWatermark();
        Consumer<SegmentChange> changes = change -> ctx.output(SEGMENT_CHANGES, change);
        ctx.applyToKeyedState(
                profileDescriptor,
                (String visitor, ValueState<CustomerProfile> state) -> {
                    CustomerProfile profile = state.value();
                    if (profile == null || profile.getOrders() == 0) return;
                    Integer recency = profile.getRecencyScore();
                    Integer frequency = profile.getFrequencyScore();
                    Integer monetary = profile.getMonetaryScore();
                    List<String> segmentsBefore = new ArrayList<>(profile.getSegments());
                    refresh(
                            profile,
                            cuts,
                            Math.max(profile.getLastSeen(), watermark),
                            visitor,
                            out,
                            changes);
                    if (Objects.equals(recency, profile.getRecencyScore())
                            && Objects.equals(frequency, profile.getFrequencyScore())
                            && Objects.equals(monetary, profile.getMonetaryScore())
                            && segmentsBefore.equals(profile.getSegments())) {
                        return;
                    }
                    state.update(profile);
                    RedisWrite write = RedisWrite.profile(RedisKeys.profile(visitor), profile);
                    write.setEventsApplied(0);
                    out.collect(write);
                });
    }

    @Override
    public void processElement(
            VisitorEvent visitorEvent, ReadOnlyContext ctx, Collector<RedisWrite> out)
            throws Exception {
        ShopEvent event = visitorEvent.getEvent();
        if (visitorEvent.getKind() == VisitorEvent.Kind.MERGED_AWAY) {
            retire(ctx, out, visitorEvent.getMergedInto());
            return;
        }
        if (event.getType() == EventType.CUSTOMER_FORGOTTEN) {
            forget(ctx, out, event.eventTimeMillis(), true);
            return;
        }
        CustomerProfile profile = profileState.value();
        if (profile == null) profile = new CustomerProfile();
        if (updater.isLateLeave(profile, event)
                || updater.alreadyApplied(profile, event.getEventId())) return;
        long at = event.eventTimeMillis();
        long previousLastSeen = profile.getLastSeen();
        long previousLifecycleCheck = profile.getNextLifecycleCheck();

        lifecycle.onActivity(profile, at);
        if (updater.startsNewSession(profile, event)) {
            endSession(profile, previousLastSeen);
            updater.beginSession(profile, event);
        }
        updater.apply(profile, event);
        signals.observe(profile.getEvidence(), event, profile.getCategoryAffinity());
        evaluateSignals(profile, at);
        lifecycle.update(profile, Math.max(at, profile.getLastSeen()));
        refresh(
                profile,
                ctx.getBroadcastState(CUT_POINTS).get(STORE),
                profile.getLastSeen(),
                ctx.getCurrentKey(),
                out,
                ctx);

        rescheduleTimers(ctx.timerService(), profile, previousLastSeen, previousLifecycleCheck);
        profileState.update(profile);
        out.collect(RedisWrite.profile(RedisKeys.profile(ctx.getCurrentKey()), profile));

        boolean live = visitorEvent.getKind() == VisitorEvent.Kind.EVENT;
        if (live
                && (event.getType() == EventType.PRODUCT_VIEW
                        || event.getType() == EventType.ADD_TO_CART)) {
            emitItemMessages(ctx, profile, event.getItemId(), event.eventTimeMillis(), true);
        } else if (live
                && event.getType() == EventType.ORDER_PLACED
                && !profile.getSessionItems().isEmpty()) {
            // What was just bought must leave the visitor's list now, not at their next view.
            List<String> session = profile.getSessionItems();
            emitItemMessages(
                    ctx, profile, session.get(session.size() - 1), event.eventTimeMillis(), false);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RedisWrite> out)
            throws Exception {
        CustomerProfile profile = profileState.value();
        if (profile == null) return;
        if (profile.getCustomerId() == null
                && timestamp == profile.getLastSeen() + settings.anonymousTtl().toMillis()) {
            forget(ctx, out, timestamp, false); // an anonymous visitor who never came back
            return;
        }
        boolean sessionEnded =
                timestamp == profile.getLastSeen() + settings.sessionGap().toMillis()
                        && profile.getCurrentSessionId() != null;
        boolean lifecycleDue = timestamp == profile.getNextLifecycleCheck();
        if (!sessionEnded && !lifecycleDue) return;
        long previousLifecycleCheck = profile.getNextLifecycleCheck();
        if (sessionEnded) {
            endSession(profile, timestamp);
            evaluateSignals(profile, timestamp);
        }
        lifecycle.update(profile, timestamp);
        refresh(
                profile,
                ctx.getBroadcastState(CUT_POINTS).get(STORE),
                timestamp,
                ctx.getCurrentKey(),
                out,
                ctx);
        if (profile.getNextLifecycleCheck() != previousLifecycleCheck
                && profile.getNextLifecycleCheck() > 0) {
            ctx.timerService().registerEventTimeTimer(profile.getNextLifecycleCheck());
        }
        profileState.update(profile);
        RedisWrite write = RedisWrite.profile(RedisKeys.profile(ctx.getCurrentKey()), profile);
        write.setEventsApplied(0);
        out.collect(write);
    }

    private void endSession(CustomerProfile profile, long at) {
        if (profile.getCurrentSessionId() == null) return;
        signals.sessionEnded(profile.getEvidence(), at);
        updater.endSession(profile);
    }

    private void evaluateSignals(CustomerProfile profile, long at) {
        profile.setPriceSensitive(
                signals.priceSensitivity(profile.getEvidence(), profile.getPriceSensitive(), at));
        profile.setDrifting(signals.drifting(profile.getEvidence(), profile.getDrifting(), at));
    }

    /** Derived figures and segment memberships; emits every membership change. */
    private void refresh(
            CustomerProfile profile,
            RfmCutPoints cuts,
            long now,
            String visitor,
            Collector<RedisWrite> out,
            ReadOnlyContext ctx) {
        refresh(profile, cuts, now, visitor, out, change -> ctx.output(SEGMENT_CHANGES, change));
    }

    /**
     * As above, for either side of the operator: the broadcast side has no {@link ReadOnlyContext}.
     */
    private void refresh(
            CustomerProfile profile,
            RfmCutPoints cuts,
            long now,
            String visitor,
            Collector<RedisWrite> out,
            Consumer<SegmentChange> changes) {
        updater.derive(profile, cuts, now);
        int fingerprint = SegmentEvaluator.factsFingerprint(profile);
        if (fingerprint == profile.getSegmentFactsFingerprint() && profile.getEvents() > 1) return;
        profile.setSegmentFactsFingerprint(fingerprint);
        List<String> current = segments.segmentsOf(profile);
        List<String> before = profile.getSegments();
        for (String segment : before) {
            if (!current.contains(segment))
                changeMembership(visitor, segment, false, now, out, changes);
        }
        for (String segment : current) {
            if (!before.contains(segment))
                changeMembership(visitor, segment, true, now, out, changes);
        }
        profile.setSegments(new ArrayList<>(current));
    }

    private static void changeMembership(
            String visitor,
            String segment,
            boolean joined,
            long at,
            Collector<RedisWrite> out,
            Consumer<SegmentChange> changes) {
        if (joined) {
            out.collect(RedisWrite.setAdd(RedisKeys.segmentMembers(segment), visitor));
            out.collect(RedisWrite.setAdd(RedisKeys.memberships(visitor), segment));
        } else {
            out.collect(RedisWrite.setRemove(RedisKeys.segmentMembers(segment), visitor));
            out.collect(RedisWrite.setRemove(RedisKeys.memberships(visitor), segment));
        }
        changes.accept(new SegmentChange(visitor, segment, joined, at));
    }

    /**
     * Moves the timers from their previous times to the current ones. Timers of one key at the same
     * time are one timer in Flink, so a time still needed for another purpose is never deleted.
     */
    private void rescheduleTimers(
            TimerService timers,
            CustomerProfile profile,
            long previousLastSeen,
            long previousLifecycleCheck) {
        Set<Long> before = timerTimes(profile, previousLastSeen, previousLifecycleCheck);
        Set<Long> after =
                timerTimes(profile, profile.getLastSeen(), profile.getNextLifecycleCheck());
        for (long t : before) if (!after.contains(t)) timers.deleteEventTimeTimer(t);
        for (long t : after) if (!before.contains(t)) timers.registerEventTimeTimer(t);
    }

    private Set<Long> timerTimes(CustomerProfile profile, long lastSeen, long lifecycleCheck) {
        Set<Long> times = new HashSet<>(4);
        if (lastSeen > 0) {
            times.add(lastSeen + settings.sessionGap().toMillis());
            if (profile.getCustomerId() == null)
                times.add(lastSeen + settings.anonymousTtl().toMillis());
        }
        if (lifecycleCheck > 0) times.add(lifecycleCheck);
        return times;
    }

    /**
     * One message per item concerned: the learning steps the session implies (with {@code learn}),
     * grouped by the item whose model they change, and the recommendation request routed through
     * {@code itemId}, the item just seen, whose model attaches its neighbours.
     */
    private void emitItemMessages(
            ReadOnlyContext ctx, CustomerProfile profile, String itemId, long at, boolean learn) {
        Map<String, ItemMessage> byItem = new LinkedHashMap<>();
        String sessionId = ctx.getCurrentKey() + "/" + profile.getCurrentSessionId();
        if (learn) {
            for (ItemUpdate update :
                    recommender.updatesFor(sessionId, new ArrayList<>(profile.getSessionItems()))) {
                byItem.computeIfAbsent(update.getItemId(), item -> new ItemMessage(item, at))
                        .getUpdates()
                        .add(update);
            }
        }
        RecommendationRequest request =
                new RecommendationRequest(
                        ctx.getCurrentKey(),
                        new ArrayList<>(profile.getSessionItems()),
                        new ArrayList<>(profile.getPurchasedItems()),
                        at);
        request.setSessionId(sessionId);
        if (profile.getCustomerId() != null)
            request.setAliases(new ArrayList<>(profile.getAnonymousIds()));
        byItem.computeIfAbsent(itemId, item -> new ItemMessage(item, at)).setRequest(request);
        for (ItemMessage message : byItem.values()) ctx.output(ITEM_MESSAGES, message);
    }

    /**
     * The anonymous profile at this key now lives in the customer's profile: drop it, leave an
     * alias.
     */
    private void retire(ReadOnlyContext ctx, Collector<RedisWrite> out, String customerId)
            throws Exception {
        String anonymousId = ctx.getCurrentKey();
        CustomerProfile profile = profileState.value();
        if (profile != null) {
            for (String segment : profile.getSegments()) {
                out.collect(RedisWrite.setRemove(RedisKeys.segmentMembers(segment), anonymousId));
                out.collect(RedisWrite.setRemove(RedisKeys.memberships(anonymousId), segment));
            }
            profileState.clear();
        }
        out.collect(RedisWrite.delete(RedisKeys.profile(anonymousId)));
        out.collect(RedisWrite.text(RedisKeys.alias(anonymousId), customerId));
    }

    /**
     * Removes everything about the visitor: state, profile, recommendations (also under stitched
     * anonymous ids), aliases and segment memberships. With {@code confirm}, records when it was
     * done.
     */
    private void forget(ReadOnlyContext ctx, Collector<RedisWrite> out, long at, boolean confirm)
            throws Exception {
        String visitor = ctx.getCurrentKey();
        CustomerProfile profile = profileState.value();
        List<String> aliases = new ArrayList<>();
        if (profile != null) {
            aliases.addAll(profile.getAnonymousIds());
            aliases.remove(visitor);
            for (String segment : profile.getSegments()) {
                out.collect(RedisWrite.setRemove(RedisKeys.segmentMembers(segment), visitor));
                out.collect(RedisWrite.setRemove(RedisKeys.memberships(visitor), segment));
                ctx.output(SEGMENT_CHANGES, new SegmentChange(visitor, segment, false, at));
            }
            profileState.clear();
        }
        out.collect(RedisWrite.delete(RedisKeys.profile(visitor)));
        for (String alias : aliases) {
            out.collect(RedisWrite.delete(RedisKeys.alias(alias)));
            out.collect(RedisWrite.delete(RedisKeys.profile(alias)));
        }
        RecommendationRequest request =
                new RecommendationRequest(visitor, new ArrayList<>(), new ArrayList<>(), at);
        request.setAliases(aliases);
        ctx.output(FORGET, NeighboursReply.forget(request));
        if (confirm)
            out.collect(
                    RedisWrite.text(
                            RedisKeys.forgotten(visitor),
                            Long.toString(System.currentTimeMillis())));
    }
}
