package io.shopkeeper.jobs.ingest;

import static io.shopkeeper.jobs.testing.ShopEvents.at;
import static io.shopkeeper.jobs.testing.ShopEvents.itemUpdate;
import static io.shopkeeper.jobs.testing.ShopEvents.line;
import static io.shopkeeper.jobs.testing.ShopEvents.ordered;
import static io.shopkeeper.jobs.testing.ShopEvents.seconds;
import static io.shopkeeper.jobs.testing.ShopEvents.viewed;
import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.sink.EventsDone;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries never count twice (issue 8, findings 5 and 6): repeated eventIds within the window and
 * repeated orders under new eventIds are dropped, across a snapshot and restore, and the remembered
 * ids are cleared when their window ends.
 */
class DeduplicateEventsHarnessTest {
    private static final Duration WINDOW = Duration.ofHours(24);

    private KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, ShopEvent> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ShopEvent, ShopEvent> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents(WINDOW, Duration.ofDays(400))),
                DeduplicateEvents.KEY,
                Types.STRING);
    }

    /** The same event again, as a client's retry delivers it: decoded from the same JSON. */
    private static ShopEvent resent(ShopEvent e) {
        return EventCodec.decode(EventCodec.encode(e)).event();
    }

    private void process(ShopEvent e) throws Exception {
        harness.processElement(e, e.eventTimeMillis());
    }

    private List<String> passedIds() {
        return harness.extractOutputValues().stream().map(ShopEvent::getEventId).toList();
    }

    @Test
    void aBatchSentTwiceAfterManyOtherEventsCountsOnce() throws Exception {
        List<ShopEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(viewed("anon-r", "s1", "i" + i, "c1", seconds(i)));
        }
        for (ShopEvent e : batch) process(e);
        for (ShopEvent e : batch) process(resent(e));

        assertThat(passedIds()).hasSize(30).doesNotHaveDuplicates();
        assertThat(harness.getOutput()).hasSize(30);
        assertThat(done())
                .as("every repeat dropped is done, for the progress counter")
                .isEqualTo(30);
    }

    /** Events done here: what the side output adds to the progress counter. */
    private int done() {
        var records = harness.getSideOutput(EventsDone.TAG);
        return records == null
                ? 0
                : records.stream().mapToInt(r -> r.getValue().getEventsApplied()).sum();
    }

    @Test
    void anOrderResentAfterOtherEventsOrUnderANewEventIdCountsOnce() throws Exception {
        ShopEvent order = ordered("cust-o", "s1", "o-1", seconds(10), line("i1", "c1", 1, 100.0));
        process(order);
        for (int i = 0; i < 20; i++)
            process(viewed("cust-o", "s1", "v" + i, "c1", seconds(20 + i)));
        process(resent(order));
        ShopEvent sameOrderNewId = resent(order);
        sameOrderNewId.setEventId("another-event-id");
        process(sameOrderNewId);

        assertThat(
                        harness.extractOutputValues().stream()
                                .filter(e -> e.getType() == EventType.ORDER_PLACED)
                                .count())
                .isEqualTo(1);
        assertThat(done()).isEqualTo(2);
    }

    @Test
    void aCancellationPassesOnceAndTheOrderCannotBePlacedAgain() throws Exception {
        ShopEvent order = ordered("cust-c", "s1", "o-7", seconds(10), line("i1", "c1", 1, 20.0));
        ShopEvent cancel = resent(order);
        cancel.setType(EventType.ORDER_CANCELLED);
        cancel.setEventId("cancel-1");
        ShopEvent cancelAgain = resent(cancel);
        cancelAgain.setEventId("cancel-2");
        ShopEvent placedAgain = resent(order);
        placedAgain.setEventId("placed-again");

        process(order);
        process(cancel);
        process(cancelAgain);
        process(placedAgain);

        assertThat(harness.extractOutputValues())
                .extracting(ShopEvent::getType)
                .containsExactly(EventType.ORDER_PLACED, EventType.ORDER_CANCELLED);
    }

    @Test
    void duplicatesAreStillDroppedAfterSnapshotAndRestore() throws Exception {
        ShopEvent view = viewed("anon-s", "s1", "i1", "c1", seconds(0));
        ShopEvent order = ordered("cust-s", "s1", "o-9", seconds(5), line("i1", "c1", 1, 10.0));
        process(view);
        process(order);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        process(resent(view));
        ShopEvent orderNewId = resent(order);
        orderNewId.setEventId("retry-with-new-id");
        process(orderNewId);
        ShopEvent fresh = viewed("anon-s", "s1", "i2", "c1", seconds(30));
        process(fresh);

        assertThat(passedIds()).containsExactly(fresh.getEventId());
    }

    @Test
    void rememberedIdsAreClearedWhenTheirWindowEnds() throws Exception {
        ShopEvent view = viewed("anon-w", "s1", "i1", "c1", seconds(0));
        process(view);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(at(WINDOW.plusHours(1)).toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        // After the window a resend is new again (bounded memory is the price of a bounded state).
        process(resent(view));
        assertThat(passedIds()).containsExactly(view.getEventId(), view.getEventId());
    }

    @Test
    void anIdArrivingBehindTheWatermarkIsRememberedForAFullWindowFromNow() throws Exception {
        harness.processWatermark(at(Duration.ofDays(3)).toEpochMilli());
        ShopEvent late = viewed("anon-l", "s1", "i1", "c1", seconds(0));
        process(late);
        harness.processWatermark(at(Duration.ofDays(3).plusHours(23)).toEpochMilli());
        process(resent(late));
        assertThat(passedIds()).containsExactly(late.getEventId());
    }

    @Test
    void catalogEventsPassUntouchedAndForgettingClearsTheVisitorsIds() throws Exception {
        ShopEvent update = itemUpdate("i1", "c1", 10.0, true, seconds(0));
        process(update);
        process(resent(update));
        ShopEvent view = viewed("cust-f", "s1", "i1", "c1", seconds(1));
        process(view);
        ShopEvent forget = resent(view);
        forget.setType(EventType.CUSTOMER_FORGOTTEN);
        forget.setEventId("forget-1");
        process(forget);

        assertThat(passedIds())
                .containsExactly(
                        update.getEventId(), update.getEventId(), view.getEventId(), "forget-1");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
