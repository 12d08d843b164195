package io.shopkeeper.api.health;

import io.shopkeeper.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The job's consumer lag: records in its input topics ({@link Topics#INPUTS}) past the offsets its
 * consumer group committed. The job commits on every completed checkpoint, so this is the backlog
 * as of the last checkpoint. Empty when Kafka does not answer within the timeout or the group has
 * committed nothing yet.
 */
public final class ConsumerLag implements Supplier<OptionalLong>, AutoCloseable {
    private final Admin admin;
    private final String group;
    private final Duration timeout;

    public ConsumerLag(String bootstrapServers, String group, Duration timeout) {
        int ms = (int) timeout.toMillis();
        this.admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                AdminClientConfig.CLIENT_ID_CONFIG, "shopkeeper-api-lag",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
        this.group = group;
        this.timeout = timeout;
    }

    @Override
    public OptionalLong get() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.forEach(
                    (partition, offset) -> {
                        if (offset != null && Topics.INPUTS.contains(partition.topic())) {
                            latest.put(partition, OffsetSpec.latest());
                        }
                    });
            if (latest.isEmpty()) return OptionalLong.empty();
            var ends =
                    admin.listOffsets(
                                    latest,
                                    new ListOffsetsOptions().timeoutMs((int) timeout.toMillis()))
                            .all()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                lag += Math.max(0, end.getValue().offset() - committed.get(end.getKey()).offset());
            }
            return OptionalLong.of(lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
