package io.shopkeeper.api.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.RevenueConcentration;
import io.shopkeeper.schemas.VisitorCensus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link CustomerStore} on Redis, reading the key layout of {@link RedisKeys}; several reads of one
 * call go in one pipeline. Shares the connection pool of the API (does not close it).
 */
public final class RedisCustomerStore implements CustomerStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCustomerStore.class);

    private final JedisPooled redis;

    public RedisCustomerStore(JedisPooled redis) {
        this.redis = redis;
    }

    @Override
    public VisitorRecord visitor(String visitorId) {
        try (var pipeline = redis.pipelined()) {
            Response<String> profile = pipeline.get(RedisKeys.profile(visitorId));
            Response<Set<String>> segments = pipeline.smembers(RedisKeys.memberships(visitorId));
            Response<String> alias = pipeline.get(RedisKeys.alias(visitorId));
            pipeline.sync();
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
            json = redis.get(key);
        } catch (JedisException e) {
            throw unavailable(e);
        }
        return json == null ? List.of() : parseDefinitions(key, json);
    }

    @Override
    public Map<String, Long> segmentSizes(List<String> segments) {
        if (segments.isEmpty()) return Map.of();
        try (var pipeline = redis.pipelined()) {
            Map<String, Response<Long>> sizes = new LinkedHashMap<>();
            for (String segment : segments) {
                sizes.put(segment, pipeline.scard(RedisKeys.segmentMembers(segment)));
            }
            pipeline.sync();
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
                    redis.sscan(
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
        try (var pipeline = redis.pipelined()) {
            Response<String> forgotten = pipeline.get(forgottenKey);
            Response<Long> present =
                    pipeline.exists(
                            RedisKeys.profile(visitorId), RedisKeys.recommendations(visitorId));
            pipeline.sync();
            return new DeletionRecord(
                    parseMillis(forgottenKey, forgotten.get()), present.get() > 0);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public StoreFigures storeFigures() {
        try (var pipeline = redis.pipelined()) {
            Response<String> applied = pipeline.get(RedisKeys.EVENTS_APPLIED);
            Response<String> census = pipeline.get(RedisKeys.VISITOR_CENSUS);
            Response<String> revenue = pipeline.get(RedisKeys.REVENUE_CONCENTRATION);
            pipeline.sync();
            return new StoreFigures(
                    parseCount(RedisKeys.EVENTS_APPLIED, applied.get()),
                    parseJson(RedisKeys.VISITOR_CENSUS, census.get(), VisitorCensus.class),
                    parseJson(
                            RedisKeys.REVENUE_CONCENTRATION,
                            revenue.get(),
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
