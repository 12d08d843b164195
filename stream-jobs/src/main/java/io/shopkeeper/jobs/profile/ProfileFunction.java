package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.ordering.Backlog;
import io.shopkeeper.jobs.ordering.KeyedBroadcastOperator;
import io.shopkeeper.jobs.rfm.RfmCutPoints;
import io.shopkeeper.jobs.rfm.RfmRescorePolicy;
import io.shopkeeper.jobs.segments.SegmentEvaluator;
import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.jobs.types.WriteBackCache;
import io.shopkeeper.jobs.types.WritesBack;
import io.shopkeeper.schemas.DeadLetter;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each visitor's {@link CustomerProfile} (keyed by the resolved visitor: customer id once
 * known, else anonymous id): loads the profile, runs one {@link VisitorStep} for the event or
 * timer, stores the profile, moves the timers, and emits what happened as one {@link
 * ProfileUpdate}. {@link ProfileOutputs} turns the updates into Redis writes, segment changes,
 * item-model messages and forget requests; any further consumer attaches to the same stream.
 *
 * <p>Timers (event time): session end at {@code lastSeen + sessionGap}; the next lifecycle change
 * (so a quiet customer becomes at risk and lapsed without any new event); and, for anonymous
 * visitors, expiry at {@code lastSeen + anonymousTtl}, after which they cost nothing; the operator
 * keeps one Flink timer per visitor, at or before the earliest of them ({@link #moveTimer}), and
 * runs each at its own time. A timer due before an event's time fires before the event even when
 * the watermark has not passed it yet (a backlog released at once), so a visitor's steps are the
 * same live and in a backfill. State: one profile per visitor with every collection capped; a
 * processing-time TTL ({@code profileTtl}) is the safety net for known customers.
 *
 * <p>A live event that changes nothing (a late {@code page_leave}, an event already applied), one
 * the step fails on and a forget request are done without a profile write to carry them to the
 * progress counter: each goes to {@link EventsDone#TAG} instead.
 *
 * <p>When the store's RFM cut points (broadcast in) move materially, every profile of the subtask
 * is rescored at once ({@link #rescoreAll}), so a customer who does nothing still leaves {@code
 * vip} when the store outgrows them.
 *
 * <p>Profiles are kept in a bounded write-back cache ({@link WriteBackCache}, {@code
 * --profile.cache-size} per parallel instance, written back before every checkpoint barrier by
 * {@link KeyedBroadcastOperator}): a visitor's events come in sessions, and reading, decoding,
 * encoding and writing the profile in RocksDB on each of them was 15% of this task's CPU. Each step
 * works on its own copy ({@link CustomerProfileSerializer#copy}, what a read from RocksDB gave), so
 * an emitted update's profile is never changed afterwards and a failed step leaves the cache as it
 * was. After a restore the cache starts empty.
 *
 * <p>Live, off by default ({@code --profile.cache-size} 0): the write-back runs on this task before
 * the barrier goes on, so every checkpoint holds back every visitor's next update while it writes
 * the profiles changed since the last one. Session 9, {@code bench/freshness.sh} at 1,000 events/s,
 * quiet: p99 450 ms without the cache, 776-792 ms with {@link #BACKFILL_CACHE_SIZE}. In a backlog
 * (the operator's watermark more than {@code --ordering.backlog-lag} behind the wall clock, {@link
 * Backlog}), where throughput is what counts, the cache holds {@code --profile.backlog-cache-size}
 * ({@link #BACKFILL_CACHE_SIZE}) profiles: session 19, the profiles task 23.3 against 26.8 us of
 * CPU per event in a default pipeline run. Crossing from one to the other resizes the cache at the
 * next event ({@link WriteBackCache#resize}: catching up, the changed profiles are written back
 * once).
 */
public class ProfileFunction
        extends KeyedBroadcastProcessFunction<String, VisitorEvent, RfmCutPoints, ProfileUpdate>
        implements WritesBack {
    /** Profiles kept on the heap per parallel instance unless {@link #withCacheSize} says. */
    public static final int DEFAULT_CACHE_SIZE = 0;

    /** The cache size measured for backfills and replays ({@code --profile.cache-size}). */
    public static final int BACKFILL_CACHE_SIZE = 10_000;

    public static final MapStateDescriptor<String, RfmCutPoints> CUT_POINTS =
            new MapStateDescriptor<>(
                    "rfm-cut-points", Types.STRING, TypeInformation.of(RfmCutPoints.class));
    private static final String STORE = "store";

    /**
     * Broadcast-state entry: the cut points of the last full rescore (same on every subtask,
     * checkpointed).
     */
    private static final String RESCORED = "rescored";

    /**
     * Events the profile step failed on (a bug, or a segment condition that fails on some profile):
     * dead-lettered with the reason and counted in {@value #FAILED_METRIC}; the visitor's state
     * stays as it was before the event, and the job goes on.
     */
    public static final OutputTag<DeadLetter> FAILED = new OutputTag<>("profile-failures") {};

    public static final String FAILED_METRIC = "eventsFailed";

    private static final Logger LOG = LoggerFactory.getLogger(ProfileFunction.class);

    private final VisitorStep step;
    private transient Counter failures;
    private RfmRescorePolicy rescorePolicy = RfmRescorePolicy.defaults();
    private int cacheSize = DEFAULT_CACHE_SIZE;
    private int backlogCacheSize = DEFAULT_CACHE_SIZE;
    private long backlogLagMillis;
    private transient ValueState<CustomerProfile> profileState;
    private transient WriteBackCache<String, CustomerProfile> profiles;
    private transient ValueStateDescriptor<CustomerProfile> profileDescriptor;

    public ProfileFunction(ProfileSettings settings, SegmentEvaluator segments) {
        this.step = new VisitorStep(settings, segments);
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<CustomerProfile> descriptor =
                new ValueStateDescriptor<>("profile", CustomerProfileSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtl.afterLastWrite(step.settings().profileTtl()));
        profileState = getRuntimeContext().getState(descriptor);
        profileDescriptor = descriptor;
        profiles =
                new WriteBackCache<>(
                        profileState,
                        cacheSize,
                        CustomerProfileSerializer.INSTANCE::copy,
                        step.settings().profileTtl());
        failures = getRuntimeContext().getMetricGroup().counter(FAILED_METRIC);
    }

    /** Profiles kept on the heap per parallel instance (0: every step reads and writes state). */
    public ProfileFunction withCacheSize(int size) {
        return withCacheSize(size, size, Duration.ZERO);
    }

    /**
     * Profiles kept on the heap per parallel instance live ({@code size}) and in a backlog ({@code
     * backlogSize}), a backlog being the watermark more than {@code backlogLag} behind the wall
     * clock (0: every step reads and writes state).
     */
    public ProfileFunction withCacheSize(int size, int backlogSize, Duration backlogLag) {
        if (size < 0 || backlogSize < 0)
            throw new IllegalArgumentException("a profile cache size cannot be negative");
        this.cacheSize = size;
        this.backlogCacheSize = backlogSize;
        this.backlogLagMillis = backlogLag.toMillis();
        return this;
    }

    /** Profiles on the heap now (tests). */
    int cachedProfiles() {
        return profiles.size();
    }

    /** Sizes the cache for a backlog or live traffic, at the operator's watermark now. */
    private void sizeCache(long watermark, long now) throws Exception {
        if (cacheSize == backlogCacheSize) return;
        boolean backlog = Backlog.isBacklog(watermark, now, backlogLagMillis);
        profiles.resize(backlog ? backlogCacheSize : cacheSize, now);
    }

    @Override
    public void setKeyContext(KeyContext keys) {
        profiles.setKeyContext(keys);
    }

    @Override
    public void writeBack(long now) throws Exception {
        profiles.writeBack(now);
    }

    /** Overrides when the store's new cut points trigger a rescore of every profile. */
    public ProfileFunction withRescorePolicy(RfmRescorePolicy policy) {
        this.rescorePolicy = policy;
        return this;
    }

    @Override
    public void processBroadcastElement(
            RfmCutPoints cuts, Context ctx, Collector<ProfileUpdate> out) throws Exception {
        ctx.getBroadcastState(CUT_POINTS).put(STORE, cuts);
        if (!rescorePolicy.shouldRescore(ctx.getBroadcastState(CUT_POINTS).get(RESCORED), cuts))
            return;
        rescoreAll(cuts, ctx, out);
        ctx.getBroadcastState(CUT_POINTS).put(RESCORED, cuts);
    }

    /**
     * Rescores every live profile of this subtask against {@code cuts}; stores and emits only those
     * whose RFM scores or segment memberships changed, exactly as a refresh at an event does.
     *
     * <p>Cost: reads every profile of the subtask (state backend scan, O(profiles)) and blocks the
     * operator meanwhile, hence {@link RfmRescorePolicy}. Time: {@code now} is the later of the
     * profile's last activity and the operator's watermark, never the wall clock, so recency and
     * tenure move forward only with event time and agree with the lifecycle timers already fired.
     * The scan sees only live state: visitors forgotten or expired (anonymous TTL, state TTL) are
     * neither read nor resurrected. Visitors without orders have no RFM scores and are skipped.
     */
    private void rescoreAll(RfmCutPoints cuts, Context ctx, Collector<ProfileUpdate> out)
            throws Exception {
        long watermark = ctx.currentWatermark();
        profiles.invalidate(
                ctx.currentProcessingTime()); // the scan reads and writes the state itself
        ctx.applyToKeyedState(
                profileDescriptor,
                (String visitor, ValueState<CustomerProfile> state) -> {
                    CustomerProfile profile = state.value();
                    if (profile == null) return;
                    ProfileUpdate update =
                            step.rescore(
                                    visitor,
                                    profile,
                                    cuts,
                                    Math.max(profile.getLastSeen(), watermark));
                    if (update == null) return;
                    state.update(profile);
                    out.collect(update);
                });
    }

    @Override
    public void processElement(
            VisitorEvent visitorEvent, ReadOnlyContext ctx, Collector<ProfileUpdate> out)
            throws Exception {
        ShopEvent event = visitorEvent.getEvent();
        if (visitorEvent.getKind() == VisitorEvent.Kind.MERGED_AWAY) {
            retire(ctx, out, visitorEvent.getMergedInto(), event.eventTimeMillis());
            return;
        }
        boolean live = visitorEvent.getKind() == VisitorEvent.Kind.EVENT;
        if (event.getType() == EventType.CUSTOMER_FORGOTTEN) {
            forget(ctx, out, event.eventTimeMillis(), true);
            if (live) ctx.output(EventsDone.TAG, EventsDone.one());
            return;
        }
        sizeCache(ctx.currentWatermark(), ctx.currentProcessingTime());
        CustomerProfile profile = profiles.load(ctx.getCurrentKey(), ctx.currentProcessingTime());
        if (profile != null
                && step.firstTimerBefore(profile, event.eventTimeMillis()) != Long.MAX_VALUE) {
            profile = fireTimersBefore(ctx, out, profile, event.eventTimeMillis());
        }
        boolean created = profile == null;
        if (created) profile = new CustomerProfile();
        long timerBefore = step.nextTimer(profile);
        ProfileUpdate update;
        try {
            update =
                    step.onEvent(
                            ctx.getCurrentKey(),
                            profile,
                            event,
                            live,
                            ctx.getBroadcastState(CUT_POINTS).get(STORE));
        } catch (RuntimeException e) {
            // The profile loaded is a copy: dropping it leaves the state untouched.
            failed(ctx, EventCodec.encodeToString(event), event.getType().topic(), e);
            if (live) ctx.output(EventsDone.TAG, EventsDone.one());
            return;
        }
        if (update == null) {
            // a late page_leave or an event already applied: nothing changes, the event is done
            if (live) ctx.output(EventsDone.TAG, EventsDone.one());
            return;
        }
        moveTimer(ctx.timerService(), timerBefore, step.nextTimer(profile));
        profiles.store(ctx.getCurrentKey(), profile, ctx.currentProcessingTime());
        out.collect(created ? update.counting(+1, profile) : update);
    }

    /**
     * Fires, in time order, every timer of the visitor due before an event at {@code before}, as a
     * watermark passing them would have, and stores the result, before the event is applied. In a
     * backlog a watermark releases many events of a visitor at once ({@code EventTimeOrder}) and
     * Flink fires timers only between watermarks: without this a session would end at the next
     * session's first event instead of at its end timer (its signals evaluated later, with that
     * event's evidence), and lifecycle checks would be skipped. Live, the timers have fired already
     * and this is not called. Returns a copy of the stored profile for the event to change (emitted
     * updates are never changed), or {@code null} when the visitor expired meanwhile.
     */
    private CustomerProfile fireTimersBefore(
            ReadOnlyContext ctx, Collector<ProfileUpdate> out, CustomerProfile loaded, long before)
            throws Exception {
        CustomerProfile profile = loaded;
        long at;
        while ((at = step.firstTimerBefore(profile, before)) != Long.MAX_VALUE) {
            if (step.expires(profile, at)) {
                moveTimer(ctx.timerService(), step.nextTimer(loaded), Long.MAX_VALUE);
                profiles.store(ctx.getCurrentKey(), profile, ctx.currentProcessingTime());
                forget(ctx, out, at, false); // an anonymous visitor who never came back
                return null;
            }
            CustomerProfile next = CustomerProfileSerializer.INSTANCE.copy(profile);
            ProfileUpdate update;
            try {
                update =
                        step.onTimer(
                                ctx.getCurrentKey(),
                                next,
                                at,
                                ctx.getBroadcastState(CUT_POINTS).get(STORE));
            } catch (RuntimeException e) {
                failed(ctx, "timer at " + at + " of visitor " + ctx.getCurrentKey(), "", e);
                break; // the profile stays as before this timer, as in onTimer
            }
            if (update == null) break; // a due timer always acts: defensive
            out.collect(update);
            profile = next;
        }
        moveTimer(ctx.timerService(), step.nextTimer(loaded), step.nextTimer(profile));
        profiles.store(ctx.getCurrentKey(), profile, ctx.currentProcessingTime());
        return CustomerProfileSerializer.INSTANCE.copy(profile);
    }

    /**
     * The visitor's one timer fired: every step due at or before {@code timestamp} runs at its own
     * time, in order (normally one; none when the visitor's next step moved later after the timer
     * was set ({@link #moveTimer}), and for an expired visitor), the result is stored and the next
     * timer set.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProfileUpdate> out)
            throws Exception {
        sizeCache(ctx.currentWatermark(), ctx.currentProcessingTime());
        CustomerProfile profile = profiles.load(ctx.getCurrentKey(), ctx.currentProcessingTime());
        if (profile == null) return;
        boolean emitted = false;
        long at;
        while ((at = step.firstTimerBefore(profile, timestamp + 1)) != Long.MAX_VALUE) {
            if (step.expires(profile, at)) {
                if (emitted)
                    profiles.store(ctx.getCurrentKey(), profile, ctx.currentProcessingTime());
                forget(ctx, out, at, false); // an anonymous visitor who never came back
                return;
            }
            // The profile loaded (a copy) is changed in place; once emitted, a copy of it is.
            CustomerProfile next =
                    emitted ? CustomerProfileSerializer.INSTANCE.copy(profile) : profile;
            ProfileUpdate update;
            try {
                update =
                        step.onTimer(
                                ctx.getCurrentKey(),
                                next,
                                at,
                                ctx.getBroadcastState(CUT_POINTS).get(STORE));
            } catch (RuntimeException e) {
                failed(ctx, "timer at " + at + " of visitor " + ctx.getCurrentKey(), "", e);
                if (!emitted) return; // the state stays as before the timer
                break;
            }
            if (update == null) break; // a due timer always acts: defensive
            out.collect(update);
            profile = next;
            emitted = true;
        }
        long next = step.nextTimer(profile);
        if (next != Long.MAX_VALUE && next > timestamp)
            ctx.timerService().registerEventTimeTimer(next);
        if (emitted) profiles.store(ctx.getCurrentKey(), profile, ctx.currentProcessingTime());
    }

    /** Dead-letters what the step failed on, with the reason, and counts it. */
    private void failed(ReadOnlyContext ctx, String payload, String topic, RuntimeException e) {
        failures.inc();
        String reason = "profiles: " + e;
        LOG.warn("visitor {}: {}", ctx.getCurrentKey(), reason, e);
        ctx.output(
                FAILED,
                new DeadLetter(
                        topic,
                        -1,
                        -1,
                        reason,
                        payload,
                        ctx.timerService().currentProcessingTime()));
    }

    /**
     * The visitor's next step moved from {@code before} to {@code after} ({@link Long#MAX_VALUE}:
     * none). Each visitor keeps one event-time timer at or before its earliest due step, instead of
     * one per purpose. A step that moves later (every event moves its session's end, and an
     * anonymous visitor's expiry) leaves the timer where it is: when it fires with nothing due,
     * {@link #onTimer} sets the next one. One timer move per event was 6.5% of this task's CPU (the
     * deletion from the timer heap most of it); a session now costs one early firing (a state read)
     * at most per session gap it lasts. Only a step that moves earlier sets a timer now.
     */
    private static void moveTimer(TimerService timers, long before, long after) {
        if (after == before || (after > before && after != Long.MAX_VALUE)) return;
        if (before != Long.MAX_VALUE) timers.deleteEventTimeTimer(before);
        if (after != Long.MAX_VALUE) timers.registerEventTimeTimer(after);
    }

    /**
     * The anonymous profile at this key now lives in the customer's profile: drop it, leave an
     * alias.
     */
    private void retire(
            ReadOnlyContext ctx, Collector<ProfileUpdate> out, String customerId, long at)
            throws Exception {
        CustomerProfile profile = profiles.peek(ctx.getCurrentKey(), ctx.currentProcessingTime());
        List<String> segments = profile != null ? profile.getSegments() : List.of();
        profiles.clear(ctx.getCurrentKey());
        ProfileUpdate update =
                ProfileUpdate.mergedAway(ctx.getCurrentKey(), customerId, at, segments);
        out.collect(profile != null ? update.counting(-1, profile) : update);
    }

    /**
     * Removes everything about the visitor: state, profile, recommendations (also under stitched
     * anonymous ids), aliases and segment memberships. With {@code confirm}, records when it was
     * done.
     */
    private void forget(ReadOnlyContext ctx, Collector<ProfileUpdate> out, long at, boolean confirm)
            throws Exception {
        String visitor = ctx.getCurrentKey();
        CustomerProfile profile = profiles.peek(visitor, ctx.currentProcessingTime());
        List<String> aliases = new ArrayList<>();
        List<String> segments = List.of();
        if (profile != null) {
            aliases.addAll(profile.getAnonymousIds());
            aliases.remove(visitor);
            segments = profile.getSegments();
            profiles.clear(visitor);
        }
        ProfileUpdate update = ProfileUpdate.forgotten(visitor, at, segments, aliases, confirm);
        out.collect(profile != null ? update.counting(-1, profile) : update);
    }
}
