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
import java.util.HashMap;
import java.util.List;
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

    /**
     * One entry per item the operator holds anything for (a cached model, a change not written back
     * or not published, a recent publication): a message looks its item up once (the five maps by
     * item id this replaced cost up to six lookups per message, 16% of the task's CPU samples,
     * issue 11). An entry leaves when it is in none of the orders below.
     */
    private transient HashMap<String, ItemEntry> entries;

    /** The cached models, least recently used first: at most {@code cacheSize}. */
    private transient ItemEntry.Order cache;

    /**
     * The models changed since written back, least recently changed first (a change moves the model
     * to the end; the cache's own order is untouched).
     */
    private transient ItemEntry.Order dirty;

    /**
     * The items changed since published, in the order they first changed, each with its top
     * neighbours when a reply computed them on the model as it is now (publishing reuses them: the
     * list is the same function of the same model), else null ({@link ItemEntry#unpublishedTop}).
     */
    private transient ItemEntry.Order unpublished;

    /**
     * The items changed since their last publication, which is less than {@code refreshInterval}
     * ago: they move to {@link #unpublished} when it ends. Values as in {@link #unpublished}
     * ({@link ItemEntry#waitingTop}); an item is in at most one of the two.
     */
    private transient ItemEntry.Order waiting;

    /**
     * The items published within the refresh interval, oldest publication first ({@link
     * ItemEntry#publishedAt}, processing time).
     */
    private transient ItemEntry.Order published;

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
        entries = new HashMap<>(cacheSize * 2 + 16);
        cache = new ItemEntry.Order(ItemEntry.CACHE);
        dirty = new ItemEntry.Order(ItemEntry.DIRTY);
        unpublished = new ItemEntry.Order(ItemEntry.UNPUBLISHED);
        waiting = new ItemEntry.Order(ItemEntry.WAITING);
        published = new ItemEntry.Order(ItemEntry.PUBLISHED);
        schedulePublish();
        scheduleWriteBack();
    }

    @Override
    public void processElement(StreamRecord<ItemMessage> record) throws Exception {
        ItemMessage message = record.getValue();
        String itemId = (String) getCurrentKey();
        ItemEntry entry = entries.get(itemId);
        entry = load(itemId, entry);
        ItemModel model = entry == null ? null : entry.model;
        if (!message.getUpdates().isEmpty()) {
            if (model == null) {
                model = new ItemModel();
                if (entry == null) entry = newEntry(itemId);
                entry.model = model;
                cache.addLast(entry);
            }
            for (ItemUpdate update : message.getUpdates())
                recommender.apply(model, update, message.getEventTime());
            markDirty(entry);
            if (published.contains(entry)) {
                if (!waiting.contains(entry)) waiting.addLast(entry);
                entry.waitingTop = null;
            } else {
                if (!unpublished.contains(entry)) unpublished.addLast(entry);
                entry.unpublishedTop = null;
            }
        }
        if (message.getRequest() != null) {
            ItemNeighbours neighbours =
                    model == null
                            ? new ItemNeighbours(itemId, new ArrayList<>(), new ArrayList<>())
                            : recommender.neighbours(itemId, model);
            if (entry != null && (unpublished.contains(entry) || waiting.contains(entry))) {
                // the list only, not the samples (they may be large)
                ItemNeighbours top =
                        new ItemNeighbours(itemId, neighbours.getItems(), neighbours.getWeights());
                if (unpublished.contains(entry)) entry.unpublishedTop = top;
                else entry.waitingTop = top;
            }
            output.collect(record.replace(new NeighboursReply(message.getRequest(), neighbours)));
        }
        evictOverflow(itemId, entry);
    }

    private ItemEntry newEntry(String itemId) {
        ItemEntry entry = new ItemEntry(itemId);
        entries.put(itemId, entry);
        return entry;
    }

    /** Removes the entry once it is in no order. */
    private void release(ItemEntry entry) {
        if (entry.inNoOrder()) entries.remove(entry.itemId);
    }

    /**
     * The item's entry with its model from the cache (now the most recently used), else from state
     * (then cached); the entry is null, or its model null, for an unknown item.
     */
    private ItemEntry load(String itemId, ItemEntry entry) throws Exception {
        if (entry != null && entry.model != null) {
            cache.moveToEnd(entry);
            return entry;
        }
        ItemModel model = modelState.value();
        if (model != null) {
            if (entry == null) entry = newEntry(itemId);
            entry.model = model;
            cache.addLast(entry);
        }
        return entry;
    }

    private void evictOverflow(String currentItem, ItemEntry current) throws Exception {
        if (cache.size() <= cacheSize) return;
        ItemEntry entry = cache.first();
        while (cache.size() > cacheSize && entry != null) {
            ItemEntry next = cache.next(entry);
            if (entry != current) {
                if (dirty.contains(entry)) {
                    dirty.remove(entry);
                    writeBack(entry.itemId, entry.model);
                }
                // a change waiting for its refresh interval stays waiting: published from the state
                if (unpublished.contains(entry)) {
                    ItemNeighbours top = entry.unpublishedTop;
                    unpublished.remove(entry);
                    entry.unpublishedTop = null;
                    publish(entry, entry.model, top);
                }
                cache.remove(entry);
                entry.model = null;
                release(entry);
            }
            entry = next;
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
        for (ItemEntry entry = dirty.first(); entry != null; entry = dirty.next(entry))
            writeBack(entry.itemId, entry.model);
        for (ItemEntry entry = dirty.first(); entry != null; entry = dirty.first()) {
            dirty.remove(entry);
            release(entry);
        }
    }

    /** Marks the model changed now: it moves to the end of {@link #dirty}. */
    private void markDirty(ItemEntry entry) {
        entry.changedAt = getProcessingTimeService().getCurrentProcessingTime();
        if (dirty.contains(entry)) dirty.moveToEnd(entry);
        else dirty.addLast(entry);
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
        int written = 0;
        for (ItemEntry entry = dirty.first();
                entry != null && written < PUBLISH_SLICE;
                entry = dirty.first()) {
            if (entry.changedAt > idleSince) break; // the rest changed later
            writeBack(entry.itemId, entry.model);
            dirty.remove(entry);
            release(entry);
            written++;
        }
        if (written < PUBLISH_SLICE) {
            scheduleWriteBack();
        } else {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + 1, time -> writeBackIdle());
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
        for (ItemEntry entry = published.first(); entry != null; entry = published.first()) {
            if (entry.publishedAt > now - refreshIntervalMillis) break; // the rest are later
            published.remove(entry);
            if (waiting.contains(entry)) toUnpublished(entry);
            release(entry);
        }
    }

    /** Moves a waiting item to {@link #unpublished} (its end, unless already there). */
    private void toUnpublished(ItemEntry entry) {
        ItemNeighbours top = entry.waitingTop;
        waiting.remove(entry);
        entry.waitingTop = null;
        if (!unpublished.contains(entry)) unpublished.addLast(entry);
        entry.unpublishedTop = top;
    }

    /**
     * Publishes up to {@value #PUBLISH_SLICE} changed items, the rest a millisecond later (a timer:
     * the records waiting are processed in between); the next interval starts once all are out.
     */
    private void publishSlice() throws Exception {
        ItemEntry entry = unpublished.first();
        for (int n = 0; n < PUBLISH_SLICE && entry != null; n++, entry = unpublished.first())
            publishUnpublished(entry);
        if (unpublished.size() == 0) {
            schedulePublish();
        } else {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + 1, time -> publishSlice());
        }
    }

    /** Takes the item out of {@link #unpublished} and publishes it (unless it has no model). */
    private void publishUnpublished(ItemEntry entry) throws Exception {
        ItemNeighbours top = entry.unpublishedTop;
        unpublished.remove(entry);
        entry.unpublishedTop = null;
        ItemModel model = cachedOrStored(entry);
        if (model != null) publish(entry, model, top);
        release(entry);
    }

    private void publishChanged() throws Exception {
        for (ItemEntry entry = waiting.first(); entry != null; entry = waiting.first())
            toUnpublished(entry);
        for (ItemEntry entry = unpublished.first(); entry != null; entry = unpublished.first())
            publishUnpublished(entry);
    }

    /**
     * The item's model from the cache, else from the state without caching it (a changed item
     * evicted while it waited for its refresh interval: written back at its eviction).
     */
    private ItemModel cachedOrStored(ItemEntry entry) throws Exception {
        if (entry.model != null) return entry.model;
        setCurrentKey(entry.itemId);
        return modelState.value();
    }

    /**
     * Publishes the item's similar items: from {@code current}, its neighbours computed on the
     * model as it is now, else computed here.
     */
    private void publish(ItemEntry entry, ItemModel model, ItemNeighbours current) {
        String itemId = entry.itemId;
        ItemNeighbours top = current != null ? current : recommender.topNeighbours(itemId, model);
        output.collect(
                SIMILAR_ITEMS,
                new StreamRecord<>(similarItems(itemId, top, model.getLastUpdate())));
        if (refreshIntervalMillis > 0) {
            // to the end: the newest publication
            if (published.contains(entry)) published.remove(entry);
            entry.publishedAt = getProcessingTimeService().getCurrentProcessingTime();
            published.addLast(entry);
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
