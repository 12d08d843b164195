package io.shopkeeper.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * One node of a real KRaft Kafka cluster (broker and controller in one) whose log lives in a folder
 * and survives restarts: the same {@code kafka.server.KafkaRaftServer} that {@code
 * kafka-server-start.sh} runs, configured from a {@code server.properties} written into that
 * folder. The durable quick start runs one in-process ({@link #start}); the local cluster runs each
 * node as its own OS process ({@link #main}).
 *
 * <p>Contract: a folder is formatted once, with the given cluster id; later starts reuse it, so
 * topics, records and committed consumer offsets are where they were.
 */
public final class KafkaNode implements AutoCloseable {
    /** Where a node's configuration lives in its folder. */
    public static final String PROPERTIES_FILE = "server.properties";

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaNode(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The configuration of node {@code nodeId} of a cluster whose nodes listen on {@code
     * brokerPorts} (clients) and {@code controllerPorts} (the KRaft quorum), index = node id.
     * Topics created automatically are off; internal topics are replicated to every node (at most
     * 3) with {@code min.insync.replicas} one less, so one node may fail.
     */
    public static Properties properties(
            int nodeId, Path dataDir, List<Integer> brokerPorts, List<Integer> controllerPorts) {
        int nodes = brokerPorts.size();
        int replication = Math.min(3, nodes);
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", Integer.toString(nodeId));
        props.setProperty(
                "controller.quorum.voters",
                IntStream.range(0, nodes)
                        .mapToObj(i -> i + "@127.0.0.1:" + controllerPorts.get(i))
                        .collect(Collectors.joining(",")));
        props.setProperty(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPorts.get(nodeId)
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPorts.get(nodeId));
        props.setProperty(
                "advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts.get(nodeId));
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty(
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", dataDir.resolve("log").toAbsolutePath().toString());
        props.setProperty("num.partitions", "2");
        props.setProperty("auto.create.topics.enable", "false");
        props.setProperty("offsets.topic.replication.factor", Integer.toString(replication));
        props.setProperty(
                "transaction.state.log.replication.factor", Integer.toString(replication));
        props.setProperty(
                "transaction.state.log.min.isr", Integer.toString(Math.max(1, replication - 1)));
        props.setProperty("default.replication.factor", Integer.toString(replication));
        props.setProperty("min.insync.replicas", Integer.toString(Math.max(1, replication - 1)));
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("log.retention.hours", "-1");
        return props;
    }

    /**
     * Writes {@code props} to {@code dataDir/server.properties} and formats the node's log folder
     * with {@code clusterId} unless it is already formatted.
     */
    public static Path prepare(Path dataDir, Properties props, String clusterId)
            throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(PROPERTIES_FILE);
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, "Shopkeeper Kafka node " + props.getProperty("node.id"));
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status =
                    StorageTool.execute(
                            new String[] {
                                "format",
                                "--cluster-id",
                                clusterId,
                                "--config",
                                file.toString(),
                                "--ignore-formatted"
                            },
                            print);
        } catch (Exception e) {
            throw new IOException("cannot format the Kafka log in " + dataDir + ": " + e, e);
        }
        if (status != 0) {
            throw new IOException(
                    "cannot format the Kafka log in "
                            + dataDir
                            + ": "
                            + output.toString(StandardCharsets.UTF_8));
        }
        return file;
    }

    /**
     * Starts a single-node cluster in this JVM on {@code port} (clients) and {@code
     * controllerPort}, keeping its log in {@code dataDir}; returns once the broker serves.
     */
    public static KafkaNode start(Path dataDir, int port, int controllerPort, String clusterId)
            throws IOException {
        Properties props = properties(0, dataDir, List.of(port), List.of(controllerPort));
        prepare(dataDir, props, clusterId);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        return new KafkaNode(server, "127.0.0.1:" + port);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Runs the node configured in {@code args[0]} (a server.properties) until the process ends. */
    public static void main(String[] args) {
        kafka.Kafka.main(args);
    }
}
