package io.shopkeeper.launcher.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.DecodeResult;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StorefrontSimulatorTest {
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final StorefrontSimulator SIMULATOR =
            new StorefrontSimulator(SimulatorConfig.defaults());
    private static final List<ShopEvent> EVENTS = SIMULATOR.take(100_000, START);

    @Test
    void everyGeneratedEventPassesTheCodecAndRoundTripsEqual() {
        List<ShopEvent> all = new ArrayList<>(SIMULATOR.catalog().itemUpdates(START));
        all.addAll(EVENTS);
        for (ShopEvent event : all) {
            DecodeResult decoded = EventCodec.decode(EventCodec.encode(event));
            assertThat(decoded.error()).as("%s", event).isNull();
            assertThat(decoded.event()).isEqualTo(event);
        }
    }

    @Test
    void sameSeedGivesTheSameEventsAndAnotherSeedDoesNot() {
        List<ShopEvent> again =
                new StorefrontSimulator(SimulatorConfig.defaults()).take(5_000, START);
        assertThat(again).containsExactlyElementsOf(EVENTS.subList(0, 5_000));
        assertThat(SIMULATOR.events(START).next(5_000)).containsExactlyElementsOf(again);

        List<ShopEvent> other =
                new StorefrontSimulator(SimulatorConfig.defaults().withSeed(7)).take(5_000, START);
        assertThat(other).isNotEqualTo(again);
    }

    @Test
    void eventsComeInEventTimeOrderWithUniqueIds() {
        Set<String> ids = new HashSet<>();
        long previous = Long.MIN_VALUE;
        for (ShopEvent e : EVENTS) {
            assertThat(e.eventTimeMillis())
                    .isGreaterThanOrEqualTo(previous)
                    .isGreaterThanOrEqualTo(START.toEpochMilli());
            previous = e.eventTimeMillis();
            assertThat(ids.add(e.getEventId())).as("duplicate id %s", e.getEventId()).isTrue();
        }
    }

    @Test
    void eventTimeAdvancesAtRoughlyTheConfiguredRate() {
        double seconds =
                (EVENTS.get(EVENTS.size() - 1).eventTimeMillis() - START.toEpochMilli()) / 1000.0;
        double rate = EVENTS.size() / seconds;
        assertThat(rate)
                .isBetween(
                        SimulatorConfig.defaults().eventsPerSecond() * 0.8,
                        SimulatorConfig.defaults().eventsPerSecond() * 1.2);
    }

    @Test
    void sessionsContainSearchesCartsCheckoutsAndOrdersInPlausibleProportions() {
        Map<String, List<ShopEvent>> sessions = sessions(EVENTS);
        int withSearch = 0,
                withZeroResults = 0,
                withCart = 0,
                withCheckout = 0,
                withOrder = 0,
                withPriceSort = 0,
                withLogin = 0,
                anonymous = 0,
                withRepeatView = 0,
                withRemoval = 0,
                withCoupon = 0;
        for (List<ShopEvent> s : sessions.values()) {
            Map<EventType, Integer> types = new EnumMap<>(EventType.class);
            Set<String> viewedItems = new HashSet<>();
            boolean repeat = false;
            for (ShopEvent e : s) {
                types.merge(e.getType(), 1, Integer::sum);
                if (e.getType() == EventType.PRODUCT_VIEW && !viewedItems.add(e.getItemId()))
                    repeat = true;
                if (e.getType() == EventType.SEARCH && e.getResultCount() == 0) withZeroResults++;
                if (e.getType() == EventType.SORT && e.getSortBy().equals("price_asc"))
                    withPriceSort++;
                if (e.getType() == EventType.ORDER_PLACED && e.getCouponCode() != null)
                    withCoupon++;
            }
            if (types.containsKey(EventType.SEARCH)) withSearch++;
            if (types.containsKey(EventType.ADD_TO_CART)) withCart++;
            if (types.containsKey(EventType.REMOVE_FROM_CART)) withRemoval++;
            if (types.containsKey(EventType.CHECKOUT_START)) withCheckout++;
            if (types.containsKey(EventType.ORDER_PLACED)) withOrder++;
            if (types.containsKey(EventType.LOGIN)) withLogin++;
            if (s.get(0).getCustomerId() == null) anonymous++;
            if (repeat) withRepeatView++;
        }
        double n = sessions.size();
        assertThat(n).isGreaterThan(5_000);
        assertThat(withSearch / n).isBetween(0.10, 0.60);
        assertThat(withCart / n).isBetween(0.08, 0.45);
        assertThat(withCheckout / n).isBetween(0.02, 0.25);
        assertThat(withOrder / n).isBetween(0.01, 0.15);
        assertThat(withOrder).isLessThan(withCheckout);
        assertThat(withCheckout).isLessThan(withCart);
        assertThat(anonymous / n).isBetween(0.25, 0.45);
        assertThat(withLogin).isPositive();
        assertThat(withZeroResults).isPositive();
        assertThat(withPriceSort).isPositive();
        assertThat(withRepeatView).isPositive();
        assertThat(withRemoval).isPositive();
        assertThat(withCoupon).isPositive();
        assertThat(EVENTS)
                .anyMatch(e -> e.getType() == EventType.CLICK && e.getRecommendationId() != null);
        assertThat(EVENTS).anyMatch(e -> e.getType() == EventType.ITEM_UPDATE);
    }

    @Test
    void aLoginCarriesBothIdsAndTheRestOfTheSessionIsTheCustomer() {
        Map<String, List<ShopEvent>> sessions = sessions(EVENTS);
        ShopEvent login =
                EVENTS.stream()
                        .filter(e -> e.getType() == EventType.LOGIN)
                        .findFirst()
                        .orElseThrow();
        assertThat(login.getCustomerId()).startsWith("cust-");
        assertThat(login.getAnonymousId()).startsWith("anon-");
        List<ShopEvent> session = sessions.get(login.getSessionId());
        int at = session.indexOf(login);
        assertThat(session.subList(0, at))
                .allMatch(
                        e ->
                                e.getCustomerId() == null
                                        && login.getAnonymousId().equals(e.getAnonymousId()));
        assertThat(session.subList(at, session.size()))
                .allMatch(e -> login.getCustomerId().equals(e.getCustomerId()));
    }

    @Test
    void ordersAddUpAndRecordWhatWasPaidAgainstTheListPrice() {
        List<ShopEvent> orders =
                EVENTS.stream().filter(e -> e.getType() == EventType.ORDER_PLACED).toList();
        assertThat(orders).isNotEmpty();
        boolean anyDiscountedLine = false;
        for (ShopEvent order : orders) {
            double subtotal = 0;
            for (OrderLine line : order.getLines()) {
                assertThat(line.getQuantity()).isPositive();
                assertThat(line.getListPrice()).isGreaterThanOrEqualTo(line.getUnitPrice());
                subtotal += line.getUnitPrice() * line.getQuantity();
                anyDiscountedLine |= line.discounted();
            }
            double discount = order.getDiscountTotal() == null ? 0 : order.getDiscountTotal();
            assertThat(order.getTotal())
                    .isCloseTo(subtotal - discount, org.assertj.core.data.Offset.offset(0.011));
            assertThat(order.getCurrency()).isEqualTo("EUR");
        }
        assertThat(anyDiscountedLine).isTrue();
    }

    @Test
    void visitorsBrowseRelatedItemsSoCoOccurrenceIsLearnable() {
        // Consecutive product views in a session mostly stay in one category (and cluster).
        int pairs = 0, sameCategory = 0;
        for (List<ShopEvent> s : sessions(EVENTS).values()) {
            ShopEvent previous = null;
            for (ShopEvent e : s) {
                if (e.getType() != EventType.PRODUCT_VIEW) continue;
                if (previous != null && !previous.getItemId().equals(e.getItemId())) {
                    pairs++;
                    if (previous.getCategoryId().equals(e.getCategoryId())) sameCategory++;
                }
                previous = e;
            }
        }
        assertThat(pairs).isGreaterThan(10_000);
        assertThat((double) sameCategory / pairs).isGreaterThan(0.5);
    }

    @Test
    void aMillionCustomersAndAHundredThousandItemsNeedNoPerCustomerObjects() {
        StorefrontSimulator large = new StorefrontSimulator(SimulatorConfig.large());
        EventStream stream = large.events(START);
        Set<String> customers = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            ShopEvent e = stream.next();
            if (e.getCustomerId() != null) customers.add(e.getCustomerId());
            if (e.getItemId() != null) {
                assertThat(Integer.parseInt(e.getItemId().substring(1))).isBetween(1, 100_000);
            }
        }
        assertThat(large.catalog().size()).isEqualTo(100_000);
        assertThat(customers)
                .hasSizeGreaterThan(1_000)
                .allMatch(c -> Integer.parseInt(c.substring(5)) <= 1_000_000);
        assertThat(stream.openSessions()).isLessThan(50_000);
    }

    private static Map<String, List<ShopEvent>> sessions(List<ShopEvent> events) {
        Map<String, List<ShopEvent>> sessions = new LinkedHashMap<>();
        for (ShopEvent e : events) {
            if (e.getSessionId() != null)
                sessions.computeIfAbsent(e.getSessionId(), k -> new ArrayList<>()).add(e);
        }
        return sessions;
    }
}
