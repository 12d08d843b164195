package io.shopkeeper.api.store;

import io.shopkeeper.schemas.RedisKeys;
import io.shopkeeper.schemas.redis.NodePipelines;
import io.shopkeeper.schemas.redis.ShopRedis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link OfferStore} on Redis, in the key layout of {@link RedisKeys}. The campaign compare-and-set
 * is a Lua script reading the stored definition's {@code version}, so two concurrent changes of one
 * campaign cannot both win (one key: it runs on that key's node on a Redis Cluster too). Shares the
 * API's connections (does not close them).
 */
public final class RedisOfferStore implements OfferStore {
    private static final String CAS =
            """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            local version = 0
            if current then version = tonumber(cjson.decode(current)['version']) or 0 end
            if version ~= tonumber(ARGV[2]) then return 0 end
            if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1])
            else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
            return 1
            """;

    private static final String PROFILE_PATTERN = RedisKeys.profile("*");

    private final ShopRedis redis;

    public RedisOfferStore(ShopRedis redis) {
        this.redis = redis;
    }

    @Override
    public List<String> campaigns() {
        try {
            return new ArrayList<>(redis.commands().hvals(RedisKeys.CAMPAIGNS));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public String campaign(String id) {
        try {
            return redis.commands().hget(RedisKeys.CAMPAIGNS, id);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean compareAndSetCampaign(String id, long expectedVersion, String json) {
        try {
            Object stored =
                    redis.commands()
                            .eval(
                                    CAS,
                                    List.of(RedisKeys.CAMPAIGNS),
                                    List.of(
                                            id,
                                            Long.toString(expectedVersion),
                                            json == null ? "" : json));
            return Long.valueOf(1).equals(stored);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public VisitorOffers visitorOffers(String visitorId) {
        String offersKey = RedisKeys.offers(visitorId);
        String aliasKey = RedisKeys.alias(visitorId);
        String listKey = RedisKeys.recommendations(visitorId);
        try (NodePipelines pipelines = redis.pipelines()) {
            Response<List<String>> offers = pipelines.forKey(offersKey).hvals(offersKey);
            Response<String> alias = pipelines.forKey(aliasKey).get(aliasKey);
            Response<String> recs = pipelines.forKey(listKey).get(listKey);
            pipelines.sync();
            return new VisitorOffers(offers.get(), alias.get(), recs.get());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<String> history(String visitorId, int max) {
        try {
            return redis.commands().zrevrange(RedisKeys.offerHistory(visitorId), 0, max - 1);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Map<String, String> campaignCounters(String campaignId) {
        try {
            return redis.commands().hgetAll(RedisKeys.campaignResults(campaignId));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Map<String, Map<String, String>> recommendationCounters(List<String> days) {
        try (NodePipelines pipelines = redis.pipelines()) {
            Map<String, Response<Map<String, String>>> responses = new LinkedHashMap<>();
            for (String day : days) {
                String key = RedisKeys.recommendationResults(day);
                responses.put(day, pipelines.forKey(key).hgetAll(key));
            }
            pipelines.sync();
            Map<String, Map<String, String>> result = new LinkedHashMap<>();
            responses.forEach((day, r) -> result.put(day, r.get()));
            return result;
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ProfilePage profiles(String cursor, int count) {
        try {
            ScanResult<String> page =
                    redis.scan(cursor, new ScanParams().match(PROFILE_PATTERN).count(count));
            List<String> keys = page.getResult();
            List<String> profiles =
                    keys.isEmpty()
                            ? List.of()
                            : redis.get(keys.toArray(String[]::new)).stream()
                                    .filter(Objects::nonNull)
                                    .toList();
            return new ProfilePage(profiles, page.getCursor());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    private static StoreUnavailableException unavailable(JedisException e) {
        return new StoreUnavailableException("redis is unavailable: " + e.getMessage(), e);
    }
}
