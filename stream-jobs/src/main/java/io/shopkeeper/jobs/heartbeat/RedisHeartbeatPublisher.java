package io.shopkeeper.jobs.heartbeat;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.JobHeartbeat;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.redis.RedisEndpoint;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.time.Duration;

/** Writes the heartbeat to {@link RedisKeys#JOB_HEARTBEAT} with short timeouts. */
public final class RedisHeartbeatPublisher implements HeartbeatOperator.Publisher {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final RedisEndpoint endpoint;
    private transient ShopRedis redis;

    public RedisHeartbeatPublisher(RedisEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void publish(JobHeartbeat heartbeat) {
        if (redis == null) {
            redis =
                    ShopRedis.connect(
                            endpoint,
                            ShopRedis.ClientSettings.defaults("shopkeeper-heartbeat")
                                    .withTimeouts(TIMEOUT));
        }
        redis.commands().set(RedisKeys.JOB_HEARTBEAT, EventCodec.encodeToString(heartbeat));
    }

    @Override
    public void close() {
        if (redis != null) redis.close();
        redis = null;
    }
}
