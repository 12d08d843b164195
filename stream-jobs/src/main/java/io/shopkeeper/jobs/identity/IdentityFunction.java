package io.shopkeeper.jobs.identity;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Identity stitching, keyed by anonymous id. A visitor is anonymous until an event carries both ids
 * (a login, an order); from then on:
 * <ul>
 *   <li>the anonymous events seen before (the last {@link #MAX_PENDING}) are replayed into the
 *   customer's profile and the anonymous profile is retired ({@link VisitorEvent.Kind#MERGED_AWAY}),
 *   so nothing is counted twice: each event lives in exactly one profile;</li>
 *   <li>every later event under the anonymous id alone is routed to the customer.</li>
 * </ul>
 * Two devices (two anonymous ids) linked to one customer end in one profile. The link is state, so
 * it survives restarts; a later login as another customer re-links the cookie for future events
 * (shared devices) without moving history again. State expires with the anonymous TTL; a
 * {@code customer_forgotten} tombstone carrying the anonymous id clears it at once.
 */
public class IdentityFunction extends KeyedProcessFunction<String, ShopEvent, VisitorEvent> {
    public static final int MAX_PENDING = 50;

    private final Duration ttl;
    private transient ValueState<AnonymousHistory> historyState;

    public IdentityFunction(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<AnonymousHistory> descriptor = new ValueStateDescriptor<>("anonymous-history", AnonymousHistory.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl).setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite).build());
        historyState = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(ShopEvent event, Context ctx, Collector<VisitorEvent> out) throws Exception {
        String anonymousId = ctx.getCurrentKey();
        AnonymousHistory history = historyState.value();
        if (history == null) history = new AnonymousHistory();

        if (event.getType() == EventType.CUSTOMER_FORGOTTEN) {
            historyState.clear();
            out.collect(VisitorEvent.live(event.getCustomerId() != null ? event.getCustomerId() : anonymousId, event));
            return;
        }
        String customerId = event.getCustomerId();
        if (customerId != null) {
            if (!customerId.equals(history.getCustomerId())) {
                boolean firstLink = history.getCustomerId() == null;
                history.setCustomerId(customerId);
                if (firstLink) {
                    for (ShopEvent earlier : history.getPending()) {
                        earlier.setCustomerId(customerId);
                        out.collect(VisitorEvent.replay(customerId, earlier));
                    }
                    out.collect(VisitorEvent.mergedAway(anonymousId, customerId, event));
                }
                history.getPending().clear();
                historyState.update(history);
            }
            out.collect(VisitorEvent.live(customerId, event));
        } else if (history.getCustomerId() != null) {
            event.setCustomerId(history.getCustomerId());
            out.collect(VisitorEvent.live(history.getCustomerId(), event));
        } else {
            history.getPending().add(event);
            if (history.getPending().size() > MAX_PENDING) history.getPending().remove(0);
            historyState.update(history);
            out.collect(VisitorEvent.live(anonymousId, event));
        }
    }
}
