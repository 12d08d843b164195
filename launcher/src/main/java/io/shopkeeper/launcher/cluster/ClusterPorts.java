package io.shopkeeper.launcher.cluster;

/**
 * The ports of the local cluster. Given: the API's, Redis's, Kafka's (its KRaft controller listens
 * on the next one) and Flink's REST/web UI port (the JobManager's RPC and blob server take the next
 * two, the TaskManagers' RPC the ones after); the Prometheus reporter of each Flink process takes
 * the first free port of {@code metricsPorts} (a range such as {@code 9249-9259}). With {@code
 * --ha}, Kafka broker i listens on {@code kafka + 2i} (its controller on the next port) and Redis
 * node i on {@code redis + i}.
 */
public record ClusterPorts(int api, int redis, int kafka, int flinkRest, String metricsPorts) {

    /** The quick start's ports, Flink's usual UI port and Prometheus reporter range. */
    public static ClusterPorts defaults() {
        return new ClusterPorts(7070, 6379, 9092, 8081, "9249-9259");
    }

    public int kafkaController() {
        return kafka + 1;
    }

    /** Kafka broker {@code i}'s client port (broker 0: {@link #kafka()}). */
    public int kafkaBroker(int i) {
        return kafka + 2 * i;
    }

    /** Kafka node {@code i}'s KRaft controller port. */
    public int kafkaController(int i) {
        return kafka + 2 * i + 1;
    }

    /** {@code 127.0.0.1:port,...} of the first {@code brokers} brokers. */
    public String kafkaBootstrap(int brokers) {
        StringBuilder bootstrap = new StringBuilder();
        for (int i = 0; i < brokers; i++) {
            if (i > 0) bootstrap.append(',');
            bootstrap.append("127.0.0.1:").append(kafkaBroker(i));
        }
        return bootstrap.toString();
    }

    /** Redis Cluster node {@code i}'s port (node 0: {@link #redis()}). */
    public int redisNode(int i) {
        return redis + i;
    }

    /** {@code 127.0.0.1:port,...} of the first {@code nodes} Redis Cluster nodes. */
    public String redisNodes(int nodes) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            if (i > 0) list.append(',');
            list.append("127.0.0.1:").append(redisNode(i));
        }
        return list.toString();
    }

    public int jobManagerRpc() {
        return flinkRest + 1;
    }

    public int blobServer() {
        return flinkRest + 2;
    }

    /** A range of RPC ports for up to {@code taskManagers} TaskManagers. */
    public String taskManagerRpc(int taskManagers) {
        return (flinkRest + 3) + "-" + (flinkRest + 3 + Math.max(1, taskManagers) + 1);
    }
}
