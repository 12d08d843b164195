package io.shopkeeper.launcher.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.OrderLine;
import io.shopkeeper.schemas.SchemaFiles;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The traffic simulator's visitors where they live: each kind of visitor its traits make behaves as
 * {@link SessionBuilder} and {@link Visitors} describe it (bargain hunters sort by price, search
 * for cheap things, buy discounted, use coupons, leave at the price and at the checkout total;
 * regulars buy at full price; drifters wander without buying; everyone keeps to their favourite
 * categories and brand), a seed gives one stream, and every event is valid against the event schema
 * and the codec.
 */
class SessionBuilderTest {
    private static final SimulatedCatalog CATALOG =
            SimulatedCatalog.generate(SimulatorConfig.defaults());
    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final int[] FAVOURITES = {0, 3, 8};
    private static final int BRAND = CATALOG.brandOf(CATALOG.itemAt(FAVOURITES[0], 0));
    private static final int SESSIONS = 2_000;

    private static final Visitors.Traits REGULAR = traits(false, false, BRAND);
    private static final Visitors.Traits BARGAIN_HUNTER = traits(true, false, BRAND);
    private static final Visitors.Traits DRIFTER = traits(false, true, BRAND);

    private static final List<List<ShopEvent>> REGULARS = sessions(customer(REGULAR), 1);
    private static final List<List<ShopEvent>> BARGAIN_HUNTERS =
            sessions(customer(BARGAIN_HUNTER), 2);
    private static final List<List<ShopEvent>> DRIFTERS = sessions(customer(DRIFTER), 3);

    private static Visitors.Traits traits(boolean priceSensitive, boolean drifter, int brand) {
        return new Visitors.Traits(FAVOURITES, brand, priceSensitive, drifter, 0.5);
    }

    private static Visitors.Visitor customer(Visitors.Traits traits) {
        return new Visitors.Visitor("cust-1", null, null, traits);
    }

    /**
     * {@link #SESSIONS} sessions of {@code visitor}, a day apart, as the event stream draws them.
     */
    private static List<List<ShopEvent>> sessions(Visitors.Visitor visitor, long seed) {
        SessionBuilder builder = new SessionBuilder(CATALOG, new PriceBook(CATALOG));
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<ShopEvent>> sessions = new ArrayList<>(SESSIONS);
        for (int i = 0; i < SESSIONS; i++) {
            long at = START.plus(Duration.ofDays(i)).toEpochMilli();
            sessions.add(builder.build(visitor, at, rnd.split()));
        }
        return sessions;
    }

    private static List<ShopEvent> all(List<List<ShopEvent>> sessions, EventType type) {
        return sessions.stream().flatMap(List::stream).filter(e -> e.getType() == type).toList();
    }

    private static double share(List<List<ShopEvent>> sessions, Predicate<List<ShopEvent>> p) {
        return sessions.stream().filter(p).count() / (double) sessions.size();
    }

    private static boolean has(List<ShopEvent> session, EventType type) {
        return session.stream().anyMatch(e -> e.getType() == type);
    }

    /** Sorts cheapest first per category page seen. */
    private static double priceSortsPerCategoryPage(List<List<ShopEvent>> sessions) {
        long pages =
                all(sessions, EventType.PAGE_VIEW).stream()
                        .filter(e -> "category".equals(e.getPageType()))
                        .count();
        long sorts =
                all(sessions, EventType.SORT).stream()
                        .filter(e -> "price_asc".equals(e.getSortBy()))
                        .count();
        return sorts / (double) pages;
    }

    private static double discountedShareOfBoughtLines(List<List<ShopEvent>> sessions) {
        List<OrderLine> lines =
                all(sessions, EventType.ORDER_PLACED).stream()
                        .flatMap(o -> o.getLines().stream())
                        .toList();
        assertThat(lines).hasSizeGreaterThan(100);
        return lines.stream().filter(OrderLine::discounted).count() / (double) lines.size();
    }

    private static double couponShareOfOrders(List<List<ShopEvent>> sessions) {
        List<ShopEvent> orders = all(sessions, EventType.ORDER_PLACED);
        return orders.stream().filter(o -> o.getCouponCode() != null).count()
                / (double) orders.size();
    }

    /** Of the sessions that showed the checkout total, the share that placed no order. */
    private static double leftAtTheTotal(List<List<ShopEvent>> sessions) {
        List<List<ShopEvent>> checkouts =
                sessions.stream().filter(s -> has(s, EventType.CHECKOUT_START)).toList();
        assertThat(checkouts).hasSizeGreaterThan(100);
        return share(checkouts, s -> !has(s, EventType.ORDER_PLACED));
    }

    /** The share of full-price product views that were the last thing the visitor did. */
    private static double leftAtAFullPrice(List<List<ShopEvent>> sessions) {
        int views = 0, last = 0;
        for (List<ShopEvent> s : sessions) {
            List<ShopEvent> shown =
                    s.stream().filter(e -> e.getType() != EventType.PAGE_LEAVE).toList();
            for (int i = 0; i < shown.size(); i++) {
                ShopEvent e = shown.get(i);
                if (e.getType() != EventType.PRODUCT_VIEW || e.getListPrice() > e.getPrice())
                    continue;
                views++;
                if (i == shown.size() - 1) last++;
            }
        }
        return last / (double) views;
    }

    private static double inFavouriteCategories(List<List<ShopEvent>> sessions) {
        Set<String> favourites = new HashSet<>();
        for (int c : FAVOURITES) favourites.add(CATALOG.categoryId(c));
        List<ShopEvent> views = all(sessions, EventType.PRODUCT_VIEW);
        return views.stream().filter(e -> favourites.contains(e.getCategoryId())).count()
                / (double) views.size();
    }

    private static double categoriesPerSession(List<List<ShopEvent>> sessions) {
        return sessions.stream()
                .mapToLong(
                        s ->
                                s.stream()
                                        .filter(e -> e.getType() == EventType.PRODUCT_VIEW)
                                        .map(ShopEvent::getCategoryId)
                                        .distinct()
                                        .count())
                .average()
                .orElseThrow();
    }

    private static double zeroResultSearchesPerSession(List<List<ShopEvent>> sessions) {
        return all(sessions, EventType.SEARCH).stream().filter(e -> e.getResultCount() == 0).count()
                / (double) sessions.size();
    }

    @Test
    void bargainHuntersSortByPriceAndSearchForCheapThingsRegularsDoNot() {
        assertThat(priceSortsPerCategoryPage(BARGAIN_HUNTERS)).isGreaterThan(0.45);
        assertThat(priceSortsPerCategoryPage(REGULARS)).isLessThan(0.05);
        Predicate<ShopEvent> cheap = e -> e.getQuery().startsWith("cheap ");
        assertThat(all(BARGAIN_HUNTERS, EventType.SEARCH)).filteredOn(cheap).hasSizeGreaterThan(50);
        assertThat(all(REGULARS, EventType.SEARCH)).noneMatch(cheap);
    }

    @Test
    void bargainHuntersBuyDiscountedWithCouponsRegularsMostlyAtFullPrice() {
        double hunters = discountedShareOfBoughtLines(BARGAIN_HUNTERS);
        double regulars = discountedShareOfBoughtLines(REGULARS);
        assertThat(hunters).isGreaterThan(0.6);
        assertThat(regulars).isLessThan(0.4);
        assertThat(couponShareOfOrders(BARGAIN_HUNTERS)).isBetween(0.45, 0.7);
        assertThat(couponShareOfOrders(REGULARS)).isLessThan(0.12);
    }

    @Test
    void bargainHuntersLeaveAtTheFullPriceAndAtTheCheckoutTotal() {
        double atPriceHunters = leftAtAFullPrice(BARGAIN_HUNTERS);
        double atPriceRegulars = leftAtAFullPrice(REGULARS);
        double atTotalHunters = leftAtTheTotal(BARGAIN_HUNTERS);
        double atTotalRegulars = leftAtTheTotal(REGULARS);
        // A bargain hunter leaves on 18% of the full prices seen, besides ending there anyway.
        assertThat(atPriceHunters).isGreaterThan(atPriceRegulars + 0.1);
        // Without a coupon a bargain hunter orders 35% of the time, with one 70%; a regular 80%.
        assertThat(atTotalHunters).isBetween(0.4, 0.65);
        assertThat(atTotalRegulars).isBetween(0.1, 0.3);
    }

    @Test
    void cartsAreLeftBehindBeforeTheCheckoutToo() {
        // A browsing visitor who put something in the cart checks out one time in five.
        double abandoned =
                share(
                        REGULARS,
                        s -> has(s, EventType.ADD_TO_CART) && !has(s, EventType.CHECKOUT_START));
        double carted = share(REGULARS, s -> has(s, EventType.ADD_TO_CART));
        assertThat(abandoned / carted).isBetween(0.2, 0.6);
        assertThat(all(REGULARS, EventType.REMOVE_FROM_CART)).isNotEmpty();
    }

    @Test
    void driftersWanderAcrossCategoriesFindNothingAndBuyNothing() {
        double cartsDrifters = share(DRIFTERS, s -> has(s, EventType.ADD_TO_CART));
        double cartsRegulars = share(REGULARS, s -> has(s, EventType.ADD_TO_CART));
        assertThat(cartsDrifters).isLessThan(cartsRegulars / 2);
        assertThat(categoriesPerSession(DRIFTERS))
                .isGreaterThan(2 * categoriesPerSession(REGULARS));
        assertThat(zeroResultSearchesPerSession(DRIFTERS))
                .isGreaterThan(3 * zeroResultSearchesPerSession(REGULARS));
        assertThat(inFavouriteCategories(DRIFTERS)).isLessThan(0.4);
    }

    @Test
    void visitorsKeepToTheirFavouriteCategoriesAndLeanToTheirBrand() {
        assertThat(inFavouriteCategories(REGULARS)).isGreaterThan(0.7);
        int otherBrand = CATALOG.brandOf(CATALOG.itemAt(FAVOURITES[0], 1));
        if (otherBrand == BRAND) otherBrand = (BRAND + 1) % CATALOG.brandCount();
        String brand = CATALOG.brandName(BRAND);
        Predicate<ShopEvent> ofBrand = e -> brand.equals(e.getBrand());
        double fans =
                all(REGULARS, EventType.PRODUCT_VIEW).stream().filter(ofBrand).count()
                        / (double) all(REGULARS, EventType.PRODUCT_VIEW).size();
        List<List<ShopEvent>> others = sessions(customer(traits(false, false, otherBrand)), 1);
        double nonFans =
                all(others, EventType.PRODUCT_VIEW).stream().filter(ofBrand).count()
                        / (double) all(others, EventType.PRODUCT_VIEW).size();
        assertThat(fans).isGreaterThan(nonFans * 1.3);
    }

    @Test
    void aCookieOfAKnownCustomerSometimesLogsInAGuestNever() {
        Visitors.Visitor cookie = new Visitors.Visitor(null, "anon-1", "cust-9", REGULAR);
        Visitors.Visitor guest = new Visitors.Visitor(null, "anon-2", null, REGULAR);
        List<List<ShopEvent>> cookieSessions = sessions(cookie, 4);
        double loggedIn = share(cookieSessions, s -> has(s, EventType.LOGIN));
        assertThat(loggedIn).isBetween(0.1, 0.6);
        for (List<ShopEvent> s : cookieSessions) {
            int at = s.stream().map(ShopEvent::getType).toList().indexOf(EventType.LOGIN);
            int from = at < 0 ? s.size() : at;
            assertThat(s.subList(0, from))
                    .allMatch(
                            e -> e.getCustomerId() == null && "anon-1".equals(e.getAnonymousId()));
            assertThat(s.subList(from, s.size()))
                    .allMatch(
                            e ->
                                    "cust-9".equals(e.getCustomerId())
                                            && "anon-1".equals(e.getAnonymousId()));
        }
        assertThat(sessions(guest, 5).stream().flatMap(List::stream))
                .allMatch(e -> e.getCustomerId() == null && e.getType() != EventType.LOGIN);
    }

    @Test
    void oneSeedGivesOneSessionAndAnotherSeedAnother() {
        assertThat(sessions(customer(BARGAIN_HUNTER), 2)).isEqualTo(BARGAIN_HUNTERS);
        assertThat(sessions(customer(BARGAIN_HUNTER), 6)).isNotEqualTo(BARGAIN_HUNTERS);
    }

    @Test
    void everyEventIsValidAgainstTheEventSchemaAndTheCodecAndInTimeOrder() throws Exception {
        JsonSchema schema = SchemaFiles.load("event.json");
        for (List<List<ShopEvent>> kind : List.of(REGULARS, BARGAIN_HUNTERS, DRIFTERS)) {
            for (List<ShopEvent> session : kind) {
                assertThat(
                                session.stream()
                                        .map(ShopEvent::getSessionId)
                                        .collect(Collectors.toSet()))
                        .hasSize(1);
                ShopEvent previous = null;
                for (ShopEvent e : session) {
                    String json = EventCodec.encodeToString(e);
                    assertThat(schema.validate(EventCodec.mapper().readTree(json)))
                            .as(json)
                            .isEmpty();
                    assertThat(EventCodec.decode(EventCodec.encode(e)).error()).as(json).isNull();
                    if (previous != null)
                        assertThat(e.getTimestamp()).isAfterOrEqualTo(previous.getTimestamp());
                    previous = e;
                }
            }
        }
    }
}
