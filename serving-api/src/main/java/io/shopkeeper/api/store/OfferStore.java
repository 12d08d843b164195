package io.shopkeeper.api.store;

import java.util.List;
import java.util.Map;

/**
 * Campaign definitions (the API's view; the job reads the {@code campaigns} topic) and what the job
 * writes about offers: a visitor's onsite offers and decision history, campaign counters and
 * recommendation counters. Same contract as {@link CustomerStore}: one round trip per method unless
 * said otherwise; an unreachable store throws {@link StoreUnavailableException}.
 */
public interface OfferStore {

    /** Every stored campaign definition (JSON), in no particular order. */
    List<String> campaigns();

    /** One campaign definition (JSON), {@code null} when none. */
    String campaign(String id);

    /**
     * Stores {@code json} as campaign {@code id} if the stored definition has version {@code
     * expectedVersion} (0: none is stored); {@code json == null} removes it under the same
     * condition. Atomic.
     *
     * @return whether it was stored
     */
    boolean compareAndSetCampaign(String id, long expectedVersion, String json);

    /**
     * A visitor's onsite offers (JSON), the customer id an anonymous id was stitched to, and the
     * visitor's recommendation list (JSON, for guided-list offers), read together.
     */
    record VisitorOffers(List<String> offers, String aliasOf, String recommendations) {}

    VisitorOffers visitorOffers(String visitorId);

    /** The visitor's latest decisions (JSON), newest first, at most {@code max}. */
    List<String> history(String visitorId, int max);

    /** A campaign's result counters, by field; empty when none. */
    Map<String, String> campaignCounters(String campaignId);

    /** The recommendation counters of each day ({@code yyyy-MM-dd}), by day; one pipeline. */
    Map<String, Map<String, String>> recommendationCounters(List<String> days);

    /**
     * One page of stored profiles (JSON) from {@code cursor}; {@code nextCursor} "0" at the end.
     */
    record ProfilePage(List<String> profiles, String nextCursor) {}

    /** A SCAN page of the stored profiles, then one MGET of them. */
    ProfilePage profiles(String cursor, int count);
}
