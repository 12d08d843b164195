package io.shopkeeper.api.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Kafka is up when the cluster describes itself within {@code timeout}; wrap it in a {@link
 * CachedProbe}.
 */
public final class KafkaProbe implements Probe, AutoCloseable {
    private final Admin admin;
    private final Duration timeout;

    public KafkaProbe(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        int ms = (int) timeout.toMillis();
        this.admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                AdminClientConfig.CLIENT_ID_CONFIG, "shopkeeper-api-health",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                                // Keep reconnect attempts to a dead broker cheap and quick to
                                // recover.
                                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public ProbeResult check() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId()
                    .get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
            return ProbeResult.UP;
        } catch (ExecutionException e) {
            return ProbeResult.down(
                    "kafka: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        } catch (TimeoutException e) {
            return ProbeResult.down("kafka did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.down("interrupted");
        } catch (RuntimeException e) {
            return ProbeResult.down("kafka: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
