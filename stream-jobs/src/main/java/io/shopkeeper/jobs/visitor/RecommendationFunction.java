package io.shopkeeper.jobs.visitor;

import io.shopkeeper.jobs.recommend.ItemNeighboursCodec;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Recomputes a visitor's recommendation list (keyed by visitor) whenever a reply arrives with the
 * neighbours of the item they just saw, from the neighbours cached for the other session items, and
 * writes it to Redis (also under the anonymous ids stitched to the customer). Bought items are
 * excluded.
 *
 * <p>State: the neighbours last received per item of the current session, one map entry per item,
 * so a reply writes one entry and reads only the recent items the recommender uses; entries of
 * items that left the session are removed, and everything expires after {@code ttl}. Which items
 * the map holds is kept beside it ({@value #HELD_ITEMS_STATE}): listing the map's keys would read
 * every snapshot (its expiry is stored with the value), as many as the session has items, on every
 * reply. After restoring a savepoint of a version without that list, the entries held then are not
 * listed and wait for their expiry instead (they are read only while their item is in the session,
 * and a session item's entry is always its own latest reply). A forget instruction clears it,
 * deletes the lists, and leaves a tombstone (for {@code ttl}) so replies still in flight for older
 * events cannot write them again.
 *
 * <p>The snapshots are kept under {@value #NEIGHBOURS_STATE} as the bytes the item's model encoded
 * them to ({@link ItemNeighboursCodec}): a reply is stored without being decoded or encoded again,
 * and a ranking decodes of each cached snapshot only the parts it reads (either of the codec's
 * formats: a savepoint's snapshots of the first format rank as before). The maps of earlier
 * versions ({@code session-neighbours}, POJO; {@code session-neighbours-v2}, {@link
 * io.shopkeeper.jobs.recommend.ItemNeighboursSerializer}) are left unread after a restore, so a
 * visitor's current session starts again from the items they view next (their lists in Redis stay
 * until then).
 */
public class RecommendationFunction
        extends KeyedCoProcessFunction<String, NeighboursReply, ForgetVisitor, RedisWrite> {
    public static final String STRATEGY = "session";

    /** Name of the snapshot map (a new name when its serializer changes incompatibly). */
    static final String NEIGHBOURS_STATE = "session-neighbours-v3";

    /** Name of the list of items the snapshot map holds. */
    static final String HELD_ITEMS_STATE = "session-neighbour-items";

    private final SessionRecommender recommender;
    private final int listSize;
    private final Duration ttl;
    private transient MapState<String, byte[]> neighboursByItem;
    private transient ValueState<Long> forgottenAtState;
    private transient ValueState<List<String>> heldItems;
    private transient SessionRecommender.Scratch scratch;

    public RecommendationFunction(SessionRecommender recommender, int listSize, Duration ttl) {
        this.recommender = recommender;
        this.listSize = listSize;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig stateTtl = StateTtl.afterLastWrite(ttl);
        MapStateDescriptor<String, byte[]> cache =
                new MapStateDescriptor<>(
                        NEIGHBOURS_STATE,
                        Types.STRING,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        cache.enableTimeToLive(stateTtl);
        neighboursByItem = getRuntimeContext().getMapState(cache);
        ValueStateDescriptor<Long> forgotten =
                new ValueStateDescriptor<>("forgotten-at", Long.class);
        forgotten.enableTimeToLive(stateTtl);
        forgottenAtState = getRuntimeContext().getState(forgotten);
        ValueStateDescriptor<List<String>> held =
                new ValueStateDescriptor<>(HELD_ITEMS_STATE, Types.LIST(Types.STRING));
        held.enableTimeToLive(stateTtl);
        heldItems = getRuntimeContext().getState(held);
        scratch = new SessionRecommender.Scratch();
    }

    @Override
    public void processElement2(ForgetVisitor forget, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        neighboursByItem.clear();
        heldItems.clear();
        forgottenAtState.update(forget.getAt());
        out.collect(RedisWrite.delete(RedisKeys.recommendations(ctx.getCurrentKey())));
        for (String alias : forget.getAliases())
            out.collect(RedisWrite.delete(RedisKeys.recommendations(alias)));
    }

    @Override
    public void processElement1(NeighboursReply reply, Context ctx, Collector<RedisWrite> out)
            throws Exception {
        RankingRequest request = reply.getRequest();
        Long forgottenAt = forgottenAtState.value();
        if (forgottenAt != null && request.getEventTime() <= forgottenAt) return;

        byte[] current = reply.getEncodedNeighbours();
        String currentItem = ItemNeighboursCodec.itemId(current);
        neighboursByItem.put(currentItem, current);
        Set<String> sessionItems = new HashSet<>(request.getSessionItems());
        List<String> held = heldItems.value();
        List<String> kept = new ArrayList<>();
        if (held != null) {
            for (String item : held) {
                if (item.equals(currentItem)) continue;
                if (sessionItems.contains(item)) kept.add(item);
                else neighboursByItem.remove(item);
            }
        }
        if (sessionItems.contains(currentItem)) kept.add(currentItem);
        else neighboursByItem.remove(currentItem);
        heldItems.update(kept);

        Set<String> excluded = new HashSet<>(request.getExcludedItems());
        List<ScoredItem> ranked =
                recommender.rankForVisitor(
                        request.getSessionId(),
                        request.getSessionItems(),
                        item -> item.equals(currentItem) ? current : cached(item),
                        listSize + excluded.size(),
                        scratch);
        List<ScoredItem> items = new ArrayList<>(listSize);
        for (ScoredItem item : ranked) {
            if (items.size() == listSize) break;
            if (!excluded.contains(item.getItemId())) {
                item.setScore(ScoredItem.roundScore(item.getScore()));
                items.add(item);
            }
        }
        RecommendationList list =
                new RecommendationList(
                        ctx.getCurrentKey(), STRATEGY, request.getEventTime(), items);
        out.collect(RedisWrite.list(RedisKeys.recommendations(ctx.getCurrentKey()), list));
        for (String alias : request.getAliases())
            out.collect(RedisWrite.list(RedisKeys.recommendations(alias), list));
    }

    private byte[] cached(String item) {
        try {
            return neighboursByItem.get(item);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the neighbours of " + item, e);
        }
    }
}
