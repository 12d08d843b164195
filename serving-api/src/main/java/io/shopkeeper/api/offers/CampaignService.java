package io.shopkeeper.api.offers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shopkeeper.api.events.EventPublisher;
import io.shopkeeper.api.events.OutgoingEvent;
import io.shopkeeper.api.events.PublishFailedException;
import io.shopkeeper.api.http.ApiException;
import io.shopkeeper.api.store.CustomerStore;
import io.shopkeeper.api.store.OfferStore;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.Topics;
import io.shopkeeper.schemas.offers.Campaign;
import io.shopkeeper.schemas.offers.Campaign.Status;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import io.shopkeeper.schemas.offers.CampaignCodec;
import io.shopkeeper.schemas.offers.CampaignResults;
import io.shopkeeper.schemas.offers.OfferDecider;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Campaign definitions: create, change, pause, resume, end, preview, results. Every change gets the
 * next version and is published to the compacted {@code campaigns} topic, which the job reads into
 * broadcast state; the API keeps its own view in Redis ({@code sk:campaigns}). A change is stored
 * in Redis first (compare-and-set on the version, so concurrent changes cannot both win), then
 * published; if publishing fails the Redis change is undone and the caller gets 503, so the API's
 * view and the job's never disagree for long.
 */
public final class CampaignService {
    /** Most profiles a preview reads; beyond that the answer says {@code complete: false}. */
    public static final int MAX_PREVIEW_PROFILES = 200_000;

    static final int PREVIEW_PAGE = 1000;
    static final int PREVIEW_EXAMPLES = 10;

    private final OfferStore store;
    private final CustomerStore customers;
    private final EventPublisher publisher;
    private final Clock clock;

    public CampaignService(
            OfferStore store, CustomerStore customers, EventPublisher publisher, Clock clock) {
        this.store = store;
        this.customers = customers;
        this.publisher = publisher;
        this.clock = clock;
    }

    public record Campaigns(List<Campaign> campaigns) {}

    /**
     * How many stored profiles the campaign would consider now (eligible: audience and the coupon
     * rule; before caps and holdout, which depend on each visitor's history).
     */
    public record Preview(
            String campaignId,
            long scanned,
            long eligible,
            Map<String, Long> notEligible,
            boolean complete,
            List<String> examples) {}

    public Campaigns list() {
        List<Campaign> all = new ArrayList<>();
        for (String json : store.campaigns()) {
            CampaignCodec.Result r = CampaignCodec.decode(json);
            if (r.isValid()) all.add(r.campaign());
        }
        all.sort(Comparator.comparing(Campaign::id));
        return new Campaigns(all);
    }

    public Campaign get(String id) {
        String json = store.campaign(id);
        CampaignCodec.Result r = json == null ? null : CampaignCodec.decode(json);
        if (r == null || !r.isValid()) {
            throw ApiException.notFound("no campaign '" + id + "'; see GET /v1/campaigns");
        }
        return r.campaign();
    }

    /** A new campaign at version 1; 409 when the id is taken. */
    public Campaign create(JsonNode body) {
        Campaign c = validate(body, null);
        if (store.campaign(c.id()) != null) {
            throw ApiException.conflict(
                    "campaign '" + c.id() + "' exists; change it with PUT /v1/campaigns/" + c.id());
        }
        return save(c, 0);
    }

    /** A new definition of an existing campaign; its id may be left out of the body. */
    public Campaign replace(String id, JsonNode body) {
        if (body instanceof ObjectNode object && !object.has("id")) {
            object.put("id", id);
        }
        Campaign current = get(id);
        Campaign c = validate(body, id);
        requireNotEnded(current);
        return save(c, current.version());
    }

    public enum Action {
        PAUSE,
        RESUME,
        END
    }

    /**
     * {@code pause}: live to paused; {@code resume}: draft or paused to live; {@code end}: any to
     * ended, for good. Repeating an action is harmless (same answer, no new version).
     */
    public Campaign transition(String id, Action action) {
        Campaign current = get(id);
        Status target =
                switch (action) {
                    case PAUSE -> Status.PAUSED;
                    case RESUME -> Status.LIVE;
                    case END -> Status.ENDED;
                };
        if (current.status() == target) return current;
        if (action != Action.END) requireNotEnded(current);
        if (action == Action.PAUSE && current.status() != Status.LIVE) {
            throw ApiException.conflict(
                    "only a live campaign can be paused; '"
                            + id
                            + "' is "
                            + current.status().wireName());
        }
        return save(current.withStatus(target), current.version());
    }

    public Preview preview(String id) {
        Campaign c = get(id);
        String cursor = "0";
        long scanned = 0;
        long eligible = 0;
        Map<String, Long> notEligible = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        do {
            OfferStore.ProfilePage page = store.profiles(cursor, PREVIEW_PAGE);
            for (String json : page.profiles()) {
                ProfileDocument profile;
                try {
                    profile = ProfileDocument.read(json);
                } catch (IOException e) {
                    continue;
                }
                scanned++;
                String reason = OfferDecider.notEligibleReason(c, ProfileFacts.of(profile));
                if (reason == null) {
                    eligible++;
                    if (examples.size() < PREVIEW_EXAMPLES) {
                        examples.add(profile.getVisitorId());
                    }
                } else {
                    notEligible.merge(reason, 1L, Long::sum);
                }
            }
            cursor = page.nextCursor();
        } while (!"0".equals(cursor) && scanned < MAX_PREVIEW_PROFILES);
        return new Preview(c.id(), scanned, eligible, notEligible, "0".equals(cursor), examples);
    }

    public CampaignResults results(String id) {
        Campaign c = get(id);
        return CampaignResults.from(c.id(), store.campaignCounters(c.id()));
    }

    private Campaign validate(JsonNode body, String pathId) {
        if (body instanceof ObjectNode object) {
            // Server-managed: whatever the client sends is replaced.
            object.remove("version");
            object.remove("updatedAt");
        }
        CampaignCodec.Result r = CampaignCodec.decode(body);
        if (!r.isValid()) throw ApiException.badRequest(r.error());
        Campaign c = r.campaign();
        if (pathId != null && !pathId.equals(c.id())) {
            throw ApiException.badRequest(
                    "id '" + c.id() + "' in the body does not match '" + pathId + "' in the path");
        }
        if (c.trigger().type() == TriggerType.SEGMENT_JOINED) {
            var segments = customers.segmentDefinitions();
            if (!segments.isEmpty()
                    && segments.stream().noneMatch(s -> s.name().equals(c.trigger().segment()))) {
                throw ApiException.badRequest(
                        "trigger.segment '"
                                + c.trigger().segment()
                                + "' is not a segment the job evaluates; see GET /v1/segments");
            }
        }
        return c;
    }

    private static void requireNotEnded(Campaign current) {
        if (current.status() == Status.ENDED) {
            throw ApiException.conflict(
                    "campaign '" + current.id() + "' has ended; create a new one instead");
        }
    }

    /** Redis first (compare-and-set), then the topic; undone in Redis if publishing fails. */
    private Campaign save(Campaign c, long currentVersion) {
        Campaign stored = c.withVersion(currentVersion + 1, clock.instant());
        String json = CampaignCodec.encode(stored);
        String previous = currentVersion == 0 ? null : store.campaign(c.id());
        if (!store.compareAndSetCampaign(c.id(), currentVersion, json)) {
            throw ApiException.conflict(
                    "campaign '" + c.id() + "' was changed concurrently; read it again and retry");
        }
        try {
            publisher.publishAll(
                    List.of(
                            new OutgoingEvent(
                                    Topics.CAMPAIGNS,
                                    c.id(),
                                    json.getBytes(StandardCharsets.UTF_8))));
        } catch (PublishFailedException e) {
            store.compareAndSetCampaign(c.id(), stored.version(), previous);
            throw e;
        }
        return stored;
    }
}
