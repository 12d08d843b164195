package io.shopkeeper.bench;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.RecommendationList;
import io.shopkeeper.schemas.RecommendationListCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Redis memory figures: {@code used_memory}, and {@code MEMORY USAGE} over a sample of keys of one
 * pattern.
 */
final class RedisMemory {
    private RedisMemory() {}

    static long usedMemory(JedisPooled redis) {
        return infoField(redis, "memory", "used_memory");
    }

    static long infoField(JedisPooled redis, String section, String field) {
        String info =
                new String(
                        (byte[]) redis.sendCommand(Protocol.Command.INFO, section),
                        StandardCharsets.UTF_8);
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":"))
                return Long.parseLong(line.substring(field.length() + 1).trim());
        }
        return -1;
    }

    /** Counts keys per prefix ({@code sk:recs:}, ...) by scanning the whole keyspace. */
    static Map<String, Long> keysByPrefix(JedisPooled redis, List<String> prefixes) {
        Map<String, Long> counts = new LinkedHashMap<>();
        prefixes.forEach(p -> counts.put(p, 0L));
        counts.put("other", 0L);
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().count(10_000);
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                String bucket = "other";
                for (String p : prefixes) {
                    if (key.startsWith(p)) {
                        bucket = p;
                        break;
                    }
                }
                counts.merge(bucket, 1L, Long::sum);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return counts;
    }

    /**
     * {@code MEMORY USAGE} (bytes, including Redis' own overhead) and value length of up to {@code
     * sample} keys matching {@code pattern}.
     */
    static Map<String, Object> sample(JedisPooled redis, String pattern, int sample) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(5_000);
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                if (keys.size() < sample) keys.add(key);
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && keys.size() < sample);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pattern", pattern);
        m.put("sampled", keys.size());
        if (keys.isEmpty()) return m;
        long[] usage = new long[keys.size()];
        long[] length = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            Long u = redis.memoryUsage(keys.get(i), 0);
            usage[i] = u == null ? 0 : u;
            length[i] = redis.strlen(keys.get(i));
        }
        Arrays.sort(usage);
        Arrays.sort(length);
        m.put("memoryUsageMeanBytes", Results.round(Arrays.stream(usage).average().orElse(0), 1));
        m.put("memoryUsageP50Bytes", usage[usage.length / 2]);
        m.put(
                "memoryUsageP99Bytes",
                usage[(int) Math.min(usage.length - 1, Math.floor(usage.length * 0.99))]);
        m.put("memoryUsageMaxBytes", usage[usage.length - 1]);
        m.put("valueLengthMeanBytes", Results.round(Arrays.stream(length).average().orElse(0), 1));
        m.put("valueLengthMaxBytes", length[length.length - 1]);
        return m;
    }

    /**
     * The same sampled lists in their stored form and in the object form written before it ({@link
     * RecommendationListCodec}): mean value lengths and items per list, a same-data ratio.
     */
    static Map<String, Object> listForms(JedisPooled redis, String pattern, int sample)
            throws java.io.IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        long stored = 0, objectForm = 0, items = 0, lists = 0;
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(5_000);
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                if (lists == sample) break;
                String value = redis.get(key);
                if (value == null) continue;
                RecommendationList list = RecommendationListCodec.decode(value);
                stored += value.getBytes(StandardCharsets.UTF_8).length;
                objectForm +=
                        EventCodec.encodeToString(list).getBytes(StandardCharsets.UTF_8).length;
                items += list.getItems().size();
                lists++;
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START) && lists < sample);
        m.put("sampled", lists);
        if (lists == 0) return m;
        m.put("itemsPerListMean", Results.round((double) items / lists, 1));
        m.put("storedValueLengthMeanBytes", Results.round((double) stored / lists, 1));
        m.put("objectFormValueLengthMeanBytes", Results.round((double) objectForm / lists, 1));
        return m;
    }
}
