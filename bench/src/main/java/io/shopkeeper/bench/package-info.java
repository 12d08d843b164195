/**
 * Benchmarks that check the performance targets of the product: pipeline throughput against a bare
 * Kafka consumer, API throughput and latency against raw Redis reads, and freshness. Each has a
 * {@code main}, a script in {@code bench/} and writes JSON to {@code bench/results/}.
 */
package io.shopkeeper.bench;
