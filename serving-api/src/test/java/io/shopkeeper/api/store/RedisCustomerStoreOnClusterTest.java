package io.shopkeeper.api.store;

import io.shopkeeper.api.RedisTestBase.OnRedisCluster;

/**
 * The {@link RedisCustomerStoreTest} contract on a Redis Cluster, its keys spread over three
 * masters.
 */
@OnRedisCluster
class RedisCustomerStoreOnClusterTest extends RedisCustomerStoreTest {}
