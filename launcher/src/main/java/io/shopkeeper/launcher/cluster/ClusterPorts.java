package io.shopkeeper.launcher.cluster;

/**
 * The ports of the local cluster. Given: the API's, Redis's, Kafka's (its KRaft controller listens
 * on the next one) and Flink's REST/web UI port (the JobManager's RPC and blob server take the next
 * two, the TaskManagers' RPC the ones after); the Prometheus reporter of each Flink process takes
 * the first free port of {@code metricsPorts} (a range such as {@code 9249-9259}).
 */
public record ClusterPorts(int api, int redis, int kafka, int flinkRest, String metricsPorts) {

    /** The quick start's ports, Flink's usual UI port and Prometheus reporter range. */
    public static ClusterPorts defaults() {
        return new ClusterPorts(7070, 6379, 9092, 8081, "9249-9259");
    }

    public int kafkaController() {
        return kafka + 1;
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
