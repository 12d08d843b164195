package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemNeighbours;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
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
 * Owns the model of each item (keyed by item): applies learning steps, answers a visitor's request
 * with the item's current neighbours, and publishes the item's similar-items list to Redis (on
 * {@link #SIMILAR_ITEMS}) at most once per {@code publishInterval} of processing time after it
 * changed: a changed model is always published, a hot item is not re-serialized on every event.
 *
 * <p>State: one bounded {@link ItemModel} per item and a "publish pending" flag, both dropped after
 * {@code modelTtl} without updates.
 */
public class ItemModelFunction extends KeyedProcessFunction<String, ItemMessage, NeighboursReply> {
    public static final OutputTag<RedisWrite> SIMILAR_ITEMS = new OutputTag<>("similar-items") {
    };
    public static final String SIMILAR_STRATEGY = "session_co_occurrence";

    private final SessionRecommender recommender;
    private final Duration modelTtl;
    private final long publishIntervalMillis;
    private transient ValueState<ItemModel> modelState;
    private transient ValueState<Boolean> publishPendingState;

    public ItemModelFunction(SessionRecommender recommender, Duration modelTtl, Duration publishInterval) {
        this.recommender = recommender;
        this.modelTtl = modelTtl;
        this.publishIntervalMillis = publishInterval.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(modelTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite).build();
        ValueStateDescriptor<ItemModel> model = new ValueStateDescriptor<>("item-model", ItemModel.class);
        model.enableTimeToLive(ttl);
        ValueStateDescriptor<Boolean> publishPending = new ValueStateDescriptor<>("similar-publish-pending", Boolean.class);
        publishPending.enableTimeToLive(ttl);
        modelState = getRuntimeContext().getState(model);
        publishPendingState = getRuntimeContext().getState(publishPending);
    }

    @Override
    public void processElement(ItemMessage message, Context ctx, Collector<NeighboursReply> out) throws Exception {
        String itemId = ctx.getCurrentKey();
        ItemModel model = modelState.value();
        if (!message.getUpdates().isEmpty()) {
            if (model == null) model = new ItemModel();
            for (ItemUpdate update : message.getUpdates()) recommender.apply(model, update, message.getEventTime());
            modelState.update(model);
            if (publishPendingState.value() == null) {
                publishPendingState.update(true);
                ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + publishIntervalMillis);
            }
        }
        if (message.getRequest() != null) {
            ItemNeighbours neighbours = model == null ? new ItemNeighbours(itemId, new ArrayList<>(), new ArrayList<>())
                    : recommender.neighbours(itemId, model);
            out.collect(new NeighboursReply(message.getRequest(), neighbours));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NeighboursReply> out) throws Exception {
        publishPendingState.clear();
        ItemModel model = modelState.value();
        if (model != null) {
            String itemId = ctx.getCurrentKey();
            ctx.output(SIMILAR_ITEMS, similarItems(itemId, recommender.neighbours(itemId, model), model.getLastUpdate()));
        }
    }

    static RedisWrite similarItems(String itemId, ItemNeighbours neighbours, long eventTime) {
        List<ScoredItem> items = new ArrayList<>(neighbours.size());
        double best = neighbours.size() == 0 ? 1 : neighbours.getWeights().get(0);
        for (int i = 0; i < neighbours.size(); i++) {
            items.add(new ScoredItem(neighbours.getItems().get(i), round(neighbours.getWeights().get(i) / best),
                    "similar_to:" + itemId));
        }
        return RedisWrite.list(RedisKeys.similarItems(itemId), new RecommendationList(itemId, SIMILAR_STRATEGY, eventTime, items));
    }

    static double round(double score) {
        return Math.round(score * 10_000) / 10_000.0;
    }
}
