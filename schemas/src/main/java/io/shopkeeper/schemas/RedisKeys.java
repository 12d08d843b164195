package io.shopkeeper.schemas;

/**
 * Redis key layout shared by the job (writer) and the API (reader). Every value is a JSON string.
 *
 * <ul>
 *   <li>{@code sk:profile:{visitor}}: the visitor's profile ({@link ProfileDocument},
 *       schemas/profile.json).
 *   <li>{@code sk:recs:{visitor}}: the visitor's precomputed recommendations ({@link
 *       RecommendationList}).
 *   <li>{@code sk:similar:{item}}: items seen together with the item in sessions ({@link
 *       RecommendationList}).
 *   <li>{@code sk:trending}, {@code sk:trending:cat:{category}}: trending items ({@link
 *       RecommendationList}).
 *   <li>{@code sk:item:{item}}: the latest catalog facts of an item ({@link ItemInfo}).
 *   <li>{@code sk:bought-together:{item}}: items bought in the same orders as the item ({@link
 *       RecommendationList}).
 *   <li>{@code sk:list-version:{list}}: the {@link ListVersion} of the shared list (trending,
 *       similar, bought together) at {@code sk:{list}}, written and deleted by the job with the
 *       list ({@link #listVersion}).
 *   <li>{@code sk:catalog}: HASH itemId -> {@link ItemInfo} JSON, the whole catalog for the API's
 *       in-memory cache; {@code sk:catalog:changes}: STREAM of {@code item} fields, one entry per
 *       catalog change (capped), so caches refresh incrementally.
 *   <li>{@code sk:alias:{anonymousId}}: the customer id an anonymous visitor was stitched to.
 *   <li>{@code sk:memberships:{visitor}}: SET of the segments the visitor is in now.
 *   <li>{@code sk:segment:{name}}: SET of the visitors in the segment now (size = SCARD).
 *   <li>{@code sk:segment-definitions}: JSON array of the segment definitions the job evaluates.
 *   <li>{@code sk:forgotten:{visitor}}: epoch millis when the job finished forgetting the visitor
 *       (kept 30 days as the confirmation of a deletion request).
 *   <li>{@code sk:stats:events-applied}: counter of the visitor events the job is done with ({@link
 *       #EVENTS_APPLIED}); used by operators and benchmarks to watch progress.
 *   <li>{@code sk:campaigns}: HASH campaign id -> {@code Campaign} JSON, the latest version of
 *       every campaign (the API's read view of the {@code campaigns} topic, written by the API).
 *   <li>{@code sk:offers:{visitor}}: HASH offer id -> onsite {@code Offer} JSON, the visitor's
 *       offers (the API serves those not yet expired); the key expires with the last offer.
 *   <li>{@code sk:offer-history:{visitor}}: sorted SET of {@code Decision} JSON scored by the
 *       decision's event time, the latest {@link #OFFER_HISTORY_KEPT} kept: every decision about
 *       the visitor, with its reason (a decision replayed after a failure is the same member, so it
 *       is recorded once).
 *   <li>{@code sk:campaign-results:{campaign}}: HASH of counters per group ({@code
 *       CampaignCounters} field names), written by the job.
 *   <li>{@code sk:recommendation-results:{day}}: HASH {@code strategy|context|metric} -> counter,
 *       one per UTC day ({@code yyyy-MM-dd}), written by the job.
 *   <li>{@code sk:stats:visitors}: the job's {@link VisitorCensus} (JSON): visitors, customers and
 *       anonymous visitors known now.
 *   <li>{@code sk:stats:revenue-concentration}: the job's {@link RevenueConcentration} (JSON): the
 *       share of revenue the best customers bring.
 *   <li>{@code sk:job:heartbeat}: the running job's {@link JobHeartbeat} (JSON), refreshed every
 *       second, so the API can tell whether the job is up and when it last checkpointed.
 * </ul>
 *
 * A visitor is a customer id, or an anonymous id before the visitor is known.
 */
public final class RedisKeys {
    public static final String PREFIX = "sk:";
    public static final String TRENDING = PREFIX + "trending";

    /**
     * Counter of the visitor events the job is done with: every record it reads from {@link
     * Topics#VISITOR_INPUTS} counts once, whatever became of it (applied to a profile, dropped as a
     * repeat, a late {@code page_leave} or an event already applied that changes nothing,
     * dead-lettered), added by the Redis sink with the flush that writes its effects (or, for one
     * that has none, the next flush). An event replayed into a customer's profile by identity
     * stitching was counted when it arrived and does not count again. Written with every flush, so
     * ahead of the last completed checkpoint: after a restart from it, the events read again count
     * again (the counter then passes the events read).
     */
    public static final String EVENTS_APPLIED = PREFIX + "stats:events-applied";

    public static final String JOB_HEARTBEAT = PREFIX + "job:heartbeat";
    public static final String VISITOR_CENSUS = PREFIX + "stats:visitors";
    public static final String REVENUE_CONCENTRATION = PREFIX + "stats:revenue-concentration";

    private RedisKeys() {}

    public static String profile(String visitorId) {
        return PREFIX + "profile:" + visitorId;
    }

    public static String recommendations(String visitorId) {
        return PREFIX + "recs:" + visitorId;
    }

    public static String similarItems(String itemId) {
        return PREFIX + "similar:" + itemId;
    }

    public static String trending() {
        return TRENDING;
    }

    public static String trendingInCategory(String categoryId) {
        return TRENDING + ":cat:" + categoryId;
    }

    public static final String CATALOG = PREFIX + "catalog";
    public static final String CATALOG_CHANGES = PREFIX + "catalog:changes";

    /** Entries kept in {@link #CATALOG_CHANGES} (approximately; older ones are trimmed). */
    public static final int CATALOG_CHANGES_KEPT = 100_000;

    public static String boughtTogether(String itemId) {
        return PREFIX + "bought-together:" + itemId;
    }

    private static final String LIST_VERSION = PREFIX + "list-version:";
    private static final String SIMILAR = PREFIX + "similar:";
    private static final String BOUGHT_TOGETHER = PREFIX + "bought-together:";

    /**
     * The key of the {@link ListVersion} of the shared list at {@code listKey} (trending overall
     * and per category, similar items, bought together), or null when {@code listKey} is not a
     * shared list: the job writes it whenever it writes such a list, so that readers can check a
     * list has changed without reading it.
     */
    public static String listVersion(String listKey) {
        boolean shared =
                listKey.startsWith(TRENDING)
                                && (listKey.length() == TRENDING.length()
                                        || listKey.startsWith(":cat:", TRENDING.length()))
                        || listKey.startsWith(SIMILAR)
                        || listKey.startsWith(BOUGHT_TOGETHER);
        return shared ? LIST_VERSION + listKey.substring(PREFIX.length()) : null;
    }

    public static String alias(String anonymousId) {
        return PREFIX + "alias:" + anonymousId;
    }

    public static String memberships(String visitorId) {
        return PREFIX + "memberships:" + visitorId;
    }

    public static String segmentMembers(String segment) {
        return PREFIX + "segment:" + segment;
    }

    public static String segmentDefinitions() {
        return PREFIX + "segment-definitions";
    }

    public static String forgotten(String visitorId) {
        return PREFIX + "forgotten:" + visitorId;
    }

    public static final String CAMPAIGNS = PREFIX + "campaigns";

    /** Decisions kept per visitor in {@link #offerHistory}. */
    public static final int OFFER_HISTORY_KEPT = 100;

    public static String offers(String visitorId) {
        return PREFIX + "offers:" + visitorId;
    }

    public static String offerHistory(String visitorId) {
        return PREFIX + "offer-history:" + visitorId;
    }

    public static String campaignResults(String campaignId) {
        return PREFIX + "campaign-results:" + campaignId;
    }

    /** {@code day} is a UTC date, {@code yyyy-MM-dd}. */
    public static String recommendationResults(String day) {
        return PREFIX + "recommendation-results:" + day;
    }

    public static String item(String itemId) {
        return PREFIX + "item:" + itemId;
    }
}
