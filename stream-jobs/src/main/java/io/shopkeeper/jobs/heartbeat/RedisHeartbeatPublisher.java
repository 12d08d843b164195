package io.shopkeeper.jobs.heartbeat;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.JobHeartbeat;
import io.shopkeeper.schemas.RedisKeys;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** Writes the heartbeat to {@link RedisKeys#JOB_HEARTBEAT} with short timeouts. */
public final class RedisHeartbeatPublisher implements HeartbeatOperator.Publisher {
    private static final int TIMEOUT_MILLIS = 500;

    private final String host;
    private final int port;
    private transient JedisPooled redis;

    public RedisHeartbeatPublisher(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void publish(JobHeartbeat heartbeat) {
        if (redis == null) {
            redis =
                    new JedisPooled(
                            new HostAndPort(host, port),
                            DefaultJedisClientConfig.builder()
                                    .connectionTimeoutMillis(TIMEOUT_MILLIS)
                                    .socketTimeoutMillis(TIMEOUT_MILLIS)
                                    .build());
        }
        redis.set(RedisKeys.JOB_HEARTBEAT, EventCodec.encodeToString(heartbeat));
    }

    @Override
    public void close() {
        if (redis != null) redis.close();
        redis = null;
    }
}
