package io.shopkeeper.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.RevenueConcentration;
import io.shopkeeper.schemas.VisitorCensus;
import io.shopkeeper.schemas.redis.NodePipelines;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link CustomerStore} on Redis ({@link ShopRedis}: one server or a Redis Cluster), reading the
 * key layout of {@link RedisKeys}; several reads of one call go in one round trip (one pipeline,
 * one per node on a cluster). Shares the connections of the API (does not close them).
 */
public final class RedisCustomerStore implements CustomerStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCustomerStore.class);

    private final ShopRedis redis;

    public RedisCustomerStore(ShopRedis redis) {
        this.redis = redis;
    }

    @Override
    public VisitorRecord visitor(String visitorId) {
        String profileKey = RedisKeys.profile(visitorId);
        String membershipsKey = RedisKeys.memberships(visitorId);
        String aliasKey = RedisKeys.alias(visitorId);
        try (NodePipelines pipelines = redis.pipelines()) {
            Response<String> profile = pipelines.forKey(profileKey).get(profileKey);
            Response<Set<String>> segments =
                    pipelines.forKey(membershipsKey).smembers(membershipsKey);
            Response<String> alias = pipelines.forKey(aliasKey).get(aliasKey);
            pipelines.sync();
            return new VisitorRecord(profile.get(), segments.get(), alias.get());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<SegmentDefinition> segmentDefinitions() {
        String key = RedisKeys.segmentDefinitions();
        String json;
        try {
            json = redis.commands().get(key);
        } catch (JedisException e) {
            throw unavailable(e);
        }
        return json == null ? List.of() : parseDefinitions(key, json);
    }

    @Override
    public Map<String, Long> segmentSizes(List<String> segments) {
        if (segments.isEmpty()) return Map.of();
        try (NodePipelines pipelines = redis.pipelines()) {
            Map<String, Response<Long>> sizes = new LinkedHashMap<>();
            for (String segment : segments) {
                String key = RedisKeys.segmentMembers(segment);
                sizes.put(segment, pipelines.forKey(key).scard(key));
            }
            pipelines.sync();
            Map<String, Long> result = new LinkedHashMap<>();
            sizes.forEach((segment, size) -> result.put(segment, size.get()));
            return result;
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public MemberPage segmentMembers(String segment, String cursor, int count) {
        try {
            ScanResult<String> page =
                    redis.commands()
                            .sscan(
                                    RedisKeys.segmentMembers(segment),
                                    cursor,
                                    new ScanParams().count(count));
            return new MemberPage(page.getResult(), page.getCursor());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public DeletionRecord deletion(String visitorId) {
        String forgottenKey = RedisKeys.forgotten(visitorId);
        String profileKey = RedisKeys.profile(visitorId);
        String listKey = RedisKeys.recommendations(visitorId);
        try (NodePipelines pipelines = redis.pipelines()) {
            Response<String> forgotten = pipelines.forKey(forgottenKey).get(forgottenKey);
            // One EXISTS per key: on a cluster they live in different slots.
            Response<Boolean> profile = pipelines.forKey(profileKey).exists(profileKey);
            Response<Boolean> list = pipelines.forKey(listKey).exists(listKey);
            pipelines.sync();
            return new DeletionRecord(
                    parseMillis(forgottenKey, forgotten.get()), profile.get() || list.get());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public StoreFigures storeFigures() {
        try {
            List<String> figures =
                    redis.get(
                            RedisKeys.EVENTS_APPLIED,
                            RedisKeys.VISITOR_CENSUS,
                            RedisKeys.REVENUE_CONCENTRATION);
            return new StoreFigures(
                    parseCount(RedisKeys.EVENTS_APPLIED, figures.get(0)),
                    parseJson(RedisKeys.VISITOR_CENSUS, figures.get(1), VisitorCensus.class),
                    parseJson(
                            RedisKeys.REVENUE_CONCENTRATION,
                            figures.get(2),
                            RevenueConcentration.class));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    private static long parseCount(String key, String value) {
        if (value == null) return 0;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            LOG.warn("ignoring the unreadable {}: {}", key, e.getMessage());
            return 0;
        }
    }

    /** The job's JSON document at {@code key}; absent or unreadable reads as null (logged). */
    private static <T> T parseJson(String key, String json, Class<T> type) {
        if (json == null) return null;
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (IOException e) {
            LOG.warn("ignoring unreadable value at {}: {}", key, e.getMessage());
            return null;
        }
    }

    private static Long parseMillis(String key, String value) {
        if (value == null) return null;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            LOG.warn("ignoring unreadable value at {}: '{}' is not epoch millis", key, value);
            return null;
        }
    }

    /**
     * The job's JSON array; unusable entries (no name) are skipped, an unreadable value reads as
     * empty.
     */
    private static List<SegmentDefinition> parseDefinitions(String key, String json) {
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            LOG.warn("ignoring unreadable value at {}: {}", key, e.getMessage());
            return List.of();
        }
        if (root == null || !root.isArray()) {
            LOG.warn("ignoring unreadable value at {}: not a JSON array", key);
            return List.of();
        }
        List<SegmentDefinition> definitions = new ArrayList<>(root.size());
        for (JsonNode entry : root) {
            String name = text(entry, "name");
            if (name == null) {
                LOG.warn("ignoring a segment definition without a name at {}: {}", key, entry);
                continue;
            }
            definitions.add(
                    new SegmentDefinition(
                            name, text(entry, "description"), text(entry, "condition")));
        }
        return definitions;
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.isObject() ? entry.get(field) : null;
        return value != null && value.isTextual() && !value.textValue().isBlank()
                ? value.textValue()
                : null;
    }

    private static StoreUnavailableException unavailable(JedisException e) {
        return new StoreUnavailableException("redis is unavailable: " + e.getMessage(), e);
    }
}
