package io.shopkeeper.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.ingest.DecodedRecord;
import io.shopkeeper.jobs.testing.ShopEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The job's operators flush their network buffers at {@code --network.buffer-timeout} on the way
 * from an event to the visitor's profile and recommendations, and at the side-path timeout where no
 * visitor waits (each output's flusher thread wakes at its timeout whatever the traffic).
 */
class BufferTimeoutTest {

    private static StreamExecutionEnvironment defined(JobConfig config) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        PersonalizationJob.clusterConfiguration(config));
        DataStream<DecodedRecord> records =
                env.fromData(
                                TypeInformation.of(DecodedRecord.class),
                                new DecodedRecord[] {
                                    DecodedRecord.decode(
                                            io.shopkeeper.schemas.EventCodec.encode(
                                                    ShopEvents.viewed(
                                                            "v",
                                                            "s",
                                                            "i1",
                                                            "c1",
                                                            ShopEvents.seconds(0))),
                                            "clickstream",
                                            0,
                                            0,
                                            0)
                                })
                        .assignTimestampsAndWatermarks(PersonalizationJob.watermarks(config));
        PersonalizationJob.define(
                records,
                PersonalizationJob.segments(config),
                new JobSinks(
                        new DiscardingSink<>(), new DiscardingSink<>(), new DiscardingSink<>()),
                config);
        return env;
    }

    /** The names of the job's tasks at the default settings (chained operators joined by "->"). */
    private static List<String> taskNames() {
        List<String> tasks = new ArrayList<>();
        for (JobVertex vertex :
                defined(JobConfig.builder().build()).getStreamGraph().getJobGraph().getVertices())
            tasks.add(vertex.getName());
        return tasks;
    }

    private static Map<String, Long> timeoutsByOperator(JobConfig config) {
        StreamExecutionEnvironment env = defined(config);
        Map<String, Long> timeouts = new HashMap<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes())
            timeouts.put(node.getOperatorName(), node.getBufferTimeout());
        return timeouts;
    }

    @Test
    void theVisitorPathKeepsTheConfiguredTimeoutAndTheSidePathsWaitLonger() {
        Map<String, Long> timeouts = timeoutsByOperator(JobConfig.builder().build());

        for (String visitorPath :
                new String[] {
                    "deduplicate",
                    "identity-stitching",
                    "event-time-order",
                    "profiles",
                    "profile-writes",
                    "segment-membership-resync",
                    "item-messages",
                    "item-models",
                    "forget-requests",
                    "recommendations",
                    "offer-moments",
                    "offer-decisions"
                }) assertThat(timeouts).containsEntry(visitorPath, 10L);
        for (String sidePath :
                new String[] {
                    "item-interactions",
                    "trending-window-totals",
                    "trending-per-category",
                    "trending-overall",
                    "co-purchases",
                    "bought-together",
                    "customer-value",
                    "store-distribution",
                    "visitor-census",
                    "value-events",
                    "customer-value-events",
                    "catalog-facts",
                    "decode-events-done",
                    "deduplicate-events-done",
                    "profile-events-done",
                    "recommendation-touches",
                    "recommendation-attribution",
                    "recommendation-results",
                    "campaign-results"
                }) assertThat(timeouts).containsEntry(sidePath, 100L);
    }

    @Test
    void theCustomerValueEventsAreFilteredWhereTheVisitorEventsAreMadeNotInATaskOfTheirOwn() {
        List<String> tasks = taskNames();

        assertThat(tasks).noneMatch(task -> task.startsWith("value-events"));
        assertThat(tasks)
                .anyMatch(
                        task ->
                                task.startsWith("identity-stitching")
                                        && task.contains("value-events"))
                .anyMatch(
                        task ->
                                task.startsWith("deduplicate")
                                        && task.contains("customer-value-events"));
    }

    @Test
    void theProfileStepIsChainedToTheEventTimeOrderNotATaskOfItsOwn() {
        List<String> tasks = taskNames();

        assertThat(tasks).noneMatch(task -> task.startsWith("profiles"));
        assertThat(tasks)
                .anyMatch(
                        task ->
                                task.startsWith("event-time-order")
                                        && task.contains("-> profiles"));
    }

    @Test
    void theBusiestRedisWritersAreChainedToTheOperatorsThatMakeTheirWrites() {
        List<String> tasks = taskNames();

        assertThat(tasks)
                .noneMatch(task -> task.startsWith(PersonalizationJob.PROFILE_REDIS_WRITER))
                .noneMatch(task -> task.startsWith(PersonalizationJob.RECOMMENDATION_REDIS_WRITER))
                .noneMatch(task -> task.startsWith(PersonalizationJob.SIMILAR_ITEMS_REDIS_WRITER))
                .anyMatch(
                        task ->
                                task.startsWith("event-time-order")
                                        && task.contains(PersonalizationJob.PROFILE_REDIS_WRITER))
                .anyMatch(
                        task ->
                                task.startsWith("recommendations")
                                        && task.contains(
                                                PersonalizationJob.RECOMMENDATION_REDIS_WRITER))
                .anyMatch(
                        task ->
                                task.startsWith("item-models")
                                        && task.contains(
                                                PersonalizationJob.SIMILAR_ITEMS_REDIS_WRITER));
    }

    @Test
    void aLargerConfiguredTimeoutAppliesEverywhere() {
        Map<String, Long> timeouts =
                timeoutsByOperator(
                        JobConfig.builder().networkBufferTimeout(Duration.ofMillis(250)).build());

        assertThat(timeouts)
                .containsEntry("profiles", 250L)
                .containsEntry("trending-overall", 250L);
    }
}
