package io.shopkeeper.api.segments;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shopkeeper.api.store.CustomerStore;
import io.shopkeeper.api.store.CustomerStore.MemberPage;
import io.shopkeeper.api.store.CustomerStore.SegmentDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The segments the job evaluates, with their live sizes, and their members page by page.
 * Definitions come from the job ({@code sk:segment-definitions}); a segment it does not declare is
 * unknown, even if members are stored under its name.
 */
public final class SegmentService {
    private final CustomerStore store;

    public SegmentService(CustomerStore store) {
        this.store = store;
    }

    /**
     * One segment as served. {@code description} and {@code condition} are left out when the job
     * gave none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Segment(String name, String description, String condition, long size) {}

    public record Segments(List<Segment> segments) {}

    public record Members(String segment, List<String> members, String nextCursor) {}

    /**
     * Every declared segment with its current size: two round trips (definitions, then pipelined
     * sizes).
     */
    public Segments segments() {
        List<SegmentDefinition> definitions = store.segmentDefinitions();
        Map<String, Long> sizes =
                store.segmentSizes(
                        definitions.stream().map(SegmentDefinition::name).distinct().toList());
        return new Segments(
                definitions.stream()
                        .map(
                                d ->
                                        new Segment(
                                                d.name(),
                                                d.description(),
                                                d.condition(),
                                                sizes.getOrDefault(d.name(), 0L)))
                        .toList());
    }

    /** One page of the members of {@code segment}; empty when the job declares no such segment. */
    public Optional<Members> members(String segment, String cursor, int count) {
        boolean known = store.segmentDefinitions().stream().anyMatch(d -> d.name().equals(segment));
        if (!known) {
            return Optional.empty();
        }
        MemberPage page = store.segmentMembers(segment, cursor, count);
        return Optional.of(
                new Members(segment, page.members().stream().sorted().toList(), page.nextCursor()));
    }
}
