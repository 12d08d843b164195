package io.shopkeeper.jobs.census;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.VisitorCensus;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VisitorCensusFunctionHarnessTest {
    private static final Duration PUBLISH = Duration.ofSeconds(1);

    private KeyedOneInputStreamOperatorTestHarness<String, CensusChange, RedisWrite> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, CensusChange, RedisWrite>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new VisitorCensusFunction(PUBLISH)),
                change -> VisitorCensusFunction.STORE,
                Types.STRING);
    }

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void count(int delta, boolean identified) throws Exception {
        harness.processElement(new CensusChange(delta, identified), 0L);
    }

    private List<VisitorCensus> published() throws Exception {
        var censuses = new java.util.ArrayList<VisitorCensus>();
        for (RedisWrite write : harness.extractOutputValues()) {
            assertThat(write.getKey()).isEqualTo(RedisKeys.VISITOR_CENSUS);
            censuses.add(EventCodec.mapper().readValue(write.getText(), VisitorCensus.class));
        }
        return censuses;
    }

    @Test
    void publishesTheCountsOnceAfterABurstOfChanges() throws Exception {
        harness.setProcessingTime(1_000);
        count(+1, false);
        count(+1, false);
        count(+1, true);
        count(-1, false);
        assertThat(published()).isEmpty();

        harness.setProcessingTime(2_000);
        assertThat(published()).containsExactly(new VisitorCensus(2, 1, 1, 2_000));

        harness.setProcessingTime(10_000);
        assertThat(published()).hasSize(1); // nothing changed, nothing written
    }

    @Test
    void theCountsSurviveARestore() throws Exception {
        harness.setProcessingTime(1_000);
        count(+1, true);
        count(+1, false);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1_500);
        harness.close();

        harness = newHarness();
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(3_000); // the pending publication was restored with its timer
        count(+1, true);
        harness.setProcessingTime(5_000);

        List<VisitorCensus> published = published();
        assertThat(published.get(published.size() - 1))
                .isEqualTo(new VisitorCensus(3, 2, 1, published.get(published.size() - 1).at()));
    }

    @Test
    void aCountNeverGoesBelowZero() throws Exception {
        harness.setProcessingTime(1_000);
        count(-1, true);
        harness.setProcessingTime(2_000);
        assertThat(published()).containsExactly(new VisitorCensus(0, 0, 0, 2_000));
    }
}
