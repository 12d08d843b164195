package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.items.ItemMessage;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.visitor.RecommendationRequest;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps each visitor's {@link CustomerProfile} (keyed by visitor) and writes it to Redis on every
 * change. When the visitor views or carts an item it also emits, on {@link #ITEM_MESSAGES}, the
 * learning steps for the item models and a recommendation request routed through the item just seen.
 *
 * <p>State: one profile per visitor, dropped after {@code profileTtl} without writes; an event-time
 * timer at {@code lastSeen + sessionGap} ends the session (clears the session items) without any new event.
 */
public class ProfileFunction extends KeyedProcessFunction<String, ShopEvent, RedisWrite> {
    public static final OutputTag<ItemMessage> ITEM_MESSAGES = new OutputTag<>("item-messages") {
    };

    private final Duration profileTtl;
    private final Duration sessionGap;
    private final SessionRecommender recommender;
    private transient ProfileUpdater updater;
    private transient ValueState<CustomerProfile> profileState;

    public ProfileFunction(Duration profileTtl, Duration sessionGap, SessionRecommender recommender) {
        this.profileTtl = profileTtl;
        this.sessionGap = sessionGap;
        this.recommender = recommender;
    }

    @Override
    public void open(OpenContext openContext) {
        updater = new ProfileUpdater(Duration.ofDays(14), sessionGap);
        ValueStateDescriptor<CustomerProfile> descriptor = new ValueStateDescriptor<>("profile", CustomerProfile.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(profileTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        profileState = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(ShopEvent event, Context ctx, Collector<RedisWrite> out) throws Exception {
        CustomerProfile profile = profileState.value();
        if (profile == null) profile = new CustomerProfile();
        long previousLastSeen = profile.getLastSeen();
        updater.apply(profile, event);

        if (profile.getLastSeen() != previousLastSeen) {
            if (previousLastSeen > 0) ctx.timerService().deleteEventTimeTimer(previousLastSeen + sessionGap.toMillis());
            ctx.timerService().registerEventTimeTimer(profile.getLastSeen() + sessionGap.toMillis());
        }
        profileState.update(profile);
        out.collect(RedisWrite.profile(RedisKeys.profile(ctx.getCurrentKey()), profile));

        if (event.getType() == EventType.PRODUCT_VIEW || event.getType() == EventType.ADD_TO_CART) {
            emitItemMessages(ctx, profile, event);
        }
    }

    private void emitItemMessages(Context ctx, CustomerProfile profile, ShopEvent event) {
        List<String> sessionItems = new ArrayList<>(profile.getSessionItems());
        long at = event.eventTimeMillis();
        for (ItemUpdate update : recommender.updatesFor(sessionItems)) {
            ctx.output(ITEM_MESSAGES, ItemMessage.learn(update, at));
        }
        RecommendationRequest request = new RecommendationRequest(ctx.getCurrentKey(), sessionItems,
                new ArrayList<>(profile.getPurchasedItems()), at);
        ctx.output(ITEM_MESSAGES, ItemMessage.lookup(event.getItemId(), request));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RedisWrite> out) throws Exception {
        CustomerProfile profile = profileState.value();
        if (profile == null || profile.getLastSeen() + sessionGap.toMillis() != timestamp) return;
        updater.endSession(profile);
        profileState.update(profile);
        RedisWrite write = RedisWrite.profile(RedisKeys.profile(ctx.getCurrentKey()), profile);
        write.setEventsApplied(0);
        out.collect(write);
    }
}
