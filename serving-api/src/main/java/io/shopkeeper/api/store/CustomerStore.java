package io.shopkeeper.api.store;

import io.shopkeeper.schemas.RevenueConcentration;
import io.shopkeeper.schemas.VisitorCensus;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read access to what the streaming job keeps about each visitor and segment: profiles, segment
 * memberships, anonymous-to-customer aliases, segment definitions and members, and deletion
 * confirmations. Same contract as {@link RecommendationStore}: each method costs one round trip to
 * the backing store; a stored value that cannot be parsed counts as absent (logged); an unreachable
 * store throws {@link StoreUnavailableException}.
 */
public interface CustomerStore {

    /**
     * Everything stored under one visitor id, read together.
     *
     * @param profileJson the profile document as the job stored it, unparsed; {@code null} when
     *     none
     * @param segments the segments the visitor is in now; empty when none
     * @param aliasOf the customer id this (anonymous) id was stitched to; {@code null} when none
     */
    record VisitorRecord(String profileJson, Set<String> segments, String aliasOf) {}

    /**
     * One segment the job evaluates, as it declares it. {@code description}, {@code condition} may
     * be null.
     */
    record SegmentDefinition(String name, String description, String condition) {}

    /** One page of a segment's members; {@code nextCursor} is {@code "0"} after the last page. */
    record MemberPage(List<String> members, String nextCursor) {}

    /**
     * What is left of a visitor: when the job confirmed forgetting it (epoch millis, {@code null}
     * if it has not) and whether a profile or recommendations are still stored under the id.
     */
    record DeletionRecord(Long forgottenAt, boolean dataPresent) {}

    /** The visitor's profile, segment memberships and alias target. */
    VisitorRecord visitor(String visitorId);

    /** The segment definitions the job declared, in its order; empty when it declared none yet. */
    List<SegmentDefinition> segmentDefinitions();

    /**
     * The current number of members of each named segment (0 for an empty or unknown one), by name.
     */
    Map<String, Long> segmentSizes(List<String> segments);

    /**
     * One page of a segment's members from {@code cursor} ({@code "0"}: the start). Redis SCAN
     * semantics: {@code count} is a hint, so a page may hold more or fewer members, even none
     * before the end; a member present during the whole scan is returned at least once.
     */
    MemberPage segmentMembers(String segment, String cursor, int count);

    /** The deletion state of a visitor id. */
    DeletionRecord deletion(String visitorId);

    /** The job's store-wide figures, read in one round trip. */
    StoreFigures storeFigures();

    /**
     * @param eventsApplied how many visitor events the job has applied so far (0 before any)
     * @param census the visitors known now; null before the job published it
     * @param revenue the revenue concentration (20/80 view); null before the first order
     */
    record StoreFigures(long eventsApplied, VisitorCensus census, RevenueConcentration revenue) {}
}
