package io.shopkeeper.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.api.catalog.Catalog;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.api.health.HealthCheck;
import io.shopkeeper.api.recommendations.RecommendationRules;
import io.shopkeeper.api.store.CustomerStore;
import io.shopkeeper.api.store.OfferStore;
import io.shopkeeper.api.store.RecommendationStore;
import java.time.Clock;

/**
 * Everything {@link ShopkeeperApi#create} needs from the outside world, injected so tests can build
 * the app on a real Redis and Kafka of their own (or any other implementation). The caller owns and
 * closes them. {@code catalog} answers stock, category and price lookups in memory (a {@link
 * io.shopkeeper.api.catalog.CatalogCache} in production); {@code rules} are the merchandising
 * rules; {@code access} the API keys, CORS origins and the collector's rate limits; {@code offers}
 * holds campaigns and what the job decided about offers.
 */
public record ApiDependencies(
        RecommendationStore store,
        CustomerStore customers,
        EventPublisher publisher,
        HealthCheck health,
        PrometheusMeterRegistry registry,
        Clock clock,
        Catalog catalog,
        RecommendationRules rules,
        AccessSettings access,
        OfferStore offers) {

    /** Without a catalog (every item in stock, categories unknown) and with the default rules. */
    public ApiDependencies(
            RecommendationStore store,
            CustomerStore customers,
            EventPublisher publisher,
            HealthCheck health,
            PrometheusMeterRegistry registry,
            Clock clock,
            AccessSettings access,
            OfferStore offers) {
        this(
                store,
                customers,
                publisher,
                health,
                registry,
                clock,
                Catalog.EMPTY,
                RecommendationRules.defaults(),
                access,
                offers);
    }
}
