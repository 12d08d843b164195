package io.shopkeeper.jobs.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job's facts of a live profile ({@link SegmentEvaluator#facts}) and the API's facts of the
 * stored document ({@link ProfileFacts#fromProfileJson}) are the same, so a campaign preview counts
 * the visitors the job would decide on.
 */
class ProfileFactsAgreementTest {

    private static Map<String, Object> normalized(Map<String, Object> facts) {
        Map<String, Object> n = new LinkedHashMap<>();
        facts.forEach((k, v) -> n.put(k, v instanceof Number x ? x.doubleValue() : v));
        return n;
    }

    private static void assertAgree(CustomerProfile p) throws Exception {
        var stored = EventCodec.mapper().readTree(EventCodec.encodeToString(p));
        assertThat(normalized(ProfileFacts.fromProfileJson(stored)))
                .isEqualTo(normalized(SegmentEvaluator.facts(p)));
    }

    @Test
    void aFullCustomerProfile() throws Exception {
        CustomerProfile p = new CustomerProfile();
        p.setVisitorId("cust-1");
        p.setCustomerId("cust-1");
        p.setLifecycle("at_risk");
        p.setOrders(4);
        p.setSpend(310.25);
        p.setRecencyDays(41);
        p.setRecencyScore(2);
        p.setFrequencyScore(4);
        p.setMonetaryScore(5);
        p.setAverageOrderValue(77.56);
        p.setEstimatedLifetimeValue(900.5);
        p.setDiscountShare(0.75);
        p.setCouponShare(0.5);
        p.setSessions(12);
        p.setTenureDays(120.5);
        p.setRecentCarts(List.of("i1", "i2"));
        p.setPriceSensitive(new SignalState(0.81, true, List.of("coupon_search"), 5L));
        p.setDrifting(new SignalState(0.2, false, List.of(), 0L));
        assertThat(SegmentEvaluator.FACTS).isEqualTo(ProfileFacts.NAMES);
        assertAgree(p);
    }

    @Test
    void aBrandNewAnonymousProfile() throws Exception {
        CustomerProfile p = new CustomerProfile();
        p.setVisitorId("anon-1");
        assertAgree(p);
    }
}
