package io.shopkeeper.api.store;

import io.shopkeeper.api.RedisTestBase.OnRedisCluster;

/**
 * The {@link RedisOfferStoreTest} contract on a Redis Cluster, its keys spread over three masters.
 */
@OnRedisCluster
class RedisOfferStoreOnClusterTest extends RedisOfferStoreTest {}
