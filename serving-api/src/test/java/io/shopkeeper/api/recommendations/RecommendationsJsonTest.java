package io.shopkeeper.api.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.schemas.EventCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The streaming writer writes exactly the text the mapper writes for the same answer. */
class RecommendationsJsonTest {

    @Test
    void writesTheMappersTextForRandomAnswers() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 2_000; i++) {
            Recommendations answer = randomAnswer(rnd);
            assertThat(RecommendationsJson.write(answer))
                    .as("answer %d", i)
                    .isEqualTo(EventCodec.mapper().writeValueAsString(answer));
            assertThat(sent(answer)).as("answer %d", i).isEqualTo(textsBytes(answer));
        }
    }

    @Test
    void writesTheMappersTextForEdgeCases() throws Exception {
        List<Recommendations> answers =
                List.of(
                        new Recommendations(null, null, null, null, null, null, false),
                        new Recommendations("id", "c", "home", "none", List.of(), null, true),
                        new Recommendations(
                                "id~home~trending",
                                "quote\" back\\slash \u0001 tab\t é 😀",
                                "product",
                                "personalized+trending",
                                java.util.Arrays.asList(
                                        new RecommendedItem("i1", Double.NaN, null),
                                        null,
                                        new RecommendedItem(
                                                "i2", Double.POSITIVE_INFINITY, "pinned"),
                                        new RecommendedItem(null, -0.0, "</script>"),
                                        new RecommendedItem("i3", 1e-7, "similar_to:i1"),
                                        new RecommendedItem("i4", 123456789.125, "trending")),
                                Instant.parse("2026-11-22T10:15:30Z"),
                                false),
                        new Recommendations(
                                "x",
                                "y",
                                "cart",
                                "s",
                                List.of(new RecommendedItem("i", 0.1234, "r")),
                                Instant.ofEpochSecond(1_795_000_000L, 123_456_789),
                                true));
        for (Recommendations answer : answers) {
            assertThat(RecommendationsJson.write(answer))
                    .isEqualTo(EventCodec.mapper().writeValueAsString(answer));
            assertThat(sent(answer)).isEqualTo(textsBytes(answer));
        }
    }

    /** The bytes sent are the text's in UTF-8, whatever the characters (surrogates included). */
    @Test
    void sendsTheTextsUtf8Bytes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(12);
        String[] odd = {
            "é", "ß", "€", "😀", "\ud83d", "\ude00", "\u0000", "\u001f", "\u2028", "\"", "\\", "/",
            "\u00ff"
        };
        for (int i = 0; i < 2_000; i++) {
            int n = rnd.nextInt(0, 12);
            List<RecommendedItem> items = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                items.add(
                        new RecommendedItem(
                                "i" + (rnd.nextInt(5) == 0 ? odd[rnd.nextInt(odd.length)] : "") + k,
                                rnd.nextDouble(),
                                rnd.nextInt(5) == 0
                                        ? "r" + odd[rnd.nextInt(odd.length)]
                                        : "similar_to:x"));
            }
            Recommendations answer =
                    new Recommendations(
                            "id~home~trending",
                            rnd.nextInt(4) == 0 ? "c" + odd[rnd.nextInt(odd.length)] : "cust-1",
                            "home",
                            "trending",
                            items,
                            Instant.ofEpochSecond(1_795_000_000L + i),
                            rnd.nextBoolean());
            assertThat(sent(answer)).as("answer %d", i).isEqualTo(textsBytes(answer));
        }
    }

    private static byte[] sent(Recommendations answer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecommendationsJson.writeTo(answer, out);
        return out.toByteArray();
    }

    /** What Javalin sent for the text result: its UTF-8 bytes. */
    private static byte[] textsBytes(Recommendations answer) throws Exception {
        return EventCodec.mapper().writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
    }

    private static Recommendations randomAnswer(SplittableRandom rnd) {
        int n = rnd.nextInt(0, 25);
        List<RecommendedItem> items = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            double score =
                    switch (rnd.nextInt(4)) {
                        case 0 -> ReRanker.round(rnd.nextDouble());
                        case 1 -> rnd.nextDouble() * 100;
                        case 2 -> rnd.nextInt(3);
                        default -> ReRanker.round(rnd.nextDouble() * 1e-3);
                    };
            String reason =
                    switch (rnd.nextInt(4)) {
                        case 0 -> null;
                        case 1 -> "similar_to:i" + rnd.nextInt(1000);
                        case 2 -> "trending_in:c" + rnd.nextInt(30);
                        default -> "bought_together:i" + rnd.nextInt(1000);
                    };
            items.add(new RecommendedItem("i" + rnd.nextInt(100_000), score, reason));
        }
        return new Recommendations(
                RecommendationService.newRecommendationId(PageContext.PRODUCT, "personalized"),
                rnd.nextBoolean() ? "cust-" + rnd.nextInt(1000) : "anon-é-" + rnd.nextInt(1000),
                PageContext.values()[rnd.nextInt(4)].wireName(),
                rnd.nextBoolean() ? "personalized+similar+trending+affinity" : "trending",
                items,
                Instant.ofEpochMilli(1_790_000_000_000L + rnd.nextLong(10_000_000_000L)),
                rnd.nextInt(10) == 0);
    }
}
