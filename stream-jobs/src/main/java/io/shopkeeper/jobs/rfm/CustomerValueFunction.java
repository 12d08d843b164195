package io.shopkeeper.jobs.rfm;

import io.shopkeeper.jobs.identity.VisitorEvent;
import io.shopkeeper.jobs.types.StateTtl;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each customer's order totals (keyed by visitor, fed only with order events) and reports
 * every change, so the store-wide distribution can move the customer between its buckets. Kept
 * apart from the profile so the distribution can be broadcast back to the profile without a cycle.
 */
public class CustomerValueFunction
        extends KeyedProcessFunction<String, VisitorEvent, CustomerValueChange> {
    private final Duration ttl;
    private transient ValueState<CustomerValue> valueState;

    public CustomerValueFunction(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<CustomerValue> descriptor =
                new ValueStateDescriptor<>("customer-value", CustomerValue.class);
        descriptor.enableTimeToLive(StateTtl.afterLastWrite(ttl));
        valueState = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(
            VisitorEvent visitorEvent, Context ctx, Collector<CustomerValueChange> out)
            throws Exception {
        ShopEvent event = visitorEvent.getEvent();
        CustomerValue before = valueState.value();
        if (event.getType() == EventType.CUSTOMER_FORGOTTEN) {
            if (before != null) out.collect(new CustomerValueChange(before, null));
            valueState.clear();
            return;
        }
        CustomerValue after =
                before == null
                        ? new CustomerValue()
                        : new CustomerValue(
                                before.getOrders(), before.getSpend(), before.getLastOrderAt());
        if (event.getType() == EventType.ORDER_PLACED) {
            after.setOrders(after.getOrders() + 1);
            after.setSpend(after.getSpend() + event.getTotal());
            after.setLastOrderAt(Math.max(after.getLastOrderAt(), event.eventTimeMillis()));
        } else if (event.getType() == EventType.ORDER_CANCELLED) {
            after.setOrders(Math.max(0, after.getOrders() - 1));
            after.setSpend(Math.max(0, after.getSpend() - event.getTotal()));
        } else {
            return;
        }
        valueState.update(after);
        out.collect(new CustomerValueChange(before, after));
    }
}
