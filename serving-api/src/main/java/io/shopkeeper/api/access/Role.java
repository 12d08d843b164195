package io.shopkeeper.api.access;

import io.javalin.security.RouteRole;

/**
 * What a route asks of its caller, declared once per route in the route table of {@link
 * io.shopkeeper.api.ShopkeeperApi}. The admin key passes every role; the storefront key passes
 * {@link #STOREFRONT}, and {@link #VISITOR} only for the visitor its {@code X-Visitor-Token} names.
 */
public enum Role implements RouteRole {
    /** Anyone, without a key: health, the OpenAPI description. */
    PUBLIC,
    /** The storefront key (public, embeddable in pages) or the admin key. */
    STOREFRONT,
    /**
     * About one visitor (path parameter {@code id}): the admin key, or the storefront key with a
     * visitor token for that id.
     */
    VISITOR,
    /** The admin key only: anyone's data, segments, campaigns, deletion, metrics. */
    ADMIN
}
