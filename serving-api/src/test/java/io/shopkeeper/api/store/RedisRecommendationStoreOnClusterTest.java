package io.shopkeeper.api.store;

import io.shopkeeper.api.RedisTestBase.OnRedisCluster;

/**
 * The {@link RedisRecommendationStoreTest} contract on a Redis Cluster, its keys spread over three
 * masters.
 */
@OnRedisCluster
class RedisRecommendationStoreOnClusterTest extends RedisRecommendationStoreTest {}
