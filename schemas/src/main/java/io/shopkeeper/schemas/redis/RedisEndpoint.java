package io.shopkeeper.schemas.redis;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Shopkeeper's Redis is: one server ({@code host:port}) or a Redis Cluster, given by some of
 * its nodes ({@code host:port,host:port,...}; the client discovers the rest). The job's {@code
 * --redis.host}/{@code --redis.port}/{@code --redis.cluster} and the API's {@code
 * SHOPKEEPER_REDIS_HOST}/{@code _PORT}/{@code _CLUSTER} say which; cluster nodes win when given.
 */
public record RedisEndpoint(String host, int port, List<String> clusterNodes)
        implements Serializable {

    public RedisEndpoint {
        clusterNodes = List.copyOf(clusterNodes == null ? List.of() : clusterNodes);
        for (String node : clusterNodes) parseNode(node);
        if (clusterNodes.isEmpty()) {
            if (host == null || host.isBlank())
                throw new IllegalArgumentException("a Redis host is required");
            if (port < 1 || port > 65535)
                throw new IllegalArgumentException("Redis port must be 1..65535; got " + port);
        }
    }

    /** One Redis server. */
    public static RedisEndpoint single(String host, int port) {
        return new RedisEndpoint(host, port, List.of());
    }

    /**
     * {@code clusterNodes} ({@code host:port,...}) when not blank, else the one server at {@code
     * host:port}.
     */
    public static RedisEndpoint of(String host, int port, String clusterNodes) {
        return new RedisEndpoint(host, port, parseNodes(clusterNodes));
    }

    public boolean isCluster() {
        return !clusterNodes.isEmpty();
    }

    /** {@code host:port} of the one server, or the cluster's nodes joined by commas. */
    public String describe() {
        return isCluster() ? String.join(",", clusterNodes) : host + ":" + port;
    }

    /** Splits {@code host:port,host:port} (blank: none); rejects anything else. */
    public static List<String> parseNodes(String nodes) {
        if (nodes == null || nodes.isBlank()) return List.of();
        List<String> parsed = new ArrayList<>();
        for (String node : nodes.split(",")) {
            if (node.isBlank()) continue;
            parseNode(node.trim());
            parsed.add(node.trim());
        }
        return parsed;
    }

    /** {@code [host, port]} of one {@code host:port}. */
    static String[] parseNode(String node) {
        int colon = node.lastIndexOf(':');
        if (colon <= 0 || colon == node.length() - 1) {
            throw new IllegalArgumentException(
                    "a Redis Cluster node must be host:port; got '" + node + "'");
        }
        String port = node.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a Redis Cluster node must be host:port (port 1..65535); got '" + node + "'");
        }
        return new String[] {node.substring(0, colon), port};
    }
}
