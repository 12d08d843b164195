/**
 * A deterministic storefront traffic simulator: a generated catalog, realistic visitor sessions as
 * {@link io.shopkeeper.schemas.ShopEvent}s in event-time order, and a publisher that streams them
 * to Kafka in real time. Used by the quick start, the integration tests and the benchmarks.
 */
package io.shopkeeper.launcher.simulator;
