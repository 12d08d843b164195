package io.shopkeeper.jobs.signals;

import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event fixtures for the signal tests, for the kinds {@code ShopEvents} does not make (searches,
 * sorts, checkout, removals, priced views and orders with list prices and coupons). One visitor,
 * one session at a time: {@link #session(String)} switches the session id stamped on later events.
 */
final class SignalEvents {
    private static final AtomicLong IDS = new AtomicLong();
    private final String visitor;
    private String session = "s-1";

    SignalEvents(String visitor) {
        this.visitor = visitor;
    }

    SignalEvents session(String id) {
        this.session = id;
        return this;
    }

    private ShopEvent base(EventType type, Instant at) {
        ShopEvent e = new ShopEvent();
        e.setEventId("sig-" + IDS.incrementAndGet());
        e.setType(type);
        e.setTimestamp(at);
        e.setSessionId(session);
        if (visitor.startsWith("anon")) e.setAnonymousId(visitor);
        else e.setCustomerId(visitor);
        return e;
    }

    ShopEvent view(String item, String category, double price, double listPrice, Instant at) {
        ShopEvent e = base(EventType.PRODUCT_VIEW, at);
        e.setItemId(item);
        e.setCategoryId(category);
        e.setPrice(price);
        e.setListPrice(listPrice);
        return e;
    }

    /** A product view at full price (price equals list price). */
    ShopEvent view(String item, String category, double price, Instant at) {
        return view(item, category, price, price, at);
    }

    ShopEvent page(String pageType, Instant at) {
        ShopEvent e = base(EventType.PAGE_VIEW, at);
        e.setPageType(pageType);
        e.setUrl("/" + pageType);
        return e;
    }

    /** The tracker's page_leave beacon for the page the visitor is on. */
    ShopEvent leave(Instant at) {
        return base(EventType.PAGE_LEAVE, at);
    }

    ShopEvent search(String query, int results, Instant at) {
        ShopEvent e = base(EventType.SEARCH, at);
        e.setQuery(query);
        e.setResultCount(results);
        return e;
    }

    ShopEvent sort(String by, Instant at) {
        ShopEvent e = base(EventType.SORT, at);
        e.setSortBy(by);
        return e;
    }

    ShopEvent cart(String item, String category, double price, Instant at) {
        ShopEvent e = base(EventType.ADD_TO_CART, at);
        e.setItemId(item);
        e.setCategoryId(category);
        e.setQuantity(1);
        e.setPrice(price);
        return e;
    }

    ShopEvent remove(String item, Instant at) {
        ShopEvent e = base(EventType.REMOVE_FROM_CART, at);
        e.setItemId(item);
        e.setQuantity(1);
        return e;
    }

    ShopEvent checkout(double total, Instant at) {
        ShopEvent e = base(EventType.CHECKOUT_START, at);
        e.setCartTotal(total);
        return e;
    }

    ShopEvent order(String coupon, Instant at, OrderLine... lines) {
        ShopEvent e = base(EventType.ORDER_PLACED, at);
        e.setOrderId("o-" + IDS.incrementAndGet());
        e.setLines(List.of(lines));
        double total =
                List.of(lines).stream().mapToDouble(l -> l.getUnitPrice() * l.getQuantity()).sum();
        if (coupon != null) {
            e.setCouponCode(coupon);
            e.setDiscountTotal(Math.round(total * 10) / 100.0);
            total -= e.getDiscountTotal();
        }
        e.setTotal(total);
        e.setCurrency("EUR");
        return e;
    }

    static OrderLine line(String item, String category, double unitPrice, double listPrice) {
        return new OrderLine(item, category, 1, unitPrice, listPrice);
    }
}
