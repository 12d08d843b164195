package io.shopkeeper.schemas;

import java.util.List;

/**
 * The Kafka topics Shopkeeper reads and writes. Declared once here; jobs, API and tools use these.
 */
public final class Topics {
    /**
     * Storefront behaviour: page and product views, searches, sorts, carts, logins, impressions,
     * clicks.
     */
    public static final String CLICKSTREAM = "clickstream";

    /** Orders placed and cancelled. */
    public static final String ORDERS = "orders";

    /** Catalog updates: price, stock, category, brand of an item. */
    public static final String CATALOG = "catalog";

    /** Records that could not be decoded or validated, with the reason; never silently dropped. */
    public static final String DEAD_LETTERS = "dead-letters";

    /**
     * Outbound offers for an e-mail or push system ({@code io.shopkeeper.schemas.offers.Offer} JSON
     * keyed by visitor), written by the job with Kafka transactions: read it {@code
     * read_committed}.
     */
    public static final String OFFERS = "offers";

    /**
     * Campaign definitions ({@code io.shopkeeper.schemas.offers.Campaign} JSON keyed by campaign
     * id), written by the API. Compacted: the latest version of every campaign is kept for ever.
     */
    public static final String CAMPAIGNS = "campaigns";

    /**
     * The job to itself: a stitched anonymous visitor's offer state (caps, open decisions, pending
     * reminders), handed from the anonymous id to the customer it turned out to be, so logging in
     * earns no second coupon. JSON; internal, read and written by the job only.
     */
    public static final String OFFER_HANDOVERS = "offer-handovers";

    /** A visitor joined or left a segment: {@code {"visitorId","segment","joined","at"}}. */
    public static final String SEGMENT_CHANGES = "segment-changes";

    /** The topics the personalization job consumes. */
    public static final List<String> INPUTS = List.of(CLICKSTREAM, ORDERS, CATALOG);

    /** The input topics of visitor events (the catalog topic carries item updates only). */
    public static final List<String> VISITOR_INPUTS = List.of(CLICKSTREAM, ORDERS);

    /** Every topic, for creating them on a fresh broker. */
    public static final List<String> ALL =
            List.of(
                    CLICKSTREAM,
                    ORDERS,
                    CATALOG,
                    DEAD_LETTERS,
                    OFFERS,
                    SEGMENT_CHANGES,
                    CAMPAIGNS,
                    OFFER_HANDOVERS);

    /** The topics that must be created compacted (latest value per key kept). */
    public static final List<String> COMPACTED = List.of(CAMPAIGNS);

    private Topics() {}
}
