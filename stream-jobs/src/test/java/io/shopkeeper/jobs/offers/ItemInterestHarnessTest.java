package io.shopkeeper.jobs.offers;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.offers.CampaignCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The item -> interested visitors index: price drops and restocks reach recent viewers only. */
class ItemInterestHarnessTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final String PRICE_DROP =
            "{\"id\":\"drop\",\"name\":\"Drop\",\"trigger\":{\"type\":\"price_drop\"},"
                    + "\"offer\":{\"kind\":\"message\",\"message\":\"Cheaper now\"},"
                    + "\"holdoutPercent\":0,\"status\":\"live\"}";

    private KeyedBroadcastOperatorTestHarness<String, ItemSignal, String, OfferMoment> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) harness.close();
    }

    private static KeyedBroadcastOperatorTestHarness<String, ItemSignal, String, OfferMoment>
            newHarness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new ItemInterestFunction(Duration.ofDays(30), Duration.ofDays(400)),
                        List.of(CampaignBook.DEFINITIONS)),
                ItemSignal::getItemId,
                Types.STRING,
                1,
                1,
                0);
    }

    private static long at(Duration d) {
        return T0.plus(d).toEpochMilli();
    }

    private void process(ItemSignal s) throws Exception {
        harness.processElement(s, s.getAt());
    }

    @Test
    void aPriceDropReachesTheRecentViewersOfTheItemAcrossARestore() throws Exception {
        harness = newHarness();
        harness.open();
        process(ItemSignal.interest("i1", "cust-early", at(Duration.ZERO), 50.0));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processBroadcastElement(
                CampaignCodec.encode(
                        CampaignCodec.decode(PRICE_DROP).campaign().withVersion(1, T0)),
                0);
        process(ItemSignal.interest("i1", "cust-a", at(Duration.ofDays(1)), 50.0));
        process(ItemSignal.interest("i1", "cust-old", at(Duration.ofDays(2)), 50.0));
        process(ItemSignal.interest("i2", "cust-b", at(Duration.ofDays(2)), 10.0));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        process(ItemSignal.update("i1", at(Duration.ofDays(3)), 40.0, true));
        process(ItemSignal.update("i1", at(Duration.ofDays(3)), 45.0, true)); // a rise: nothing
        List<OfferMoment> moments = harness.extractOutputValues();
        assertThat(moments)
                .extracting(
                        OfferMoment::getVisitorId,
                        OfferMoment::getItemTrigger,
                        OfferMoment::getDropPercent)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cust-a", "price_drop", 20.0),
                        org.assertj.core.groups.Tuple.tuple("cust-old", "price_drop", 20.0));
        assertThat(moments.get(0).getInterestAt()).isEqualTo(at(Duration.ofDays(1)));

        // Interest older than the window is forgotten.
        process(ItemSignal.update("i1", at(Duration.ofDays(32)), 30.0, true));
        assertThat(harness.extractOutputValues()).hasSize(3);
    }
}
