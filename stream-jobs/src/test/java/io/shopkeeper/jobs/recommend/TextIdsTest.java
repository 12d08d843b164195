package io.shopkeeper.jobs.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TextIds}: one id per text whether added as a String or as bytes, and {@link TextIds#find}
 * finds exactly the texts that have one, across growth and {@link TextIds#clear}.
 */
class TextIdsTest {

    @Test
    void findFindsTheIdOfEachTextAddedAndNoOther() {
        Random random = new Random(5);
        TextIds ids = new TextIds();
        Map<String, Integer> expected = new HashMap<>();
        for (int round = 0; round < 40; round++) {
            ids.clear();
            expected.clear();
            int n = 1 + random.nextInt(round < 20 ? 50 : 2_000);
            for (int i = 0; i < n; i++) {
                String text = Integer.toString(random.nextInt(3 * n));
                int id;
                if (random.nextBoolean()) {
                    id = ids.idOf(text);
                } else {
                    byte[] bytes = ("xx" + text).getBytes(StandardCharsets.ISO_8859_1);
                    id = ids.idOf(bytes, 2, text.length(), text.hashCode());
                }
                assertThat(expected.computeIfAbsent(text, t -> id)).isEqualTo(id);
            }
            assertThat(ids.size()).isEqualTo(expected.size());
            for (int t = 0; t < 3 * n + 5; t++) {
                String text = Integer.toString(t);
                assertThat(ids.find(text)).as(text).isEqualTo(expected.getOrDefault(text, -1));
                if (expected.containsKey(text))
                    assertThat(ids.text(ids.find(text))).isEqualTo(text);
            }
            // found, not added
            assertThat(ids.find("never")).isEqualTo(-1);
            assertThat(ids.size()).isEqualTo(expected.size());
        }
    }
}
