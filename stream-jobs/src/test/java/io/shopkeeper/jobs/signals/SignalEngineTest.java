package io.shopkeeper.jobs.signals;

import static io.shopkeeper.jobs.signals.SignalEngine.AIMLESS_NAVIGATION;
import static io.shopkeeper.jobs.signals.SignalEngine.BUYS_LOW_PRICE_BAND;
import static io.shopkeeper.jobs.signals.SignalEngine.CART_ABANDONED_AT_TOTAL;
import static io.shopkeeper.jobs.signals.SignalEngine.COMPARES_SIMILAR_ITEMS;
import static io.shopkeeper.jobs.signals.SignalEngine.COUPON_SEARCH;
import static io.shopkeeper.jobs.signals.SignalEngine.COUPON_SHARE_HIGH;
import static io.shopkeeper.jobs.signals.SignalEngine.COUPON_USED;
import static io.shopkeeper.jobs.signals.SignalEngine.DISCOUNT_SHARE_HIGH;
import static io.shopkeeper.jobs.signals.SignalEngine.EXIT_AT_PRICE;
import static io.shopkeeper.jobs.signals.SignalEngine.INTEREST_DRIFT;
import static io.shopkeeper.jobs.signals.SignalEngine.REMOVES_AFTER_TOTAL;
import static io.shopkeeper.jobs.signals.SignalEngine.RETURNS_ON_PRICE_DROP;
import static io.shopkeeper.jobs.signals.SignalEngine.SEARCHES_WITHOUT_CLICK;
import static io.shopkeeper.jobs.signals.SignalEngine.SEARCHES_WITHOUT_RESULTS;
import static io.shopkeeper.jobs.signals.SignalEngine.SHORT_DWELL;
import static io.shopkeeper.jobs.signals.SignalEngine.SORT_PRICE_ASC;
import static io.shopkeeper.jobs.signals.SignalEngine.WANDERING_ACROSS_CATEGORIES;
import static io.shopkeeper.jobs.signals.SignalEvents.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shopkeeper.jobs.profile.ProfileSettings;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives each piece of evidence with event time, in the profile operator's call order (observe,
 * then both evaluations; on the session-end timer, sessionEnded, then both evaluations), and checks
 * the score, flag, reasons and onset time, the flags switching off when the evidence fades, and the
 * evidence staying small.
 */
class SignalEngineTest {
    private static final Instant DAY0 = Instant.parse("2026-11-02T09:00:00Z");
    private final SignalEngine engine = new SignalEngine(ProfileSettings.defaults().sessionGap());

    /**
     * One visitor as the operator sees them; the long-term category interest accumulates like the
     * profile's (without decay).
     */
    private final class Visitor {
        final SignalEvents events;
        final SignalEvidence evidence = new SignalEvidence();
        final Map<String, Double> longTerm = new HashMap<>();
        SignalState price = new SignalState();
        SignalState drifting = new SignalState();

        Visitor(String id) {
            events = new SignalEvents(id);
        }

        Visitor on(ShopEvent e) {
            if (e.getType() == EventType.PRODUCT_VIEW)
                longTerm.merge(e.getCategoryId(), 1.0, Double::sum);
            if (e.getType() == EventType.ADD_TO_CART)
                longTerm.merge(e.getCategoryId(), 3.0, Double::sum);
            if (e.getType() == EventType.ORDER_PLACED)
                e.getLines().forEach(l -> longTerm.merge(l.getCategoryId(), 5.0, Double::sum));
            engine.observe(evidence, e, longTerm);
            price = engine.priceSensitivity(evidence, price, e.eventTimeMillis());
            drifting = engine.drifting(evidence, drifting, e.eventTimeMillis());
            return this;
        }

        /** The session's inactivity timer fired at {@code at}. */
        Visitor endSession(Instant at) {
            engine.sessionEnded(evidence, at.toEpochMilli());
            price = engine.priceSensitivity(evidence, price, at.toEpochMilli());
            drifting = engine.drifting(evidence, drifting, at.toEpochMilli());
            return this;
        }

        /**
         * A loyal customer's ordinary visit: three unhurried full-price views, a cart, an order at
         * full price.
         */
        Visitor ordinaryPurchase(String session, Instant start, String category) {
            events.session(session);
            on(events.page("category", start));
            on(events.view(session + "-a", category, 40, start.plusSeconds(10)));
            on(events.view(session + "-b", category, 45, start.plusSeconds(45)));
            on(events.view(session + "-c", category, 42, start.plusSeconds(80)));
            on(events.cart(session + "-c", category, 42, start.plusSeconds(120)));
            on(events.checkout(42, start.plusSeconds(140)));
            on(events.order(null, start.plusSeconds(170), line(session + "-c", category, 42, 42)));
            on(events.page("other", start.plusSeconds(180)));
            return endSession(start.plusSeconds(180).plus(Duration.ofMinutes(30)));
        }
    }

    private static Instant at(long seconds) {
        return DAY0.plusSeconds(seconds);
    }

    private static Instant day(int d, long seconds) {
        return DAY0.plus(Duration.ofDays(d)).plusSeconds(seconds);
    }

    // -------------------------------------------------------------------------------
    // price-sensitive

    @Test
    void priceSensitiveVisitorLeavingAtPriceIsFlaggedWithinTheSession() {
        Visitor v = new Visitor("anon-1");
        v.on(v.events.view("i1", "c1", 120, at(0)));
        v.on(v.events.view("i2", "c2", 95, at(3)));
        v.on(v.events.view("i3", "c1", 140, at(7)));

        assertThat(v.price.isFlagged()).as("two quick glances alone").isFalse();
        assertThat(v.price.getScore())
                .as("two categories: 0.06 a glance")
                .isCloseTo(0.12, within(1e-9));
        assertThat(v.price.getReasons()).containsExactly(EXIT_AT_PRICE);

        Instant timer = at(7).plus(Duration.ofMinutes(30));
        v.endSession(timer);

        assertThat(v.price.isFlagged()).isTrue();
        // Glances 0.12 plus 0.55 x the exit's strength (every measured dwell quick: 1).
        assertThat(v.price.getScore()).isCloseTo(0.67, within(1e-9));
        assertThat(v.price.getReasons()).containsExactly(EXIT_AT_PRICE);
        assertThat(v.price.getOnSince()).isEqualTo(timer.toEpochMilli());
        assertThat(v.drifting.isFlagged()).isFalse();
    }

    @Test
    void leavingOneProductPageWithinSecondsFlagsAtTheSessionEndWhenTheBeaconSaysSo() {
        // The page_leave beacon measures the dwell on the last page, which no other event can.
        Visitor quick = new Visitor("anon-q");
        quick.on(quick.events.view("i1", "c1", 120, at(0)));
        quick.on(quick.events.leave(at(4)));
        assertThat(quick.price.isFlagged()).as("not before the session ends").isFalse();
        quick.endSession(at(4).plus(Duration.ofMinutes(30)));
        assertThat(quick.price.isFlagged()).isTrue();
        assertThat(quick.price.getScore())
                .as("a glance 0.12 + 0.55 x a measured quick exit")
                .isCloseTo(0.67, within(1e-9));
        assertThat(quick.price.getReasons()).containsExactly(EXIT_AT_PRICE);

        // Read for two minutes, then left: no price evidence.
        Visitor slow = new Visitor("anon-s");
        slow.on(slow.events.view("i1", "c1", 120, at(0)));
        slow.on(slow.events.leave(at(120)));
        slow.endSession(at(120).plus(Duration.ofMinutes(30)));
        assertThat(slow.price.isFlagged()).isFalse();
        assertThat(slow.price.getScore()).isLessThan(0.1);

        // No beacon: the dwell is unknown, a bounce like any other (a regular landing from an
        // e-mail).
        Visitor unknown = new Visitor("anon-u");
        unknown.on(unknown.events.view("i1", "c1", 120, at(0)));
        unknown.endSession(at(0).plus(Duration.ofMinutes(30)));
        assertThat(unknown.price.isFlagged()).isFalse();
        assertThat(unknown.price.getScore()).isCloseTo(0.55 * 0.5, within(1e-9));
    }

    @Test
    void leavingWithinSecondsOfTheCartTotalIsAbandoningAtTheTotal() {
        Visitor atTotal = new Visitor("anon-t");
        atTotal.on(atTotal.events.view("i1", "c1", 80, at(0)));
        atTotal.on(atTotal.events.cart("i1", "c1", 80, at(30)));
        atTotal.on(atTotal.events.checkout(95, at(40)));
        atTotal.on(atTotal.events.page("checkout", at(42)));
        atTotal.on(atTotal.events.leave(at(48)));
        atTotal.endSession(at(48).plus(Duration.ofMinutes(30)));
        assertThat(atTotal.evidence.getSession().isLeftAtTotal()).isTrue();
        assertThat(atTotal.price.isFlagged()).isTrue();
        assertThat(atTotal.price.getReasons()).containsExactly(CART_ABANDONED_AT_TOTAL);
        assertThat(atTotal.price.getScore()).isCloseTo(SignalEngine.LEFT_AT_TOTAL, within(1e-9));

        // Removing an item on the checkout page, then leaving: still at the total.
        Visitor removing = new Visitor("anon-r");
        removing.on(removing.events.cart("i1", "c1", 80, at(0)));
        removing.on(removing.events.cart("i2", "c1", 60, at(10)));
        removing.on(removing.events.checkout(140, at(20)));
        removing.on(removing.events.remove("i2", at(30)));
        removing.on(removing.events.leave(at(36)));
        assertThat(removing.evidence.getSession().isLeftAtTotal()).isTrue();

        // Two minutes on the checkout page (typing an address, a phone call), then gone: abandoned,
        // not at the total.
        Visitor distracted = new Visitor("anon-d");
        distracted.on(distracted.events.cart("i1", "c1", 80, at(0)));
        distracted.on(distracted.events.checkout(80, at(10)));
        distracted.on(distracted.events.leave(at(130)));
        distracted.endSession(at(130).plus(Duration.ofMinutes(30)));
        assertThat(distracted.evidence.getSession().isLeftAtTotal()).isFalse();
        assertThat(distracted.price.isFlagged()).isFalse();
        assertThat(distracted.price.getScore()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void loyalRegularBouncingOffOneProductPageIsNotFlagged() {
        Visitor v = new Visitor("cust-1");
        for (int d = 0; d < 3; d++) v.ordinaryPurchase("s" + d, day(3 * d, 0), "c1");

        v.events.session("bounce");
        v.on(v.events.view("i9", "c1", 300, day(10, 0)));
        v.endSession(day(10, 0).plus(Duration.ofMinutes(30)));

        assertThat(v.price.isFlagged()).isFalse();
        assertThat(v.price.getScore()).isLessThan(SignalEngine.FLAG_OFF);
        assertThat(v.price.getOnSince()).isZero();
    }

    @Test
    void loyalRegularSortingByPriceOnceIsNotFlagged() {
        Visitor v = new Visitor("cust-2");
        for (int d = 0; d < 3; d++) v.ordinaryPurchase("s" + d, day(3 * d, 0), "c1");
        v.events.session("sorted");
        v.on(v.events.page("category", day(10, 0)));
        v.on(v.events.sort("price_asc", day(10, 5)));

        assertThat(v.price.isFlagged()).isFalse();
        assertThat(v.price.getReasons()).containsExactly(SORT_PRICE_ASC);
        assertThat(v.price.getScore())
                .isCloseTo(
                        0.35 / (1 + 0.4 * 3),
                        within(0.01)); // damped by three (slightly decayed) full-price orders
    }

    @Test
    void sortingByPriceAndSearchingForASaleFlagsWithinTheSessionAndKeepsTheOnsetTime() {
        Visitor v = new Visitor("anon-2");
        v.on(v.events.page("category", at(0)));
        v.on(v.events.sort("price_asc", at(5)));
        assertThat(v.price.isFlagged()).isFalse();
        assertThat(v.price.getScore()).isCloseTo(0.35, within(1e-9));

        v.on(v.events.search("running shoes sale", 24, at(20)));

        assertThat(v.price.isFlagged()).isTrue();
        assertThat(v.price.getScore()).isCloseTo(1 - 0.65 * 0.5, within(1e-3));
        assertThat(v.price.getReasons()).containsExactly(COUPON_SEARCH, SORT_PRICE_ASC);
        assertThat(v.price.getOnSince()).isEqualTo(at(20).toEpochMilli());

        v.on(v.events.view("i1", "c1", 30, 40, at(26)));
        assertThat(v.price.isFlagged()).isTrue();
        assertThat(v.price.getOnSince()).as("onset kept while on").isEqualTo(at(20).toEpochMilli());
    }

    @Test
    void removingFromTheCartAfterTheTotalAndLeavingFlagsAtTheSessionEnd() {
        Visitor v = new Visitor("anon-3");
        v.on(v.events.view("i1", "c1", 80, at(0)));
        v.on(v.events.cart("i1", "c1", 80, at(40)));
        v.on(v.events.view("i2", "c1", 60, at(70)));
        v.on(v.events.cart("i2", "c1", 60, at(100)));
        v.on(v.events.page("cart", at(110)));
        v.on(v.events.checkout(140, at(120)));
        v.on(v.events.remove("i1", at(150)));

        assertThat(v.price.isFlagged()).isFalse();
        assertThat(v.price.getReasons()).containsExactly(REMOVES_AFTER_TOTAL);
        assertThat(v.price.getScore()).isCloseTo(0.4, within(1e-9));

        Instant timer = at(150).plus(Duration.ofMinutes(30));
        v.endSession(timer);

        assertThat(v.price.isFlagged()).isTrue();
        assertThat(v.price.getScore()).isCloseTo(0.64, within(1e-9));
        assertThat(v.price.getReasons())
                .containsExactlyInAnyOrder(REMOVES_AFTER_TOTAL, CART_ABANDONED_AT_TOTAL);
        assertThat(v.price.getOnSince()).isEqualTo(timer.toEpochMilli());
    }

    @Test
    void comparingSimilarItemsThatDifferInPriceIsWeighedButIsNotEnoughAlone() {
        Visitor v = new Visitor("anon-4");
        double[] prices = {20, 26, 31, 24, 40};
        for (int i = 0; i < prices.length; i++) {
            // Items on discount, so no full-price glances: only the comparison speaks.
            v.on(v.events.view("i" + i, "c1", prices[i], prices[i] * 1.2, at(4L * i)));
        }
        assertThat(v.price.getReasons()).containsExactly(COMPARES_SIMILAR_ITEMS);
        assertThat(v.price.getScore()).isCloseTo(0.36, within(1e-9)); // four quick views in the run
        assertThat(v.price.isFlagged()).isFalse();
    }

    @Test
    void buyingOnlyOnDiscountFlagsFromThePurchasesOnceThereAreEnoughOfThem() {
        Visitor v = new Visitor("cust-3");
        for (int k = 0; k < 5; k++) {
            v.events.session("s" + k);
            Instant when = day(4 * k, 0);
            v.on(v.events.order(null, when, line("d" + k, "c1", 30, 45)));
            v.endSession(when.plus(Duration.ofMinutes(30)));
            if (k == 2) {
                // Shrunk towards the store's 20% over five lines: three lines are a hint, not yet a
                // habit.
                assertThat(v.price.isFlagged()).as("three discounted lines").isFalse();
                assertThat(v.price.getReasons()).containsExactly(DISCOUNT_SHARE_HIGH);
            }
        }
        assertThat(v.price.isFlagged()).isTrue();
        assertThat(v.price.getReasons()).containsExactly(DISCOUNT_SHARE_HIGH);
        assertThat(v.price.getOnSince())
                .as("from the fifth discounted line")
                .isEqualTo(day(16, 0).toEpochMilli());
    }

    @Test
    void payingWithCouponsFlagsAfterTheThirdCouponOrder() {
        Visitor v = new Visitor("cust-4");
        v.events.session("s1");
        v.on(v.events.order("SAVE10", day(0, 0), line("i1", "c1", 50, 50)));
        assertThat(v.price.isFlagged()).isFalse();
        assertThat(v.price.getReasons()).containsExactly(COUPON_USED);
        v.endSession(day(0, 1800));
        v.events.session("s2");
        v.on(v.events.order("SAVE10", day(5, 0), line("i2", "c1", 50, 50)));
        assertThat(v.price.isFlagged())
                .as("two coupon orders of a new customer are not yet a habit")
                .isFalse();
        v.endSession(day(5, 1800));
        v.events.session("s3");
        v.on(v.events.order("SAVE10", day(9, 0), line("i3", "c1", 50, 50)));

        assertThat(v.price.isFlagged()).isTrue();
        assertThat(v.price.getReasons()).containsExactly(COUPON_SHARE_HIGH, COUPON_USED);
        assertThat(v.price.getOnSince()).isEqualTo(day(9, 0).toEpochMilli());
    }

    @Test
    void aBargainSearchFlagsWithinTheSessionEvenForACustomerWhoPaysFullPrice() {
        Visitor v = new Visitor("cust-4b");
        for (int d = 0; d < 3; d++) v.ordinaryPurchase("p" + d, day(3 * d - 9, 0), "c1");
        v.events.session("s1");
        v.on(v.events.search("tv coupon", 12, at(0)));
        // Asking for a bargain is intent, not noise: a record of full-price orders does not damp
        // it.
        assertThat(v.price.isFlagged()).as("one bargain search").isTrue();
        assertThat(v.price.getScore()).isCloseTo(0.5, within(1e-9));
        v.on(v.events.view("i1", "c1", 300, at(20)));
        v.on(v.events.cart("i1", "c1", 300, at(60)));
        v.on(v.events.checkout(300, at(80)));
        v.on(v.events.order("SAVE10", at(120), line("i1", "c1", 300, 300)));

        assertThat(v.price.isFlagged()).isTrue();
        // Paying with a coupon is behaviour, damped by the full-price record below the reason
        // threshold.
        assertThat(v.price.getReasons()).containsExactly(COUPON_SEARCH);
        assertThat(engine.priceContributions(v.evidence, at(120).toEpochMilli()))
                .containsKey(COUPON_USED);
    }

    @Test
    void quickGlancesInOneCategoryEndingOnAFullPriceFlagAtTheSessionEndButOneGlanceDoesNot() {
        // Three items of one category looked at for seconds each, then gone: a clear exit at the
        // price.
        Visitor clear = new Visitor("anon-2");
        clear.on(clear.events.view("i1", "c1", 120, at(0)));
        clear.on(clear.events.view("i2", "c1", 95, at(4)));
        clear.on(clear.events.view("i3", "c1", 140, at(9)));
        clear.endSession(at(9).plus(Duration.ofMinutes(30)));
        assertThat(clear.price.isFlagged()).isTrue();
        assertThat(clear.price.getReasons()).containsExactly(EXIT_AT_PRICE);
        assertThat(clear.price.getScore()).isCloseTo(0.79, within(1e-9));

        // One short dwell, then leaving on the second product: regulars do this now and then, not
        // enough alone.
        Visitor once = new Visitor("anon-3");
        once.on(once.events.view("i1", "c1", 120, at(0)));
        once.on(once.events.view("i2", "c1", 95, at(5)));
        once.endSession(at(5).plus(Duration.ofMinutes(30)));
        assertThat(once.price.isFlagged()).isFalse();
        assertThat(once.price.getReasons()).containsExactly(EXIT_AT_PRICE);
    }

    @Test
    void aRecordOfFullPricePurchasesDampsAClearExitOfARegular() {
        Visitor v = new Visitor("cust-10");
        for (int k = 0; k < 5; k++) v.ordinaryPurchase("p" + k, day(3 * k, 0), "c1");
        v.events.session("glance");
        v.on(v.events.view("i1", "c1", 120, day(16, 0)));
        v.on(v.events.view("i2", "c1", 95, day(16, 4)));
        v.on(v.events.view("i3", "c1", 140, day(16, 9)));
        v.endSession(day(16, 9).plus(Duration.ofMinutes(30)));
        assertThat(v.evidence.getFullPaid()).isGreaterThan(4);
        assertThat(v.price.isFlagged()).isFalse();
        assertThat(v.price.getReasons()).containsExactly(EXIT_AT_PRICE);
    }

    @Test
    void sortingByPriceThenSkimmingTheCheapEndComparesItemsWhateverTheirSpread() {
        Visitor v = new Visitor("anon-5");
        v.on(v.events.page("category", at(0)));
        v.on(v.events.sort("price_asc", at(5)));
        v.on(v.events.view("i1", "c1", 20, at(10)));
        v.on(v.events.view("i2", "c1", 21, at(14)));
        v.on(v.events.view("i3", "c1", 22, at(18)));
        v.on(v.events.view("i4", "c1", 23, at(40)));
        assertThat(engine.priceContributions(v.evidence, at(40).toEpochMilli()))
                .containsKey(COMPARES_SIMILAR_ITEMS);
        assertThat(v.price.getReasons()).contains(SORT_PRICE_ASC, COMPARES_SIMILAR_ITEMS);
    }

    @Test
    void payingLowAgainstThePricesShownInTheCategoryIsEvidence() {
        Visitor v = new Visitor("cust-5");
        for (int k = 0; k < 5; k++) {
            v.events.session("s" + k);
            Instant s = day(3 * k, 0);
            v.on(v.events.view("a" + k, "c1", 100, s));
            v.on(v.events.view("b" + k, "c1", 120, s.plusSeconds(30)));
            v.on(v.events.view("c" + k, "c1", 90, s.plusSeconds(60)));
            v.on(v.events.cart("z" + k, "c1", 40, s.plusSeconds(90)));
            v.on(v.events.order(null, s.plusSeconds(120), line("z" + k, "c1", 40, 40)));
            v.endSession(s.plusSeconds(120).plus(Duration.ofMinutes(30)));
        }
        Map<String, Double> contributions =
                engine.priceContributions(v.evidence, day(13, 0).toEpochMilli());
        assertThat(contributions).containsKey(BUYS_LOW_PRICE_BAND);
        assertThat(contributions.get(BUYS_LOW_PRICE_BAND)).isGreaterThan(0.3);
        assertThat(v.price.getReasons()).contains(BUYS_LOW_PRICE_BAND);
        assertThat(v.evidence.getFullPaid())
                .as("low-band orders are not full-price orders")
                .isZero();
    }

    @Test
    void comingBackToAnItemWhosePriceDroppedIsEvidence() {
        Visitor v = new Visitor("anon-5");
        v.events.session("s1");
        v.on(v.events.view("i1", "c1", 50, day(0, 0)));
        v.on(v.events.page("home", day(0, 40)));
        v.endSession(day(0, 40).plus(Duration.ofMinutes(30)));
        assertThat(v.price.getScore()).isZero();

        v.events.session("s2");
        v.on(v.events.view("i1", "c1", 40, 50, day(1, 0)));

        assertThat(v.price.getReasons()).containsExactly(RETURNS_ON_PRICE_DROP);
        assertThat(v.price.getScore()).isCloseTo(0.35, within(1e-9));
    }

    @Test
    void priceFlagSwitchesOffWhenTheEvidenceFades() {
        Visitor v = new Visitor("anon-6");
        v.events.session("s1");
        v.on(v.events.search("cheap headphones", 30, day(0, 0)));
        v.on(v.events.search("headphones coupon", 12, day(0, 20)));
        assertThat(v.price.isFlagged()).isTrue();
        assertThat(v.price.getScore()).isCloseTo(0.65, within(1e-9));
        long onSince = v.price.getOnSince();
        v.endSession(day(0, 20).plus(Duration.ofMinutes(30)));

        // The next day: an ordinary visit; the habit still holds the flag (hysteresis).
        v.events.session("s2");
        v.on(v.events.view("i1", "c1", 40, day(1, 0)));
        assertThat(v.price.isFlagged()).isTrue();
        assertThat(v.price.getReasons()).containsExactly(COUPON_SEARCH);
        assertThat(v.price.getOnSince()).isEqualTo(onSince);
        v.on(v.events.page("home", day(1, 40)));
        v.endSession(day(1, 40).plus(Duration.ofMinutes(30)));

        // Another ordinary visit: the evidence has faded.
        v.events.session("s3");
        v.on(v.events.view("i2", "c1", 40, day(2, 0)));
        assertThat(v.price.isFlagged()).isFalse();
        assertThat(v.price.getOnSince()).isZero();
        assertThat(v.price.getScore()).isLessThan(SignalEngine.FLAG_OFF);
    }

    // ------------------------------------------------------------------------------------ drifting

    @Test
    void wanderingVisitorIsFlaggedWithinTheSessionAndAddingToCartEndsIt() {
        Visitor v = new Visitor("anon-7");
        String[] categories = {"c1", "c2", "c3", "c4", "c5"};
        for (int i = 0; i < categories.length; i++) {
            v.on(v.events.view("i" + i, categories[i], 30, at(4L * i)));
            if (i == 3) {
                assertThat(v.drifting.isFlagged()).as("four views over four categories").isFalse();
                assertThat(v.drifting.getReasons()).containsExactly(WANDERING_ACROSS_CATEGORIES);
            }
        }
        assertThat(v.drifting.isFlagged()).isTrue();
        assertThat(v.drifting.getScore()).isCloseTo(1 - 0.4 * 0.7, within(1e-9));
        assertThat(v.drifting.getReasons())
                .containsExactly(WANDERING_ACROSS_CATEGORIES, SHORT_DWELL);
        assertThat(v.drifting.getOnSince()).isEqualTo(at(16).toEpochMilli());
        assertThat(v.price.isFlagged())
                .as("quick glances across many categories are not price checks")
                .isFalse();

        v.on(v.events.cart("i4", "c5", 30, at(30)));

        assertThat(v.drifting.isFlagged()).isFalse();
        assertThat(v.drifting.getScore()).isZero();
        assertThat(v.drifting.getReasons()).isEmpty();
        assertThat(v.drifting.getOnSince()).isZero();
    }

    @Test
    void goingBackAndForthBetweenNavigationPagesWithoutProductsIsAimless() {
        Visitor v = new Visitor("anon-nav");
        v.on(v.events.page("home", at(0)));
        v.on(v.events.page("category", at(6)));
        v.on(v.events.page("other", at(12)));
        assertThat(engine.driftContributions(v.evidence)).doesNotContainKey(AIMLESS_NAVIGATION);
        v.on(v.events.page("home", at(18)));
        v.on(v.events.view("i1", "c1", 30, at(24)));
        v.on(v.events.page("category", at(29)));
        v.on(v.events.page("other", at(33)));
        assertThat(engine.driftContributions(v.evidence).get(AIMLESS_NAVIGATION))
                .as("six pages, one product")
                .isCloseTo(0.4, within(1e-9));
        assertThat(v.drifting.getReasons()).contains(AIMLESS_NAVIGATION);

        v.on(v.events.cart("i1", "c1", 30, at(40)));
        assertThat(engine.driftContributions(v.evidence))
                .as("a cart: found something")
                .doesNotContainKey(AIMLESS_NAVIGATION);
    }

    @Test
    void searchesThatFindNothingOrAreNotFollowedByAClickFlagDrifting() {
        Visitor v = new Visitor("anon-8");
        v.on(v.events.search("blender", 0, at(0)));
        assertThat(v.drifting.isFlagged()).isFalse();
        v.on(v.events.search("blendr", 0, at(10)));
        assertThat(v.drifting.isFlagged()).isTrue();
        assertThat(v.drifting.getReasons()).containsExactly(SEARCHES_WITHOUT_RESULTS);
        assertThat(v.drifting.getOnSince()).isEqualTo(at(10).toEpochMilli());

        v.on(v.events.search("kettle", 12, at(20)));
        v.on(v.events.page("search", at(22)));
        v.on(v.events.page("home", at(40)));

        assertThat(v.drifting.getReasons())
                .containsExactly(SEARCHES_WITHOUT_RESULTS, SEARCHES_WITHOUT_CLICK);
        assertThat(v.drifting.getScore()).isCloseTo(1 - 0.4 * 0.75, within(1e-9));
    }

    @Test
    void inSessionDriftingEndsWithTheSession() {
        Visitor v = new Visitor("anon-9");
        v.on(v.events.search("blender", 0, at(0)));
        v.on(v.events.search("blendr", 0, at(10)));
        assertThat(v.drifting.isFlagged()).isTrue();
        v.endSession(at(10).plus(Duration.ofMinutes(30)));
        assertThat(v.drifting.isFlagged()).isFalse();
        assertThat(v.drifting.getOnSince()).isZero();
    }

    @Test
    void windowShopperBrowsingOneCategoryUnhurriedIsNeverFlagged() {
        Visitor v = new Visitor("anon-10");
        for (int s = 0; s < 3; s++) {
            v.events.session("w" + s);
            Instant start = day(2 * s, 0);
            v.on(v.events.page("category", start));
            for (int i = 0; i < 5; i++)
                v.on(
                        v.events.view(
                                "w" + s + i, "c1", 20 + 15 * i, start.plusSeconds(10 + 35L * i)));
            assertThat(v.price.isFlagged()).isFalse();
            assertThat(v.drifting.isFlagged()).isFalse();
            v.endSession(start.plusSeconds(200).plus(Duration.ofMinutes(30)));
            assertThat(v.price.isFlagged()).isFalse();
            assertThat(v.drifting.isFlagged()).isFalse();
        }
        assertThat(v.price.getScore()).isZero();
    }

    @Test
    void interestsMovingToOtherCategoriesFlagInterestDriftOnceTheShiftPersists() {
        Visitor v = new Visitor("cust-6");
        for (int k = 0; k < 8; k++)
            v.ordinaryPurchase("old" + k, day(2 * k, 0), k % 3 == 2 ? "c2" : "c1");
        assertThat(v.drifting.isFlagged()).isFalse();
        assertThat(v.evidence.getBase())
                .as("a baseline once there is enough history")
                .containsKeys("c1", "c2");

        v.ordinaryPurchase("new0", day(17, 0), "c7");
        assertThat(v.drifting.isFlagged())
                .as("one session in a new category is not a drift")
                .isFalse();
        double first = v.drifting.getScore();

        v.ordinaryPurchase("new1", day(19, 0), "c8");
        assertThat(v.drifting.isFlagged())
                .as("two sessions: a regular visiting a minor favourite twice")
                .isFalse();
        assertThat(v.drifting.getScore()).isGreaterThan(first);
        assertThat(v.drifting.getReasons()).containsExactly(INTEREST_DRIFT);

        v.ordinaryPurchase("new2", day(21, 0), "c7");
        assertThat(v.drifting.isFlagged()).isTrue();
        assertThat(v.drifting.getReasons()).containsExactly(INTEREST_DRIFT);
        assertThat(v.drifting.getOnSince())
                .isBetween(day(21, 0).toEpochMilli(), day(21, 200).toEpochMilli());

        // Interest drift is not in-session: it stays on across the session end.
        v.events.session("new3");
        v.on(v.events.page("home", day(23, 0)));
        assertThat(v.drifting.isFlagged()).isTrue();
    }

    @Test
    void aNewVisitorBrowsingManyCategoriesOverDaysHasNoInterestDrift() {
        Visitor v = new Visitor("cust-7");
        for (int k = 0; k < 5; k++) v.ordinaryPurchase("s" + k, day(2 * k, 0), "c" + k);
        assertThat(v.evidence.getBase()).as("not enough history yet").isEmpty();
        assertThat(v.drifting.getScore()).isZero();
    }

    // ------------------------------------------------------------------------------------ sessions

    @Test
    void aLongGapEndsTheSessionEvenWhenTheTimerHasNotFiredYet() {
        Visitor v = new Visitor("anon-11");
        v.on(v.events.view("i1", "c1", 120, at(0)));
        v.on(v.events.view("i2", "c1", 95, at(3)));
        v.on(v.events.view("i3", "c1", 140, at(6)));
        // The watermark lags: the next session's first event arrives before the timer.
        v.events.session("s2");
        v.on(v.events.page("home", at(7200)));

        assertThat(v.evidence.getHabits()).containsKey("exit");
        assertThat(v.evidence.getSession().getViews()).isZero();
        // The operator's timer, when it finally fires for the old session, changes nothing.
        SignalEvidence before = copy(v.evidence);
        engine.sessionEnded(v.evidence, at(6).plus(Duration.ofMinutes(30)).toEpochMilli());
        assertThat(SignalSizes.jsonBytes(v.evidence)).isEqualTo(SignalSizes.jsonBytes(before));
    }

    @Test
    void sessionEndedTwiceIsTheSameAsOnce() {
        Visitor v = new Visitor("anon-12");
        v.on(v.events.view("i1", "c1", 120, at(0)));
        v.on(v.events.view("i2", "c2", 95, at(3)));
        v.endSession(at(3).plus(Duration.ofMinutes(30)));
        SignalState first = v.price;
        v.endSession(at(3).plus(Duration.ofMinutes(31)));
        assertThat(v.price.getScore()).isEqualTo(first.getScore());
        assertThat(v.price.getOnSince()).isEqualTo(first.getOnSince());
    }

    // ------------------------------------------------------------------------------------ bounds

    /**
     * A long, busy customer history: ten thousand events over months, mostly in eight categories.
     */
    @Test
    void evidenceStaysUnder750BytesAfterTenThousandEventsOfABusyCustomer() {
        int maxBytes = drive(new Visitor("cust-busy"), 10_000, 8, 21);
        assertThat(maxBytes).isLessThan(750);
    }

    /**
     * Every kind of evidence at once, 60 categories, long ids: the caps hold the worst case under 1
     * KB.
     */
    @Test
    void evidenceStaysBoundedWhateverTheVisitorDoes() {
        Visitor v = new Visitor("cust-adversarial");
        int maxBytes = drive(v, 10_000, 60, 11);
        SignalEvidence ev = v.evidence;
        assertThat(maxBytes).isLessThan(1_000);
        assertThat(ev.getSession().getCats())
                .hasSizeLessThanOrEqualTo(SignalEngine.MAX_SESSION_CATEGORIES);
        assertThat(ev.getSeen()).hasSizeLessThanOrEqualTo(SignalEngine.MAX_SEEN_CATEGORIES);
        assertThat(ev.getItems()).hasSizeLessThanOrEqualTo(SignalEngine.MAX_RECENT_ITEMS);
        assertThat(ev.getPrices()).hasSameSizeAs(ev.getItems());
        assertThat(ev.getRecent()).hasSizeLessThanOrEqualTo(SignalEngine.MAX_SHORT_TERM);
        assertThat(ev.getBase()).hasSizeLessThanOrEqualTo(SignalEngine.MAX_BASE);
        assertThat(ev.getHabits()).hasSizeLessThanOrEqualTo(7);
        assertThat(SignalSizes.jsonBytes(v.price)).isLessThan(150);
        assertThat(SignalSizes.jsonBytes(v.drifting)).isLessThan(150);

        // Long ids (SKUs, category paths) are kept as short hashes.
        v.on(
                v.events.view(
                        "sku-0000-1111-2222-3333-4444-5555",
                        "electronics/phones/smartphones/android",
                        99,
                        at(0)));
        assertThat(SignalSizes.jsonBytes(v.evidence)).isLessThan(1_000);
        assertThat(v.evidence.getItems().get(0)).startsWith("#").hasSizeLessThanOrEqualTo(8);
    }

    /**
     * Feeds {@code events} random events of every kind over {@code categories} categories; returns
     * the largest evidence JSON seen.
     */
    private int drive(Visitor v, int events, int categories, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long t = DAY0.toEpochMilli();
        int maxBytes = 0;
        boolean busy = categories <= 10;
        for (int i = 0; i < events; i++) {
            boolean newSession = rnd.nextInt(busy ? 12 : 10) == 0;
            t +=
                    newSession
                            ? Duration.ofHours(1 + rnd.nextInt(40)).toMillis()
                            : 1_000 + rnd.nextInt(40_000);
            if (newSession) v.events.session("s" + i);
            Instant when = Instant.ofEpochMilli(t);
            String category = "cat-" + rnd.nextInt(categories);
            String item = "item-" + rnd.nextInt(5_000);
            double price = 5 + rnd.nextInt(2_000) + 0.99;
            int kind =
                    busy
                            ? new int[] {0, 0, 0, 0, 0, 0, 1, 4, 4, 5, 7, 9}[rnd.nextInt(12)]
                            : rnd.nextInt(10);
            ShopEvent e =
                    switch (kind) {
                        case 0, 1, 2, 3 ->
                                v.events.view(
                                        item,
                                        category,
                                        price,
                                        rnd.nextBoolean() ? price : price * 1.3,
                                        when);
                        case 4 -> v.events.page(rnd.nextBoolean() ? "home" : "category", when);
                        case 5 ->
                                v.events.search(
                                        rnd.nextBoolean() ? "cheap " + category : "thing " + i,
                                        rnd.nextInt(3) * 7,
                                        when);
                        case 6 -> v.events.sort(rnd.nextBoolean() ? "price_asc" : "newest", when);
                        case 7 -> v.events.cart(item, category, price, when);
                        case 8 ->
                                rnd.nextBoolean()
                                        ? v.events.checkout(price, when)
                                        : v.events.remove(item, when);
                        default ->
                                v.events.order(
                                        rnd.nextBoolean() ? "SAVE10" : null,
                                        when,
                                        line(item, category, price, price * 1.1),
                                        line(
                                                "item-" + rnd.nextInt(5_000),
                                                "cat-" + rnd.nextInt(categories),
                                                price,
                                                price));
                    };
            v.on(e);
            maxBytes = Math.max(maxBytes, SignalSizes.jsonBytes(v.evidence));
            if (rnd.nextInt(50) == 0) v.endSession(when.plus(Duration.ofMinutes(30)));
        }
        return maxBytes;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {SignalEvidence.class, SignalState.class})
    void signalTypesAreFlinkPojosSerializedWithoutKryo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        assertThat(info.createSerializer(config)).isNotNull();
    }

    @Test
    void reasonsAreStrongestFirstAndOnlyForEvidenceThatCounts() {
        Visitor v = new Visitor("anon-13");
        v.on(v.events.sort("price_asc", at(0)));
        v.on(v.events.search("laptop deals", 40, at(10)));
        v.on(v.events.sort("price_asc", at(20)));
        // coupon_search 0.45, sort_price_asc 0.45 (two sorts): ties by name.
        assertThat(v.price.getReasons()).containsExactly(COUPON_SEARCH, SORT_PRICE_ASC);
        assertThat(List.copyOf(v.price.getReasons())).doesNotContain(EXIT_AT_PRICE);
    }

    private static SignalEvidence copy(SignalEvidence ev) {
        try {
            return io.shopkeeper.schemas.EventCodec.mapper()
                    .readValue(
                            io.shopkeeper.schemas.EventCodec.encodeToString(ev),
                            SignalEvidence.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void reasonsAreTheStrongestCodesAboveTheFloorTiesByCodeAtMostFour() {
        java.util.Random random = new java.util.Random(16);
        String[] codes = {
            SORT_PRICE_ASC,
            COUPON_SEARCH,
            EXIT_AT_PRICE,
            COUPON_USED,
            DISCOUNT_SHARE_HIGH,
            INTEREST_DRIFT,
            SHORT_DWELL,
            AIMLESS_NAVIGATION
        };
        // a few values only, so ties are frequent, and values around the floor
        double[] values = {0.05, 0.12, 0.119, 0.2, 0.2, 0.35, 0.5, 0.7};
        for (int run = 0; run < 2_000; run++) {
            Map<String, Double> contributions = new HashMap<>();
            int n = random.nextInt(codes.length + 1);
            for (int i = 0; i < n; i++)
                contributions.put(
                        codes[random.nextInt(codes.length)], values[random.nextInt(values.length)]);
            List<String> expected =
                    contributions.entrySet().stream()
                            .filter(e -> e.getValue() >= SignalEngine.REASON_MIN)
                            .sorted(
                                    Map.Entry.<String, Double>comparingByValue()
                                            .reversed()
                                            .thenComparing(Map.Entry.comparingByKey()))
                            .limit(SignalEngine.MAX_REASONS)
                            .map(Map.Entry::getKey)
                            .toList();
            assertThat(SignalEngine.reasons(contributions))
                    .as("%s", contributions)
                    .isEqualTo(expected);
        }
        assertThat(SignalEngine.reasons(Map.of())).isEmpty();
        assertThat(
                        SignalEngine.reasons(
                                Map.of(COUPON_USED, 0.5, SORT_PRICE_ASC, 0.5, EXIT_AT_PRICE, 0.9)))
                .containsExactly(EXIT_AT_PRICE, COUPON_USED, SORT_PRICE_ASC);
    }
}
