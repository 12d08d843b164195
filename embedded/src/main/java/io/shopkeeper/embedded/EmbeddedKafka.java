package io.shopkeeper.embedded;

import io.shopkeeper.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker in this JVM (KRaft, one combined broker and controller) for the quick start,
 * tests and benchmarks. It speaks the normal Kafka protocol on a loopback port, so clients cannot
 * tell it from a standalone broker.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final AutoCloseable server;
    private final String bootstrapServers;

    private EmbeddedKafka(AutoCloseable server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker on {@code port} (0: a free one) whose log is kept in {@code dataDir} across
     * restarts (a {@link KafkaNode}: topics, records and committed offsets survive); returns once
     * it answers. The cluster id is chosen on the first start and kept in the folder.
     */
    public static EmbeddedKafka startDurable(Path dataDir, int port) throws Exception {
        Files.createDirectories(dataDir);
        Path idFile = dataDir.resolve("cluster-id");
        if (!Files.exists(idFile)) Files.writeString(idFile, Uuid.randomUuid().toString());
        String clusterId = Files.readString(idFile).trim();
        KafkaNode node =
                KafkaNode.start(
                        dataDir,
                        port != 0 ? port : EmbeddedRedis.freePort(),
                        EmbeddedRedis.freePort(),
                        clusterId);
        EmbeddedKafka kafka = new EmbeddedKafka(node, node.bootstrapServers());
        try {
            kafka.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            node.close();
            throw e;
        }
        return kafka;
    }

    /**
     * A handle on a broker that runs elsewhere (e.g. the local cluster's own Kafka process), once
     * it answers, to create topics on; {@link #close()} leaves that broker running.
     */
    public static EmbeddedKafka external(String bootstrapServers, Duration timeout)
            throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(() -> {}, bootstrapServers);
        kafka.awaitReady(timeout);
        return kafka;
    }

    /**
     * Waits until {@code brokers} brokers are registered (topics replicated on them can be made).
     */
    public EmbeddedKafka awaitBrokers(int brokers, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                (int) timeout.toMillis()))) {
            while (admin.describeCluster()
                            .nodes()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .size()
                    < brokers) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "timed out waiting for " + brokers + " Kafka brokers");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
            }
        }
        return this;
    }

    private void awaitReady(Duration timeout) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                (int) timeout.toMillis()))) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts a broker whose logs live under {@code dataDir} (a short path: RocksDB and Kafka
     * dislike long ones). The folder is deleted on {@link #close()} only if {@code deleteOnClose}.
     */
    public static EmbeddedKafka start(Path dataDir, boolean deleteOnClose) throws Exception {
        Files.createDirectories(dataDir);
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dataDir)
                        .build();
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("num.partitions", "2")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .setDeleteOnClose(deleteOnClose)
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster, cluster.bootstrapServers());
    }

    /** Starts a throw-away broker in a fresh temporary folder, deleted on close. */
    public static EmbeddedKafka startTemporary() throws Exception {
        return start(Files.createTempDirectory("skk"), true);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates every Shopkeeper topic ({@link Topics#ALL}) with the given partition count, if
     * missing; those of {@link Topics#COMPACTED} compacted.
     */
    public EmbeddedKafka createShopkeeperTopics(int partitions) {
        return createShopkeeperTopics(partitions, Map.of());
    }

    /**
     * As {@link #createShopkeeperTopics(int)}, with topic configs for all (e.g. {@code
     * retention.ms}).
     */
    public EmbeddedKafka createShopkeeperTopics(int partitions, Map<String, String> configs) {
        return createShopkeeperTopics(partitions, 1, configs);
    }

    /**
     * As {@link #createShopkeeperTopics(int, Map)}, each partition on {@code replication} brokers
     * (give {@code min.insync.replicas} in {@code configs} with it).
     */
    public EmbeddedKafka createShopkeeperTopics(
            int partitions, int replication, Map<String, String> configs) {
        createTopics(
                Topics.ALL.stream().filter(t -> !Topics.COMPACTED.contains(t)).toList(),
                partitions,
                replication,
                configs);
        Map<String, String> compacted = new HashMap<>(configs);
        compacted.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        createTopics(Topics.COMPACTED, partitions, replication, compacted);
        return this;
    }

    public void createTopics(Collection<String> names, int partitions) {
        createTopics(names, partitions, Map.of());
    }

    /** Creates the topics, if missing, with the given topic configs (e.g. {@code retention.ms}). */
    public void createTopics(
            Collection<String> names, int partitions, Map<String, String> configs) {
        createTopics(names, partitions, 1, configs);
    }

    /** As {@link #createTopics(Collection, int, Map)}, on {@code replication} brokers each. */
    public void createTopics(
            Collection<String> names,
            int partitions,
            int replication,
            Map<String, String> configs) {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (String name : names) {
                try {
                    admin.createTopics(
                                    List.of(
                                            new NewTopic(name, partitions, (short) replication)
                                                    .configs(configs)))
                            .all()
                            .get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + name, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
