package io.shopkeeper.jobs.profile;

import io.shopkeeper.jobs.items.ItemMessage;
import io.shopkeeper.jobs.recommend.ItemUpdate;
import io.shopkeeper.jobs.recommend.SessionRecommender;
import io.shopkeeper.jobs.segments.SegmentChange;
import io.shopkeeper.jobs.sink.RedisWrite;
import io.shopkeeper.jobs.visitor.ForgetVisitor;
import io.shopkeeper.jobs.visitor.RankingRequest;
import io.shopkeeper.schemas.EventType;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.RedisKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The small functions that turn a {@link ProfileUpdate} into each of the profile operator's
 * outputs: Redis writes, segment changes, item-model messages, forget requests. Each is a static
 * method (used by tests and replays) and a {@link FlatMapFunction} for the topology.
 */
public final class ProfileOutputs {
    private ProfileOutputs() {}

    /**
     * Redis: segment set changes, then the profile (or, for a visitor merged away or forgotten, the
     * deletions, the alias and the confirmation).
     */
    public static List<RedisWrite> redisWrites(ProfileUpdate update) {
        List<RedisWrite> writes = new ArrayList<>();
        String visitor = update.getVisitorId();
        for (SegmentChange change : update.getSegmentChanges()) {
            if (change.isJoined()) {
                writes.add(
                        RedisWrite.setAdd(RedisKeys.segmentMembers(change.getSegment()), visitor));
                writes.add(RedisWrite.setAdd(RedisKeys.memberships(visitor), change.getSegment()));
            } else {
                writes.add(
                        RedisWrite.setRemove(
                                RedisKeys.segmentMembers(change.getSegment()), visitor));
                writes.add(
                        RedisWrite.setRemove(RedisKeys.memberships(visitor), change.getSegment()));
            }
        }
        switch (update.getKind()) {
            case MERGED_AWAY -> {
                writes.add(RedisWrite.delete(RedisKeys.profile(visitor)));
                writes.add(RedisWrite.text(RedisKeys.alias(visitor), update.getMergedInto()));
            }
            case FORGOTTEN -> {
                writes.add(RedisWrite.delete(RedisKeys.profile(visitor)));
                for (String alias : update.getAliases()) {
                    writes.add(RedisWrite.delete(RedisKeys.alias(alias)));
                    writes.add(RedisWrite.delete(RedisKeys.profile(alias)));
                }
                if (update.isConfirm())
                    writes.add(
                            RedisWrite.text(
                                    RedisKeys.forgotten(visitor),
                                    Long.toString(System.currentTimeMillis())));
            }
            default -> {
                ProfileDocument document =
                        update.getDocument() != null
                                ? update.getDocument()
                                : ProfileDocuments.of(update.getProfile());
                RedisWrite profile = RedisWrite.profile(RedisKeys.profile(visitor), document);
                profile.setEventsApplied(update.eventsApplied());
                writes.add(profile);
            }
        }
        return writes;
    }

    /**
     * Every segment join and leave, for the segment-changes topic. A profile merged away leaves its
     * segments in Redis only: the customer's profile carries the visitor on.
     */
    public static List<SegmentChange> segmentChanges(ProfileUpdate update) {
        return update.getKind() == ProfileUpdate.Kind.MERGED_AWAY
                ? List.of()
                : update.getSegmentChanges();
    }

    /**
     * For a live view or cart: the learning steps the session implies, grouped by the item whose
     * model they change, and the visitor's recommendation request routed through the item just seen
     * (whose model attaches its neighbours). For a live order: the request alone, so what was just
     * bought leaves the visitor's list now, not at their next view.
     */
    public static List<ItemMessage> itemMessages(
            ProfileUpdate update, SessionRecommender recommender) {
        if (update.getKind() != ProfileUpdate.Kind.EVENT || !update.isLive()) return List.of();
        CustomerProfile profile = update.getProfile();
        EventType type = update.getEvent().getType();
        if (type == EventType.PRODUCT_VIEW || type == EventType.ADD_TO_CART) {
            return itemMessages(update, recommender, update.getEvent().getItemId(), true);
        }
        if (type == EventType.ORDER_PLACED && !profile.getSessionItems().isEmpty()) {
            List<String> session = profile.getSessionItems();
            return itemMessages(update, recommender, session.get(session.size() - 1), false);
        }
        return List.of();
    }

    private static List<ItemMessage> itemMessages(
            ProfileUpdate update, SessionRecommender recommender, String itemId, boolean learn) {
        CustomerProfile profile = update.getProfile();
        String visitor = update.getVisitorId();
        long at = update.getAt();
        Map<String, ItemMessage> byItem = new LinkedHashMap<>();
        String sessionId = visitor + "/" + profile.getCurrentSessionId();
        if (learn) {
            for (ItemUpdate step :
                    recommender.updatesFor(sessionId, new ArrayList<>(profile.getSessionItems()))) {
                byItem.computeIfAbsent(step.getItemId(), item -> new ItemMessage(item, at))
                        .getUpdates()
                        .add(step);
            }
        }
        RankingRequest request =
                new RankingRequest(
                        visitor,
                        new ArrayList<>(profile.getSessionItems()),
                        new ArrayList<>(profile.getPurchasedItems()),
                        at);
        request.setSessionId(sessionId);
        if (profile.getCustomerId() != null)
            request.setAliases(new ArrayList<>(profile.getAnonymousIds()));
        byItem.computeIfAbsent(itemId, item -> new ItemMessage(item, at)).setRequest(request);
        return new ArrayList<>(byItem.values());
    }

    /** For a forgotten visitor: the instruction for the recommendation operator to forget them. */
    public static List<ForgetVisitor> forgetRequests(ProfileUpdate update) {
        if (update.getKind() != ProfileUpdate.Kind.FORGOTTEN) return List.of();
        return List.of(
                new ForgetVisitor(
                        update.getVisitorId(),
                        new ArrayList<>(update.getAliases()),
                        update.getAt()));
    }

    /** {@link #redisWrites} as a topology step. */
    public static final class ToRedisWrites implements FlatMapFunction<ProfileUpdate, RedisWrite> {
        @Override
        public void flatMap(ProfileUpdate update, Collector<RedisWrite> out) {
            for (RedisWrite write : redisWrites(update)) out.collect(write);
        }
    }

    /** {@link #segmentChanges} as a topology step. */
    public static final class ToSegmentChanges
            implements FlatMapFunction<ProfileUpdate, SegmentChange> {
        @Override
        public void flatMap(ProfileUpdate update, Collector<SegmentChange> out) {
            for (SegmentChange change : segmentChanges(update)) out.collect(change);
        }
    }

    /** {@link #itemMessages} as a topology step. */
    public static final class ToItemMessages
            implements FlatMapFunction<ProfileUpdate, ItemMessage> {
        private final SessionRecommender recommender;

        public ToItemMessages(SessionRecommender recommender) {
            this.recommender = recommender;
        }

        @Override
        public void flatMap(ProfileUpdate update, Collector<ItemMessage> out) {
            for (ItemMessage message : itemMessages(update, recommender)) out.collect(message);
        }
    }

    /** {@link #forgetRequests} as a topology step. */
    public static final class ToForgetRequests
            implements FlatMapFunction<ProfileUpdate, ForgetVisitor> {
        @Override
        public void flatMap(ProfileUpdate update, Collector<ForgetVisitor> out) {
            for (ForgetVisitor forget : forgetRequests(update)) out.collect(forget);
        }
    }
}
