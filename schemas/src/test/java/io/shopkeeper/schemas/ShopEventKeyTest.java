package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every producer keys by {@link ShopEvent#partitionKey()} and publishes to its topic. */
class ShopEventKeyTest {

    private static ShopEvent event(EventType type, String customer, String anonymous) {
        ShopEvent e = new ShopEvent();
        e.setType(type);
        e.setCustomerId(customer);
        e.setAnonymousId(anonymous);
        e.setItemId("i7");
        return e;
    }

    @Test
    void visitorEventsAreKeyedByTheCustomerOnceKnownElseTheCookie() {
        assertThat(event(EventType.PRODUCT_VIEW, "cust-1", "anon-1").partitionKey())
                .isEqualTo("cust-1");
        assertThat(event(EventType.PRODUCT_VIEW, null, "anon-1").partitionKey())
                .isEqualTo("anon-1");
        assertThat(event(EventType.ORDER_PLACED, "cust-1", null).topic()).isEqualTo(Topics.ORDERS);
    }

    @Test
    void catalogEventsAreKeyedByItem() {
        ShopEvent update = event(EventType.ITEM_UPDATE, null, null);
        assertThat(update.partitionKey()).isEqualTo("i7");
        assertThat(update.topic()).isEqualTo(Topics.CATALOG);
    }
}
