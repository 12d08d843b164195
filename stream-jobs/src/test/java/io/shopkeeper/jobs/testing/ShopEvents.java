package io.shopkeeper.jobs.testing;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Test fixtures: named instants and factory methods so scenarios read like sentences. */
public final class ShopEvents {
    /** A fixed Monday morning; scenarios count from here. */
    public static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private static final AtomicLong IDS = new AtomicLong();

    private ShopEvents() {}

    public static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    public static Instant seconds(long s) {
        return T0.plusSeconds(s);
    }

    private static ShopEvent base(EventType type, String visitor, String session, Instant at) {
        ShopEvent e = new ShopEvent();
        e.setEventId("e-" + IDS.incrementAndGet());
        e.setType(type);
        e.setTimestamp(at);
        e.setSessionId(session);
        if (visitor.startsWith("anon")) e.setAnonymousId(visitor);
        else e.setCustomerId(visitor);
        return e;
    }

    public static ShopEvent viewed(
            String visitor, String session, String item, String category, Instant at) {
        ShopEvent e = base(EventType.PRODUCT_VIEW, visitor, session, at);
        e.setItemId(item);
        e.setCategoryId(category);
        e.setBrand("brand-" + category);
        e.setPrice(20.0);
        e.setListPrice(25.0);
        return e;
    }

    public static ShopEvent carted(
            String visitor, String session, String item, String category, Instant at) {
        ShopEvent e = base(EventType.ADD_TO_CART, visitor, session, at);
        e.setItemId(item);
        e.setCategoryId(category);
        e.setQuantity(1);
        e.setPrice(20.0);
        return e;
    }

    public static ShopEvent pageView(String visitor, String session, String pageType, Instant at) {
        ShopEvent e = base(EventType.PAGE_VIEW, visitor, session, at);
        e.setPageType(pageType);
        e.setUrl("/" + pageType);
        return e;
    }

    /** The tracker's page_leave beacon. */
    public static ShopEvent pageLeft(String visitor, String session, Instant at) {
        return base(EventType.PAGE_LEAVE, visitor, session, at);
    }

    public static ShopEvent ordered(
            String customer, String session, String order, Instant at, OrderLine... lines) {
        ShopEvent e = base(EventType.ORDER_PLACED, customer, session, at);
        e.setOrderId(order);
        e.setLines(List.of(lines));
        e.setTotal(
                List.of(lines).stream().mapToDouble(l -> l.getUnitPrice() * l.getQuantity()).sum());
        e.setCurrency("EUR");
        return e;
    }

    /** The checkout page, showing the cart's total. */
    public static ShopEvent checkoutStarted(String visitor, String session, Instant at) {
        return base(EventType.CHECKOUT_START, visitor, session, at);
    }

    public static ShopEvent searched(
            String visitor, String session, String query, int resultCount, Instant at) {
        ShopEvent e = base(EventType.SEARCH, visitor, session, at);
        e.setQuery(query);
        e.setResultCount(resultCount);
        return e;
    }

    public static ShopEvent sortedBy(String visitor, String session, String sortBy, Instant at) {
        ShopEvent e = base(EventType.SORT, visitor, session, at);
        e.setSortBy(sortBy);
        return e;
    }

    public static ShopEvent loggedIn(
            String anonymousId, String customerId, String session, Instant at) {
        ShopEvent e = base(EventType.LOGIN, anonymousId, session, at);
        e.setCustomerId(customerId);
        return e;
    }

    /** The storefront showed (or, {@code click}, the visitor clicked) a recommended item. */
    public static ShopEvent recommendationSeen(
            String visitor,
            String session,
            String recommendationId,
            String item,
            boolean click,
            Instant at) {
        ShopEvent e = base(click ? EventType.CLICK : EventType.IMPRESSION, visitor, session, at);
        e.setRecommendationId(recommendationId);
        e.setItemId(item);
        return e;
    }

    public static ShopEvent withCoupon(ShopEvent order, String code, double discount) {
        order.setCouponCode(code);
        order.setDiscountTotal(discount);
        return order;
    }

    /** An order line bought below its list price. */
    public static OrderLine discountedLine(
            String item, String category, int quantity, double unitPrice, double listPrice) {
        return new OrderLine(item, category, quantity, unitPrice, listPrice);
    }

    public static OrderLine line(String item, String category, int quantity, double unitPrice) {
        return new OrderLine(item, category, quantity, unitPrice, unitPrice);
    }

    public static ShopEvent itemUpdate(
            String item, String category, double price, boolean inStock, Instant at) {
        ShopEvent e = new ShopEvent();
        e.setEventId("e-" + IDS.incrementAndGet());
        e.setType(EventType.ITEM_UPDATE);
        e.setTimestamp(at);
        e.setItemId(item);
        e.setTitle("Item " + item);
        e.setCategoryId(category);
        e.setBrand("brand-" + category);
        e.setPrice(price);
        e.setListPrice(price);
        e.setInStock(inStock);
        return e;
    }
}
