package io.shopkeeper.jobs.offers;

import io.shopkeeper.schemas.offers.Campaign;
import io.shopkeeper.schemas.offers.Campaign.TriggerType;
import io.shopkeeper.schemas.offers.CampaignCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live campaigns indexed by trigger type, built from the broadcast state (campaign id ->
 * definition JSON, as on the {@code campaigns} topic). Each operator instance keeps one on the heap
 * and rebuilds it when a definition arrives or after a restore; a step that no live campaign's
 * trigger listens to costs a map lookup.
 */
public final class CampaignBook {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignBook.class);

    /** Broadcast state: campaign id -> its latest definition (JSON). */
    public static final MapStateDescriptor<String, String> DEFINITIONS =
            new MapStateDescriptor<>("campaign-definitions", Types.STRING, Types.STRING);

    private final Map<TriggerType, List<Campaign>> byTrigger = new EnumMap<>(TriggerType.class);

    /** The cart campaigns' reminder delays in millis, read once (not at every cart step). */
    private final Map<Campaign, Long> reminderAfter = new IdentityHashMap<>();

    /** The book of these definitions: live ones only (paused, ended, draft ones are left out). */
    public static CampaignBook of(Iterable<Map.Entry<String, String>> definitions) {
        CampaignBook book = new CampaignBook();
        for (Map.Entry<String, String> e : definitions) {
            Campaign c = decode(e.getValue());
            if (c == null || c.status() != Campaign.Status.LIVE) continue;
            book.byTrigger.computeIfAbsent(c.trigger().type(), t -> new ArrayList<>()).add(c);
            if (c.trigger().type() == TriggerType.CART_ABANDONED)
                book.reminderAfter.put(c, reminderAfterOf(c));
        }
        return book;
    }

    /** The definition, or null (logged) when it is not a valid campaign. */
    public static Campaign decode(String json) {
        CampaignCodec.Result r = CampaignCodec.decode(json);
        if (!r.isValid()) {
            LOG.warn("ignoring an invalid campaign definition: {}", r.error());
            return null;
        }
        return r.campaign();
    }

    /**
     * Stores a definition from the topic unless an equal or newer version of it is stored: the
     * broadcast side of every operator that reads campaigns. Invalid ones are ignored (logged).
     *
     * @return whether the stored definitions changed
     */
    public static boolean store(BroadcastState<String, String> state, String json)
            throws Exception {
        Campaign c = decode(json);
        if (c == null) return false;
        String stored = state.get(c.id());
        Campaign previous = stored == null ? null : decode(stored);
        if (previous != null && previous.version() >= c.version()) return false;
        state.put(c.id(), json);
        return true;
    }

    /** The live campaigns of a trigger type; empty when none. */
    public List<Campaign> listening(TriggerType type) {
        return byTrigger.getOrDefault(type, List.of());
    }

    public boolean listens(TriggerType type) {
        return byTrigger.containsKey(type);
    }

    public boolean isEmpty() {
        return byTrigger.isEmpty();
    }

    /**
     * How long after a cart step a cart campaign of this book reminds, in millis: its trigger's
     * {@code after}, 30 minutes when it has none.
     */
    public long reminderAfterMillis(Campaign c) {
        Long millis = reminderAfter.get(c);
        return millis != null ? millis : reminderAfterOf(c);
    }

    private static long reminderAfterOf(Campaign c) {
        Duration after = c.trigger().afterDuration();
        return (after == null ? Duration.ofMinutes(30) : after).toMillis();
    }

    /** The live campaign with this id, or null. */
    public Campaign campaign(String id) {
        for (List<Campaign> list : byTrigger.values()) {
            for (Campaign c : list) if (c.id().equals(id)) return c;
        }
        return null;
    }
}
