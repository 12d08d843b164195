package io.shopkeeper.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.api.health.HealthCheck;
import io.shopkeeper.api.store.CustomerStore;
import io.shopkeeper.api.store.RecommendationStore;

import java.time.Clock;

/**
 * Everything {@link ShopkeeperApi#create} needs from the outside world, injected so tests can build
 * the app on a real Redis and Kafka of their own (or any other implementation). The caller owns and
 * closes them.
 */
public record ApiDependencies(
        RecommendationStore store,
        CustomerStore customers,
        EventPublisher publisher,
        HealthCheck health,
        PrometheusMeterRegistry registry,
        Clock clock) {
}
