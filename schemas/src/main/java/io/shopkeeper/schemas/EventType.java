package io.shopkeeper.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type of the wire contract, with its JSON name and the topic it travels on. */
public enum EventType {
    PAGE_VIEW("page_view", Topics.CLICKSTREAM),
    PRODUCT_VIEW("product_view", Topics.CLICKSTREAM),
    SEARCH("search", Topics.CLICKSTREAM),
    SORT("sort", Topics.CLICKSTREAM),
    ADD_TO_CART("add_to_cart", Topics.CLICKSTREAM),
    REMOVE_FROM_CART("remove_from_cart", Topics.CLICKSTREAM),
    CHECKOUT_START("checkout_start", Topics.CLICKSTREAM),
    LOGIN("login", Topics.CLICKSTREAM),
    IMPRESSION("impression", Topics.CLICKSTREAM),
    CLICK("click", Topics.CLICKSTREAM),
    /**
     * The visitor left the page: the storefront's tracker sends it on {@code pagehide} (tab closed,
     * hidden, or navigated away; {@code navigator.sendBeacon}). Its timestamp ends the dwell on the
     * page the visitor was on, which nothing else can tell for the last page of a session ("left
     * within seconds of seeing the price"). Optional: beacons get lost, and every signal works
     * without it.
     */
    PAGE_LEAVE("page_leave", Topics.CLICKSTREAM),
    ORDER_PLACED("order_placed", Topics.ORDERS),
    ORDER_CANCELLED("order_cancelled", Topics.ORDERS),
    ITEM_UPDATE("item_update", Topics.CATALOG),
    /**
     * Right to be forgotten: removes everything about the customer (or anonymous visitor) from the
     * job's state and from Redis. On the clickstream topic, keyed by visitor, so it is ordered
     * after the visitor's earlier events.
     */
    CUSTOMER_FORGOTTEN("customer_forgotten", Topics.CLICKSTREAM);

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values())
                    .collect(
                            Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final String topic;

    EventType(String wireName, String topic) {
        this.wireName = wireName;
        this.topic = topic;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The input topic an event of this type is published to. */
    public String topic() {
        return topic;
    }

    /** True for types that concern one visitor (everything but catalog updates). */
    public boolean isVisitorEvent() {
        return this != ITEM_UPDATE;
    }

    /** Looks a type up by its JSON name; {@code null} when the name is unknown. */
    @JsonCreator
    public static EventType fromWireName(String name) {
        return name == null ? null : BY_WIRE_NAME.get(name);
    }

    /** All JSON names, for error messages and documentation. */
    public static String wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
