package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recomputes a visitor's recommendation list (keyed by visitor) whenever a reply arrives with the
 * neighbours of the item they just saw, from the neighbours cached for the other session items, and
 * writes it to Redis. Bought items are excluded.
 *
 * <p>State: neighbours of the current session's items only; entries for items that left the
 * session are dropped on every update, and the whole cache expires after {@code ttl}. A forget
 * instruction clears it, deletes the lists, and leaves a tombstone (for {@code ttl}) so replies
 * still in flight for older events cannot write them again.
 */
public class RecommendationFunction extends KeyedProcessFunction<String, NeighboursReply, RedisWrite> {
    public static final String STRATEGY = "session";

    private final SessionRecommender recommender;
    private final int listSize;
    private final Duration ttl;
    private transient ValueState<NeighbourCache> cacheState;
    private transient ValueState<Long> forgottenAtState;

    public RecommendationFunction(SessionRecommender recommender, int listSize, Duration ttl) {
        this.recommender = recommender;
        this.listSize = listSize;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<NeighbourCache> descriptor = new ValueStateDescriptor<>("session-neighbours", NeighbourCache.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl).setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite).build());
        cacheState = getRuntimeContext().getState(descriptor);
        ValueStateDescriptor<Long> forgotten = new ValueStateDescriptor<>("forgotten-at", Long.class);
        forgotten.enableTimeToLive(StateTtlConfig.newBuilder(ttl).setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite).build());
        forgottenAtState = getRuntimeContext().getState(forgotten);
    }

    @Override
    public void processElement(NeighboursReply reply, Context ctx, Collector<RedisWrite> out) throws Exception {
        RecommendationRequest request = reply.getRequest();
        if (reply.isForget()) {
            cacheState.clear();
            forgottenAtState.update(request.getEventTime());
            out.collect(RedisWrite.delete(RedisKeys.recommendations(ctx.getCurrentKey())));
            for (String alias : request.getAliases()) out.collect(RedisWrite.delete(RedisKeys.recommendations(alias)));
            return;
        }
        Long forgottenAt = forgottenAtState.value();
        if (forgottenAt != null && request.getEventTime() <= forgottenAt) return;
        NeighbourCache cache = cacheState.value();
        if (cache == null) cache = new NeighbourCache();
        cache.getByItem().put(reply.getNeighbours().getItemId(), reply.getNeighbours());
        Set<String> sessionItems = new HashSet<>(request.getSessionItems());
        cache.getByItem().keySet().retainAll(sessionItems);
        cacheState.update(cache);

        Set<String> excluded = new HashSet<>(request.getExcludedItems());
        List<ScoredItem> ranked = recommender.recommend(request.getSessionItems(), cache.getByItem(), List.of(),
                listSize + excluded.size());
        List<ScoredItem> items = new ArrayList<>(listSize);
        for (ScoredItem item : ranked) {
            if (items.size() == listSize) break;
            if (!excluded.contains(item.getItemId())) {
                item.setScore(Math.round(item.getScore() * 10_000) / 10_000.0);
                items.add(item);
            }
        }
        RecommendationList list = new RecommendationList(ctx.getCurrentKey(), STRATEGY, request.getEventTime(), items);
        out.collect(RedisWrite.list(RedisKeys.recommendations(ctx.getCurrentKey()), list));
        for (String alias : request.getAliases()) out.collect(RedisWrite.list(RedisKeys.recommendations(alias), list));
    }
}
