package io.shopkeeper.jobs.items;

import io.shopkeeper.jobs.recommend.ItemModel;
import io.shopkeeper.jobs.recommend.ItemModelSerializer;
import io.shopkeeper.jobs.recommend.ItemNeighbours;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.jobs.visitor.NeighboursReply;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.ScoredItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Owns the model of each item (keyed by item): applies learning steps, answers a visitor's request
 * with the item's current neighbours, and publishes changed items' similar-items lists to Redis (on
 * {@link #SIMILAR_ITEMS}) every {@code publishInterval} of processing time.
 *
 * <p>An item's list is published again at most once per {@code refreshInterval} (processing time):
 * a change within it waits for its end ({@link #waiting}), so a popular item changed by every
 * session is written once a minute rather than every interval. Without it, a busy store republished
 * nearly its whole catalog every interval, about one list per visitor event (computing and encoding
 * them was some 40% of this task). An item not published within the last refresh interval (new, or
 * quiet until now) still goes out at the next interval.
 *
 * <p>Why an operator and not a {@code KeyedProcessFunction}: an item model is a few kilobytes and a
 * popular item receives many steps per second; reading and writing it through RocksDB on every
 * message would dominate the job. Models are kept in a bounded write-back cache in the heap: a
 * message costs a RocksDB read only on a cache miss, and a changed model is written back once, when
 * it is evicted and before every checkpoint barrier ({@link #prepareSnapshotPreBarrier}), so every
 * checkpoint holds exactly the models the cache had. After a restore the cache starts empty. Items
 * changed but not yet published when the job fails are published at their next change.
 *
 * <p>Every visitor's request waits behind whatever this task does, so the periodic publishing is
 * cut short: the changed items are published {@value #PUBLISH_SLICE} at a time, a millisecond
 * apart, with the waiting records processed in between (publishing a whole interval's changes at
 * once held every request for 0.3-0.6 s every 5 s, in a profile on a busy machine). The write-back
 * is spread the same way: a model left unchanged for {@link #WRITE_BACK_IDLE} is written back in
 * the background, a slice at a time, so the burst before a barrier holds only the models changed in
 * the last moments (writing back a whole checkpoint interval's models, 1,600-3,900 at 1,000
 * events/s, held the barrier, and every request behind it, for 90-260 ms). A model that is still
 * changing stays dirty until the barrier: bounding the dirty models by count instead cost 48% more
 * CPU in this task (hot models written every second or so instead of once per checkpoint).
 *
 * <p>State: one bounded {@link ItemModel} per item in RocksDB ({@link ItemModelSerializer}; the
 * POJO form of older savepoints is migrated on restore), dropped after {@code modelTtl} without
 * writes; at most {@code cacheSize} models on the heap.
 */
public class ItemModelOperator extends AbstractStreamOperator<NeighboursReply>
        implements OneInputStreamOperator<ItemMessage, NeighboursReply> {
    public static final OutputTag<RedisWrite> SIMILAR_ITEMS = new OutputTag<>("similar-items") {};
    public static final String SIMILAR_STRATEGY = "session_co_occurrence";

    /** Changed items published, and idle models written back, per turn of the mailbox. */
    static final int PUBLISH_SLICE = 100;

    /** How long a changed model stays unchanged before it is written back ahead of the barrier. */
    static final Duration WRITE_BACK_IDLE = Duration.ofSeconds(2);

    /** How often the models idle for {@link #WRITE_BACK_IDLE} are looked for. */
    static final Duration WRITE_BACK_TICK = Duration.ofSeconds(1);

    private final SessionRecommender recommender;
    private final Duration modelTtl;
    private final long publishIntervalMillis;
    private final long refreshIntervalMillis;
    private final int cacheSize;

    private transient ValueState<ItemModel> modelState;
    private transient LinkedHashMap<String, ItemModel> cache;

    /**
     * The models changed since written back, least recently changed first (a change moves the model
     * to the end; the cache's own order is untouched).
     */
    private transient LinkedHashMap<String, DirtyModel> dirty;

    /**
     * The items changed since published, in the order they first changed, each with its top
     * neighbours when a reply computed them on the model as it is now (publishing reuses them: the
     * list is the same function of the same model), else null.
     */
    private transient LinkedHashMap<String, ItemNeighbours> unpublished;

    /**
     * The items changed since their last publication, which is less than {@code refreshInterval}
     * ago: they move to {@link #unpublished} when it ends. Values as in {@link #unpublished}; an
     * item is in at most one of the two.
     */
    private transient LinkedHashMap<String, ItemNeighbours> waiting;

    /**
     * When each item was last published (processing time), within the refresh interval, oldest
     * first.
     */
    private transient LinkedHashMap<String, Long> publishedAt;

    /**
     * @param publishInterval longest a changed item waits to be published (after its refresh
     *     interval)
     * @param refreshInterval shortest time between two publications of one item's list (zero: every
     *     interval)
     */
    public ItemModelOperator(
            SessionRecommender recommender,
            Duration modelTtl,
            Duration publishInterval,
            Duration refreshInterval,
            int cacheSize) {
        this.recommender = recommender;
        this.modelTtl = modelTtl;
        this.publishIntervalMillis = publishInterval.toMillis();
        this.refreshIntervalMillis = refreshInterval.toMillis();
        this.cacheSize = cacheSize;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<ItemModel> descriptor =
                new ValueStateDescriptor<>("item-model", ItemModelSerializer.INSTANCE);
        descriptor.enableTimeToLive(StateTtl.afterLastWrite(modelTtl));
        modelState = getPartitionedState(descriptor);
        cache = new LinkedHashMap<>(cacheSize * 4 / 3 + 1, 0.75f, true);
        dirty = new LinkedHashMap<>(16, 0.75f, true);
        unpublished = new LinkedHashMap<>();
        waiting = new LinkedHashMap<>();
        publishedAt = new LinkedHashMap<>();
        schedulePublish();
        scheduleWriteBack();
    }

    @Override
    public void processElement(StreamRecord<ItemMessage> record) throws Exception {
        ItemMessage message = record.getValue();
        String itemId = (String) getCurrentKey();
        ItemModel model = load(itemId);
        if (!message.getUpdates().isEmpty()) {
            if (model == null) {
                model = new ItemModel();
                cache.put(itemId, model);
            }
            for (ItemUpdate update : message.getUpdates())
                recommender.apply(model, update, message.getEventTime());
            markDirty(itemId, model);
            (publishedAt.containsKey(itemId) ? waiting : unpublished).put(itemId, null);
        }
        if (message.getRequest() != null) {
            ItemNeighbours neighbours =
                    model == null
                            ? new ItemNeighbours(itemId, new ArrayList<>(), new ArrayList<>())
                            : recommender.neighbours(itemId, model);
            LinkedHashMap<String, ItemNeighbours> pending =
                    unpublished.containsKey(itemId)
                            ? unpublished
                            : waiting.containsKey(itemId) ? waiting : null;
            if (pending != null) {
                // the list only, not the samples (they may be large)
                pending.put(
                        itemId,
                        new ItemNeighbours(itemId, neighbours.getItems(), neighbours.getWeights()));
            }
            output.collect(record.replace(new NeighboursReply(message.getRequest(), neighbours)));
        }
        evictOverflow(itemId);
    }

    /** The item's model from the cache, else from state (then cached); null for an unknown item. */
    private ItemModel load(String itemId) throws Exception {
        ItemModel model = cache.get(itemId);
        if (model == null) {
            model = modelState.value();
            if (model != null) cache.put(itemId, model);
        }
        return model;
    }

    private void evictOverflow(String currentItem) throws Exception {
        if (cache.size() <= cacheSize) return;
        var eldest = cache.entrySet().iterator();
        while (cache.size() > cacheSize && eldest.hasNext()) {
            Map.Entry<String, ItemModel> entry = eldest.next();
            if (entry.getKey().equals(currentItem)) continue;
            if (dirty.remove(entry.getKey()) != null) writeBack(entry.getKey(), entry.getValue());
            // a change waiting for its refresh interval stays waiting: published from the state
            if (unpublished.containsKey(entry.getKey()))
                publish(entry.getKey(), entry.getValue(), unpublished.remove(entry.getKey()));
            eldest.remove();
        }
        setCurrentKey(currentItem);
    }

    private void writeBack(String itemId, ItemModel model) throws Exception {
        setCurrentKey(itemId);
        modelState.update(model);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushDirty();
    }

    @Override
    public void finish() throws Exception {
        flushDirty();
        publishChanged();
        super.finish();
    }

    private void flushDirty() throws Exception {
        for (Map.Entry<String, DirtyModel> entry : dirty.entrySet())
            writeBack(entry.getKey(), entry.getValue().model);
        dirty.clear();
    }

    /** Marks the model changed now: it moves to the end of {@link #dirty}. */
    private void markDirty(String itemId, ItemModel model) {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        DirtyModel entry = dirty.get(itemId);
        if (entry == null) dirty.put(itemId, new DirtyModel(model, now));
        else entry.changedAt = now;
    }

    private void scheduleWriteBack() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(now + WRITE_BACK_TICK.toMillis(), time -> writeBackIdle());
    }

    /**
     * Writes back up to {@value #PUBLISH_SLICE} models unchanged for {@link #WRITE_BACK_IDLE}, the
     * rest a millisecond later (the records waiting are processed in between); the next tick is
     * scheduled once none is left. The barrier writes back whatever is still dirty.
     */
    private void writeBackIdle() throws Exception {
        long idleSince =
                getProcessingTimeService().getCurrentProcessingTime() - WRITE_BACK_IDLE.toMillis();
        var oldest = dirty.entrySet().iterator();
        int written = 0;
        while (oldest.hasNext() && written < PUBLISH_SLICE) {
            Map.Entry<String, DirtyModel> entry = oldest.next();
            if (entry.getValue().changedAt > idleSince) break; // the rest changed later
            writeBack(entry.getKey(), entry.getValue().model);
            oldest.remove();
            written++;
        }
        if (written < PUBLISH_SLICE) {
            scheduleWriteBack();
        } else {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + 1, time -> writeBackIdle());
        }
    }

    /** A changed model and when it last changed (processing time). */
    private static final class DirtyModel {
        final ItemModel model;
        long changedAt;

        DirtyModel(ItemModel model, long changedAt) {
            this.model = model;
            this.changedAt = changedAt;
        }
    }

    private void schedulePublish() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        now + publishIntervalMillis,
                        time -> {
                            releaseRefreshed();
                            publishSlice();
                        });
    }

    /**
     * Ends the refresh interval of the items published {@code refreshInterval} or longer ago: those
     * changed since then join {@link #unpublished}.
     */
    private void releaseRefreshed() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        var oldest = publishedAt.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<String, Long> entry = oldest.next();
            if (entry.getValue() > now - refreshIntervalMillis) break; // the rest are later
            oldest.remove();
            if (waiting.containsKey(entry.getKey()))
                unpublished.put(entry.getKey(), waiting.remove(entry.getKey()));
        }
    }

    /**
     * Publishes up to {@value #PUBLISH_SLICE} changed items, the rest a millisecond later (a timer:
     * the records waiting are processed in between); the next interval starts once all are out.
     */
    private void publishSlice() throws Exception {
        var items = unpublished.entrySet().iterator();
        for (int n = 0; n < PUBLISH_SLICE && items.hasNext(); n++) {
            Map.Entry<String, ItemNeighbours> item = items.next();
            items.remove();
            ItemModel model = cachedOrStored(item.getKey());
            if (model != null) publish(item.getKey(), model, item.getValue());
        }
        if (unpublished.isEmpty()) {
            schedulePublish();
        } else {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + 1, time -> publishSlice());
        }
    }

    private void publishChanged() throws Exception {
        unpublished.putAll(waiting);
        waiting.clear();
        for (Map.Entry<String, ItemNeighbours> item : unpublished.entrySet()) {
            ItemModel model = cachedOrStored(item.getKey());
            if (model != null) publish(item.getKey(), model, item.getValue());
        }
        unpublished.clear();
    }

    /**
     * The item's model from the cache, else from the state without caching it (a changed item
     * evicted while it waited for its refresh interval: written back at its eviction).
     */
    private ItemModel cachedOrStored(String itemId) throws Exception {
        ItemModel model = cache.get(itemId);
        if (model != null) return model;
        setCurrentKey(itemId);
        return modelState.value();
    }

    /**
     * Publishes the item's similar items: from {@code current}, its neighbours computed on the
     * model as it is now, else computed here.
     */
    private void publish(String itemId, ItemModel model, ItemNeighbours current) {
        ItemNeighbours top = current != null ? current : recommender.topNeighbours(itemId, model);
        output.collect(
                SIMILAR_ITEMS,
                new StreamRecord<>(similarItems(itemId, top, model.getLastUpdate())));
        if (refreshIntervalMillis > 0) {
            publishedAt.remove(itemId); // to the end: the newest publication
            publishedAt.put(itemId, getProcessingTimeService().getCurrentProcessingTime());
        }
    }

    static RedisWrite similarItems(String itemId, ItemNeighbours neighbours, long eventTime) {
        List<ScoredItem> items = new ArrayList<>(neighbours.size());
        double best = neighbours.size() == 0 ? 1 : neighbours.getWeights().get(0);
        String reason = "similar_to:" + itemId;
        for (int i = 0; i < neighbours.size(); i++) {
            items.add(
                    ScoredItem.rounded(
                            neighbours.getItems().get(i),
                            neighbours.getWeights().get(i) / best,
                            reason));
        }
        return RedisWrite.list(
                RedisKeys.similarItems(itemId),
                new RecommendationList(itemId, SIMILAR_STRATEGY, eventTime, items));
    }
}
