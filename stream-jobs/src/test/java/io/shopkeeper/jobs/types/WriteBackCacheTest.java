package io.shopkeeper.jobs.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.junit.jupiter.api.Test;

/** The cache's contract against a keyed state that records every write it receives. */
class WriteBackCacheTest {
    private static final Duration TTL = Duration.ofMinutes(10);

    /** A keyed value state on a map, with the key context that selects its key. */
    private static final class RecordingState implements ValueState<String>, KeyContext {
        final Map<Object, String> values = new HashMap<>();
        final List<String> writes = new ArrayList<>();
        Object key;

        @Override
        public String value() {
            return values.get(key);
        }

        @Override
        public void update(String value) {
            writes.add(key + "=" + value);
            values.put(key, value);
        }

        @Override
        public void clear() {
            values.remove(key);
        }

        @Override
        public void setCurrentKey(Object key) {
            this.key = key;
        }

        @Override
        public Object getCurrentKey() {
            return key;
        }
    }

    private final RecordingState state = new RecordingState();

    private WriteBackCache<String, String> cache(int capacity) {
        WriteBackCache<String, String> cache =
                new WriteBackCache<>(state, capacity, v -> new String(v), TTL);
        cache.setKeyContext(state);
        return cache;
    }

    private void store(WriteBackCache<String, String> cache, String key, String value, long now)
            throws Exception {
        state.setCurrentKey(key);
        cache.store(key, value, now);
    }

    @Test
    void aValueChangedTwiceIsWrittenOnceAtTheWriteBackAndNotAgainAtTheNext() throws Exception {
        WriteBackCache<String, String> cache = cache(10);
        store(cache, "a", "a1", 0);
        store(cache, "a", "a2", 1);
        store(cache, "b", "b1", 2);
        assertThat(state.writes).isEmpty();

        cache.writeBack(3);
        assertThat(state.writes).containsExactlyInAnyOrder("a=a2", "b=b1");
        assertThat(state.key).as("the current key is restored").isEqualTo("b");

        cache.writeBack(4);
        assertThat(state.writes).as("nothing changed since").hasSize(2);

        store(cache, "b", "b2", 5);
        cache.writeBack(6);
        assertThat(state.writes).containsExactlyInAnyOrder("a=a2", "b=b1", "b=b2");
    }

    @Test
    void theLeastRecentlyUsedChangedValueIsWrittenWhenEvictedAndAnUnchangedOneIsNot()
            throws Exception {
        WriteBackCache<String, String> cache = cache(2);
        store(cache, "a", "a1", 0);
        store(cache, "b", "b1", 1);
        cache.writeBack(2); // both clean now
        store(cache, "b", "b2", 3); // b dirty and most recent; a clean and eldest
        store(cache, "c", "c1", 4); // evicts a: clean, no write
        assertThat(state.writes).containsExactly("a=a1", "b=b1");
        store(cache, "d", "d1", 5); // evicts b: dirty, written
        assertThat(state.writes).containsExactly("a=a1", "b=b1", "b=b2");
        assertThat(state.key).isEqualTo("d");
        assertThat(cache.size()).isEqualTo(2);

        cache.writeBack(6);
        assertThat(state.writes).containsExactly("a=a1", "b=b1", "b=b2", "c=c1", "d=d1");
    }

    @Test
    void aLoadIsACopyOfTheCachedValueAndAPeekTheValueItself() throws Exception {
        WriteBackCache<String, String> cache = cache(10);
        store(cache, "a", "a1", 0);
        String loaded = cache.load("a", 1);
        assertThat(loaded).isEqualTo("a1").isNotSameAs(cache.peek("a", 1));
        assertThat(cache.peek("a", 1)).isSameAs(cache.peek("a", 2));
    }

    @Test
    void aValueStoredTtlAgoExpiresInTheCacheAndIsNotWrittenBack() throws Exception {
        WriteBackCache<String, String> cache = cache(10);
        store(cache, "a", "a1", 0);
        store(cache, "b", "b1", TTL.toMillis() / 2);

        state.setCurrentKey("a");
        assertThat(cache.peek("a", TTL.toMillis())).as("expired, and the state has none").isNull();
        cache.writeBack(TTL.toMillis());
        assertThat(state.writes).containsExactly("b=b1");

        store(cache, "b", "b2", TTL.toMillis() + 1);
        cache.writeBack(TTL.toMillis() * 2);
        assertThat(state.writes).as("b2 was stored TTL - 1 ago").containsExactly("b=b1", "b=b2");
        store(cache, "c", "c1", TTL.toMillis() * 2);
        cache.writeBack(TTL.toMillis() * 3);
        assertThat(state.writes).as("c1 expired before its write-back").hasSize(2);
        assertThat(cache.size()).as("and left the cache").isEqualTo(1);
    }

    @Test
    void clearingAChangedValueDropsItFromTheNextWriteBack() throws Exception {
        WriteBackCache<String, String> cache = cache(10);
        store(cache, "a", "a1", 0);
        store(cache, "b", "b1", 0);
        state.setCurrentKey("a");
        cache.clear("a");
        cache.writeBack(1);
        assertThat(state.writes).containsExactly("b=b1");
        assertThat(state.values).doesNotContainKey("a");
    }

    @Test
    void withoutAKeyContextItWritesThrough() throws Exception {
        WriteBackCache<String, String> cache = new WriteBackCache<>(state, 10, String::new, TTL);
        state.setCurrentKey("a");
        cache.store("a", "a1", 0);
        assertThat(state.writes).containsExactly("a=a1");
        assertThat(cache.load("a", 1)).isEqualTo("a1");
    }
}
