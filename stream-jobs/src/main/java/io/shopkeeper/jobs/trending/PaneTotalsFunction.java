package io.shopkeeper.jobs.trending;

import io.shopkeeper.jobs.types.Compact;
import io.shopkeeper.jobs.types.CompactSerializer;
import io.shopkeeper.jobs.types.WriteBackCache;
import io.shopkeeper.jobs.types.WriteBackProcessOperator;
import io.shopkeeper.jobs.types.WritesBack;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * An item's interaction totals over sliding event-time windows ({@code size}, every {@code slide}),
 * with one state update per interaction: the item's weights are summed per pane (one slide of event
 * time) and, when event time passes a window's end, the panes the window covers are added up.
 *
 * <p>Contract: the totals are exactly those of {@code SlidingEventTimeWindows.of(size, slide)} with
 * {@link WindowTotals.Sum} and {@link WindowTotals.StampWindowEnd} (no allowed lateness): one total
 * per window holding at least one interaction, emitted when the watermark reaches the window's last
 * millisecond with that timestamp, stamped with the window's end, its category the one of the first
 * interaction the window received; an interaction is counted in every window not yet emitted when
 * it arrives, and dropped when all its windows have been.
 *
 * <p>State: one value per item ({@link Panes}: per pane its total and the arrival rank and category
 * of its first interaction), a pane kept until the last window covering it is emitted, the value
 * cleared with the last pane; one timer per item at the next window end due. Run by a {@link
 * WriteBackProcessOperator} (the job does), the values of up to {@link #CACHE_SIZE} items wait on
 * the heap ({@link WriteBackCache}) and reach RocksDB when evicted or before a checkpoint barrier:
 * a popular item's interactions within a checkpoint interval cost one state write instead of a read
 * and a write each (RocksDB was two thirds of this task's CPU, in a profile of the pipeline
 * benchmark).
 */
public class PaneTotalsFunction
        extends KeyedProcessFunction<String, ItemInteraction, ItemInteraction>
        implements WritesBack {
    /** Items whose panes are kept on the heap per subtask (some 200 bytes each). */
    public static final int CACHE_SIZE = 20_000;

    /** The panes have no TTL: they leave with their last window. */
    private static final Duration NO_TTL = Duration.ofMillis(Long.MAX_VALUE);

    private final long size;
    private final long slide;
    private int cacheSize = CACHE_SIZE;
    private transient WriteBackCache<String, Panes> panes;

    public PaneTotalsFunction(Duration size, Duration slide) {
        this.size = size.toMillis();
        this.slide = slide.toMillis();
        if (slide.toMillis() <= 0 || this.size % this.slide != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of slide");
        }
    }

    /**
     * Keeps up to {@code items} items' panes on the heap (0: none) instead of {@link #CACHE_SIZE}.
     */
    public PaneTotalsFunction withCacheSize(int items) {
        this.cacheSize = items;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        panes =
                new WriteBackCache<>(
                        getRuntimeContext()
                                .getState(
                                        new ValueStateDescriptor<>(
                                                "trending-panes", Panes.SERIALIZER)),
                        cacheSize,
                        Panes::copy,
                        NO_TTL);
    }

    @Override
    public void setKeyContext(KeyContext keys) {
        panes.setKeyContext(keys);
    }

    @Override
    public void writeBack(long now) throws Exception {
        panes.writeBack(now);
    }

    @Override
    public void processElement(ItemInteraction value, Context ctx, Collector<ItemInteraction> out)
            throws Exception {
        Long timestamp = ctx.timestamp();
        if (timestamp == null || timestamp == Long.MIN_VALUE) {
            throw new IllegalStateException(
                    "an interaction without a timestamp: is the time characteristic event time?");
        }
        long paneEnd = TimeWindow.getWindowStartWithOffset(timestamp, 0, slide) + slide;
        long watermark = ctx.timerService().currentWatermark();
        String item = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        Panes state = panes.load(item, now);
        if (state == null) state = new Panes();
        // The first window of the pane not yet emitted: its last millisecond after the watermark,
        // and after the last window emitted (the watermark starts again from nothing at a
        // restore, the windows emitted before it stay emitted).
        long firstOpenEnd = paneEnd;
        while (firstOpenEnd - 1 <= watermark || firstOpenEnd <= state.emittedUpTo) {
            firstOpenEnd += slide;
            if (firstOpenEnd > paneEnd + size - slide) return; // every window emitted: late
        }
        if (state.add(paneEnd, value.getWeight(), value.getCategoryId())) {
            ctx.timerService().registerEventTimeTimer(firstOpenEnd - 1);
        }
        panes.store(item, state, now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ItemInteraction> out)
            throws Exception {
        String item = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        Panes state = panes.load(item, now);
        if (state == null) return;
        long windowEnd = timestamp + 1;
        long firstPaneEnd = windowEnd - size + slide;
        double total = 0;
        long firstRank = Long.MAX_VALUE;
        String category = null;
        boolean any = false;
        boolean nextWindowHasPanes = false;
        List<Pane> list = state.panes;
        for (Pane pane : list) {
            if (pane.end >= firstPaneEnd && pane.end <= windowEnd) {
                any = true;
                total += pane.total;
                if (pane.firstRank < firstRank) {
                    firstRank = pane.firstRank;
                    category = pane.category;
                }
            }
            if (pane.end > firstPaneEnd && pane.end <= windowEnd + slide) nextWindowHasPanes = true;
        }
        if (any) {
            ItemInteraction result = new ItemInteraction();
            result.setItemId(item);
            result.setCategoryId(category);
            result.setWeight(total);
            result.setWindowEnd(windowEnd);
            out.collect(result);
        }
        state.emittedUpTo = windowEnd;
        // Panes no later window covers are done.
        list.removeIf(pane -> pane.end <= firstPaneEnd);
        if (list.isEmpty()) {
            panes.clear(item);
            return;
        }
        panes.store(item, state, now);
        if (nextWindowHasPanes) ctx.timerService().registerEventTimeTimer(windowEnd + slide - 1);
    }

    /** One pane of an item: its total, and the arrival rank and category of its first weight. */
    static final class Pane {
        long end;
        double total;
        long firstRank;
        String category;
    }

    /**
     * An item's panes in order of their end, the arrival rank of its next interaction and the end
     * of the last window emitted.
     */
    public static final class Panes {
        static final TypeSerializer<Panes> SERIALIZER = new Serializer();

        final List<Pane> panes = new ArrayList<>(8);
        long nextRank;
        long emittedUpTo = Long.MIN_VALUE;

        /** A deep copy (the cache hands out copies to change). */
        Panes copy() {
            Panes copy = new Panes();
            copy.nextRank = nextRank;
            copy.emittedUpTo = emittedUpTo;
            for (Pane pane : panes) {
                Pane p = new Pane();
                p.end = pane.end;
                p.total = pane.total;
                p.firstRank = pane.firstRank;
                p.category = pane.category;
                copy.panes.add(p);
            }
            return copy;
        }

        /** Adds a weight to its pane; true when the pane is new. */
        boolean add(long end, double weight, String category) {
            int i = 0;
            while (i < panes.size() && panes.get(i).end < end) i++;
            if (i < panes.size() && panes.get(i).end == end) {
                panes.get(i).total += weight;
                return false;
            }
            Pane pane = new Pane();
            pane.end = end;
            pane.total = weight;
            pane.firstRank = nextRank++;
            pane.category = category;
            panes.add(i, pane);
            return true;
        }

        /** nextRank, emittedUpTo, pane count, then per pane: end, total, first rank, category. */
        static final class Serializer extends CompactSerializer<Panes> {
            @Override
            public Panes createInstance() {
                return new Panes();
            }

            @Override
            public void serialize(Panes p, DataOutputView out) throws IOException {
                out.writeLong(p.nextRank);
                out.writeLong(p.emittedUpTo);
                out.writeInt(p.panes.size());
                for (Pane pane : p.panes) {
                    out.writeLong(pane.end);
                    out.writeDouble(pane.total);
                    out.writeLong(pane.firstRank);
                    Compact.writeString(pane.category, out);
                }
            }

            @Override
            public Panes deserialize(DataInputView in) throws IOException {
                Panes p = new Panes();
                p.nextRank = in.readLong();
                p.emittedUpTo = in.readLong();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    Pane pane = new Pane();
                    pane.end = in.readLong();
                    pane.total = in.readDouble();
                    pane.firstRank = in.readLong();
                    pane.category = Compact.readString(in);
                    p.panes.add(pane);
                }
                return p;
            }

            @Override
            public TypeSerializerSnapshot<Panes> snapshotConfiguration() {
                return new Snapshot();
            }
        }

        /** Restores the serializer (no configuration). */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<Panes> {
            public Snapshot() {
                super(() -> SERIALIZER);
            }
        }
    }
}
