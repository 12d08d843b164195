package io.shopkeeper.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ProfileDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The ranking facts of a profile document as the job writes it. */
class VisitorFactsTest {

    private static final String DOCUMENT =
            """
                {"visitorId":"c1","anonymousIds":["a1"],"events":42,"recentViews":["v1","v2"],"recentCarts":["k1"],
                 "purchasedItems":["p1"],"categoryAffinity":{"shoes":3.5,"hats":1},"brandAffinity":{"acme":2.0},
                 "affinityAsOf":1700000000000,"recencyScore":null,"averageOrderValue":57.5,
                 "priceSensitive":{"score":0.8,"flagged":true,"reasons":["sort_price_asc"],"onSince":1},
                 "drifting":{"score":0.1,"flagged":false,"reasons":[],"onSince":0},
                 "segments":["vip"],"nested":{"deep":[{"a":[1,2,{"b":null}]}]}}
                """;

    @Test
    void takesTheRankingFactsAndNothingElse() throws Exception {
        for (VisitorFacts facts :
                List.of(
                        VisitorFacts.of(ProfileDocument.read(DOCUMENT)),
                        VisitorFacts.read(DOCUMENT))) {
            assertRankingFacts(facts);
        }
    }

    private static void assertRankingFacts(VisitorFacts facts) {

        assertThat(facts.recentViews()).containsExactly("v1", "v2");
        assertThat(facts.recentCarts()).containsExactly("k1");
        assertThat(facts.purchasedItems()).containsExactly("p1");
        assertThat(facts.categoryAffinity()).isEqualTo(Map.of("shoes", 3.5, "hats", 1.0));
        assertThat(facts.brandAffinity()).isEqualTo(Map.of("acme", 2.0));
        assertThat(facts.averageOrderValue()).isEqualTo(57.5);
        assertThat(facts.priceSensitive()).isTrue();
        assertThat(facts.drifting()).isFalse();
    }

    /** The streaming read gives what binding the whole document gives, on what the job writes. */
    @Test
    void readingTheStoredJsonEqualsBindingTheDocument() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            String json = EventCodec.mapper().writeValueAsString(randomProfile(random));
            assertThat(VisitorFacts.read(json))
                    .as(json)
                    .isEqualTo(VisitorFacts.of(ProfileDocument.read(json)));
            assertThat(VisitorFacts.read(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json)
                    .isEqualTo(VisitorFacts.read(json));
        }
    }

    /**
     * Affinities and the average order value are parsed by Jackson's fast double parser: every
     * number text gives the double {@code Double.parseDouble} makes of it, bit for bit (the parse
     * used before).
     */
    @Test
    void everyNumberReadsAsTheDoubleParseDoubleMakesOfItsText() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 5_000; i++) {
            String[] texts = new String[4];
            for (int k = 0; k < texts.length; k++) {
                double d =
                        switch (random.nextInt(4)) {
                            case 0 -> random.nextDouble() * 100;
                            case 1 -> Double.longBitsToDouble(random.nextLong());
                            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-20, 20));
                            default -> random.nextInt(1000);
                        };
                StringBuilder digits = new StringBuilder(Double.isFinite(d) ? "" + d : "1");
                if (random.nextInt(4) == 0) {
                    digits.setLength(0);
                    digits.append(random.nextInt(100)).append('.');
                    for (int n = random.nextInt(1, 30); n > 0; n--)
                        digits.append(random.nextInt(10));
                    if (random.nextBoolean()) digits.append("e-").append(random.nextInt(30));
                }
                texts[k] = digits.toString();
            }
            String json =
                    "{\"categoryAffinity\":{\"a\":"
                            + texts[0]
                            + ",\"b\":"
                            + texts[1]
                            + "},\"brandAffinity\":{\"x\":"
                            + texts[2]
                            + "},\"averageOrderValue\":"
                            + texts[3]
                            + "}";
            for (VisitorFacts facts :
                    List.of(
                            VisitorFacts.read(json),
                            VisitorFacts.read(json.getBytes(StandardCharsets.UTF_8)))) {
                assertThat(bits(facts.categoryAffinity().get("a")))
                        .as(json)
                        .isEqualTo(bits(texts[0]));
                assertThat(bits(facts.categoryAffinity().get("b")))
                        .as(json)
                        .isEqualTo(bits(texts[1]));
                assertThat(bits(facts.brandAffinity().get("x"))).as(json).isEqualTo(bits(texts[2]));
                assertThat(bits(facts.averageOrderValue())).as(json).isEqualTo(bits(texts[3]));
            }
        }
    }

    private static long bits(double value) {
        return Double.doubleToRawLongBits(value);
    }

    private static long bits(String text) {
        return bits(Double.parseDouble(text));
    }

    /** Other shapes of a ranking field are read as binding reads them (its coercions). */
    @Test
    void rankingFieldsOfAnotherShapeAreBoundAsBefore() throws Exception {
        for (String json :
                List.of(
                        "{\"recentViews\":[1,\"v2\",null],\"averageOrderValue\":\"12.5\"}",
                        "{\"categoryAffinity\":{\"a\":\"2\",\"b\":null},\"brandAffinity\":null}",
                        "{\"priceSensitive\":{\"flagged\":1},\"drifting\":{\"flagged\":\"true\"}}",
                        "{\"priceSensitive\":null,\"recentCarts\":null,\"averageOrderValue\":null}",
                        "{\"recentViews\":[\"a\"],\"recentViews\":[\"b\"],\"drifting\":{}}",
                        "{\"recentViews\":[\"é😀\\u00e9\"],\"categoryAffinity\":{\"ü\":1.5}}")) {
            assertThat(VisitorFacts.read(json))
                    .as(json)
                    .isEqualTo(VisitorFacts.of(ProfileDocument.read(json)));
            assertThat(VisitorFacts.read(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json)
                    .isEqualTo(VisitorFacts.of(ProfileDocument.read(json)));
        }
    }

    @Test
    void notAProfileDocumentIsAnError() {
        for (String json : List.of("[\"not\", \"a profile\"]", "{not json", "", "42")) {
            assertThatThrownBy(() -> VisitorFacts.read(json))
                    .as(json)
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> VisitorFacts.read(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json)
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> ProfileDocument.read(json))
                    .as(json)
                    .isInstanceOf(IOException.class);
        }
    }

    private static ProfileDocument randomProfile(SplittableRandom random) {
        ProfileDocument p = new ProfileDocument();
        p.setVisitorId("c" + random.nextInt(1000));
        p.setEvents(random.nextInt(500));
        p.setRecentViews(ids(random, "v", random.nextInt(60)));
        p.setRecentCarts(ids(random, "k", random.nextInt(5)));
        p.setPurchasedItems(ids(random, "p", random.nextInt(3)));
        p.setCategoryAffinity(weights(random, "cat", random.nextInt(60)));
        p.setBrandAffinity(weights(random, "brand", random.nextInt(8)));
        p.setAverageOrderValue(random.nextBoolean() ? 0 : random.nextDouble() * 300);
        p.setSegments(ids(random, "s", random.nextInt(4)));
        if (random.nextInt(3) > 0) p.setPriceSensitive(signal(random));
        if (random.nextInt(3) > 0) p.setDrifting(signal(random));
        if (random.nextInt(4) == 0) p.setRecencyScore(1 + random.nextInt(5));
        return p;
    }

    private static List<String> ids(SplittableRandom random, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) ids.add(prefix + random.nextInt(100));
        return ids;
    }

    private static Map<String, Double> weights(SplittableRandom random, String prefix, int n) {
        Map<String, Double> weights =
                random.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
        for (int i = 0; i < n; i++)
            weights.put(prefix + random.nextInt(100), random.nextDouble() * 5);
        return weights;
    }

    private static ProfileDocument.Signal signal(SplittableRandom random) {
        return new ProfileDocument.Signal(
                random.nextDouble(),
                random.nextBoolean(),
                ids(random, "r", random.nextInt(3)),
                random.nextLong(1L << 40));
    }

    @Test
    void missingFieldsAreEmptyAndListsAreBounded() throws Exception {
        assertThat(VisitorFacts.of(ProfileDocument.read("{\"visitorId\":\"a\"}")))
                .isEqualTo(VisitorFacts.NONE);
        ProfileDocument heavy = new ProfileDocument();
        heavy.setRecentViews(IntStream.range(0, 80).mapToObj(i -> "i" + i).toList());
        assertThat(VisitorFacts.of(heavy).recentViews())
                .hasSize(VisitorFacts.MAX_ENTRIES)
                .startsWith("i0", "i1");
    }
}
