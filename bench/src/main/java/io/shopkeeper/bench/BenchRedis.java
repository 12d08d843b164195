package io.shopkeeper.bench;

import io.shopkeeper.embedded.EmbeddedRedis;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** Redis clients the benchmarks share. */
final class BenchRedis {
    private BenchRedis() {}

    /**
     * A client that waits up to 30 s for an answer (the default is 2 s): on a machine shared with
     * other work a poll or a FLUSHALL may stall that long, which is no reason to fail a run.
     */
    static JedisPooled patientClient(EmbeddedRedis redis) {
        return new JedisPooled(
                new HostAndPort(redis.host(), redis.port()),
                DefaultJedisClientConfig.builder()
                        .socketTimeoutMillis(30_000)
                        .connectionTimeoutMillis(30_000)
                        .build());
    }
}
