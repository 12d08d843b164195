package io.shopkeeper.jobs.offers;

import io.shopkeeper.jobs.offers.RecommendationClicks.Click;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.RecommendationIds;
import io.shopkeeper.schemas.offers.RecommendationCounters;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * What each recommendation strategy earned, keyed by visitor: an impression or click whose {@code
 * recommendationId} parses ({@link RecommendationIds}) counts for its strategy and context on the
 * event's day; a click is remembered for {@link RecommendationCounters#ORDER_WINDOW}, and the
 * visitor's order within it counts (with its total as revenue) for the latest click not yet
 * credited. Ids in any other form are ignored.
 *
 * <p>Replay-safe: the deltas are a function of the state and the steps, so a restore replays the
 * same deltas, which {@link RecommendationResultsFunction} sums in its own state. State: at most
 * {@link #MAX_CLICKS} clicks, each dropped by an event-time timer when its window ends; cleared
 * when the visitor is forgotten or stitched to a customer (clicks made while anonymous then earn no
 * order).
 */
public class RecommendationAttributionFunction
        extends KeyedProcessFunction<String, OfferMoment, RecommendationDelta> {
    static final int MAX_CLICKS = 20;
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final long window = RecommendationCounters.ORDER_WINDOW.toMillis();
    private transient ValueState<RecommendationClicks> state;

    /** The steps this function reads: recommendation impressions and clicks, orders, endings. */
    public static boolean reads(OfferMoment m) {
        if (m.getKind() == OfferMoment.Kind.FORGOTTEN
                || m.getKind() == OfferMoment.Kind.MERGED_AWAY) return true;
        if (m.getKind() != OfferMoment.Kind.STEP || m.getEventType() == null) return false;
        return switch (m.getEventType()) {
            case IMPRESSION, CLICK -> m.getRecommendationId() != null;
            case ORDER_PLACED -> true;
            default -> false;
        };
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "recommendation-clicks",
                                        TypeInformation.of(RecommendationClicks.class)));
    }

    @Override
    public void processElement(OfferMoment m, Context ctx, Collector<RecommendationDelta> out)
            throws Exception {
        if (m.getKind() != OfferMoment.Kind.STEP) {
            state.clear();
            return;
        }
        if (m.getEventType() == EventType.ORDER_PLACED) {
            order(m, out);
            return;
        }
        RecommendationIds.Parsed id = RecommendationIds.parse(m.getRecommendationId());
        if (id == null) return;
        boolean click = m.getEventType() == EventType.CLICK;
        String metric = click ? RecommendationCounters.CLICKS : RecommendationCounters.IMPRESSIONS;
        out.collect(
                new RecommendationDelta(
                        day(m.getAt()),
                        RecommendationCounters.field(id.strategy(), id.context(), metric),
                        1));
        if (!click) return;
        RecommendationClicks s = state.value();
        if (s == null) s = new RecommendationClicks();
        List<Click> clicks = s.getClicks();
        int at = clicks.size();
        while (at > 0 && clicks.get(at - 1).getAt() > m.getAt()) at--; // oldest first
        clicks.add(at, new Click(id.strategy(), id.context(), m.getAt()));
        while (clicks.size() > MAX_CLICKS) clicks.remove(0);
        state.update(s);
        ctx.timerService().registerEventTimeTimer(m.getAt() + window);
    }

    /** The order counts for the latest click within the window before it; that click is spent. */
    private void order(OfferMoment m, Collector<RecommendationDelta> out) throws Exception {
        RecommendationClicks s = state.value();
        if (s == null) return;
        List<Click> clicks = s.getClicks();
        for (int i = clicks.size() - 1; i >= 0; i--) {
            Click c = clicks.get(i);
            if (c.getAt() > m.getAt() || m.getAt() >= c.getAt() + window) continue;
            String day = day(m.getAt());
            out.collect(
                    new RecommendationDelta(
                            day,
                            RecommendationCounters.field(
                                    c.getStrategy(), c.getContext(), RecommendationCounters.ORDERS),
                            1));
            out.collect(
                    new RecommendationDelta(
                            day,
                            RecommendationCounters.field(
                                    c.getStrategy(),
                                    c.getContext(),
                                    RecommendationCounters.REVENUE),
                            m.getTotal()));
            clicks.remove(i);
            save(s);
            return;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RecommendationDelta> out)
            throws Exception {
        RecommendationClicks s = state.value();
        if (s == null) return;
        if (s.getClicks().removeIf(c -> c.getAt() + window <= timestamp)) save(s);
    }

    private void save(RecommendationClicks s) throws Exception {
        if (s.getClicks().isEmpty()) state.clear();
        else state.update(s);
    }

    /** The UTC day of an event time, {@code yyyy-MM-dd}. */
    static String day(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, DAY)).toString();
    }
}
