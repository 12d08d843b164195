package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommendationListCodecTest {

    private static RecommendationList visitorList() {
        List<ScoredItem> items = new ArrayList<>();
        items.add(new ScoredItem("i12345", 0.8125, "similar_to:i99871"));
        items.add(new ScoredItem("i23456", 0.1234, "because_you_viewed:i23456"));
        items.add(new ScoredItem("i34567", 0.0001, "because_you_viewed:i11111"));
        items.add(new ScoredItem("i45678", 0.0, "popular"));
        items.add(new ScoredItem("i56789", 1.0, "trending"));
        items.add(new ScoredItem("i67890", 0.5, "trending_in:c07"));
        items.add(new ScoredItem("i78901", 0.25, "bought_together:i2"));
        items.add(new ScoredItem("i89012", 1.0E-7, "=looks:like a code"));
        items.add(new ScoredItem("i90123", 0.3, "v"));
        items.add(new ScoredItem("i01234", 0.2, "some_future_reason:x"));
        items.add(new ScoredItem("i11223", 0.1, null));
        items.add(new ScoredItem("i33445", 0.05, "because_you_viewed:"));
        return new RecommendationList("cust-262", "session", 1_764_000_000_123L, items);
    }

    /** The reader's expansion from the parser's characters equals the text's, for any code. */
    @Test
    void reasonCodesExpandFromCharactersAsFromText() {
        List<String> codes =
                List.of(
                        "",
                        "=",
                        "==",
                        "=x",
                        "v",
                        "p",
                        "t",
                        "s",
                        "b",
                        "x",
                        "v:",
                        "s:",
                        "t:",
                        "b:",
                        "x:",
                        "s:i1",
                        "v:i2",
                        "t:c07",
                        "b:i2",
                        "s:é😀",
                        ":",
                        "::",
                        "s::",
                        "pp",
                        "tt",
                        "=s:i1",
                        "vv",
                        "v:i1:2",
                        "similar_to:i1",
                        "popular");
        // Twice: the second expansion of each code comes from the kept reasons.
        for (int round = 0; round < 2; round++) {
            for (String code : codes) {
                char[] chars = ("<<" + code + ">>").toCharArray();
                assertThat(RecommendationListCodec.decodeReason("i7", chars, 2, code.length()))
                        .as(code)
                        .isEqualTo(RecommendationListCodec.decodeReason("i7", code));
            }
        }
    }

    /** Kept texts are found by their characters only; a slot's newer text replaces the older. */
    @Test
    void theTextCacheAnswersOnlyForTheSameCharacters() {
        TextCache cache = new TextCache(2);
        char[] chars = "<<item-1>><<item-2>><<item-3>>".toCharArray();
        String first = cache.text(chars, 2, 6);
        assertThat(first).isEqualTo("item-1");
        assertThat(cache.text("item-1".toCharArray(), 0, 6)).isSameAs(first);
        for (int i = 0; i < 3; i++) {
            assertThat(cache.text(chars, 2 + 10 * i, 6)).isEqualTo("item-" + (i + 1));
            assertThat(cache.text(chars, 2 + 10 * i, 5)).isEqualTo("item-");
        }
        assertThat(cache.known(chars, 2, 6)).isIn(null, "item-1");
        cache.keep(chars, 12, 6, "reason of item-2");
        assertThat(cache.known(chars, 12, 6)).isEqualTo("reason of item-2");
        assertThat(cache.known("item-2x".toCharArray(), 0, 7)).isNull();
        char[] longKey = "x".repeat(TextCache.MAX_KEY_LENGTH + 1).toCharArray();
        cache.keep(longKey, 0, longKey.length, "long");
        assertThat(cache.known(longKey, 0, longKey.length)).isNull();
        assertThat(cache.text(longKey, 0, longKey.length)).isEqualTo(new String(longKey));
        assertThatThrownBy(() -> new TextCache(3)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Keys packed into the entry (up to 32 characters below 256) and keys kept as text (longer, or
     * with a character from 256 up) are found by exactly their characters.
     */
    @Test
    void theTextCacheTellsKeysApartByEveryCharacter() {
        List<String> keys =
                List.of(
                        "",
                        "i",
                        "i1",
                        "i\u0169",
                        "i\u0069x",
                        "\u00e9t\u00e9",
                        "\u0000",
                        "\u0000\u0000",
                        "abcdefgh",
                        "abcdefghi",
                        "abcdefghabcdefgh",
                        "abcdefghabcdefgi",
                        "x".repeat(31) + "y",
                        "x".repeat(32),
                        "x".repeat(33),
                        "x".repeat(32) + "\u0178",
                        "x".repeat(31) + "\u0178",
                        "x".repeat(TextCache.MAX_KEY_LENGTH));
        // One slot: every key replaces the one before, so every lookup compares with another key.
        TextCache one = new TextCache(1);
        for (int round = 0; round < 2; round++) {
            for (String key : keys) {
                char[] chars = ("<" + key + ">").toCharArray();
                for (String other : keys) {
                    char[] probe = ("[" + other + "]").toCharArray();
                    one.keep(chars, 1, key.length(), "text of " + key);
                    assertThat(one.known(probe, 1, other.length()))
                            .as("%s looked up after %s was kept", other, key)
                            .isEqualTo(other.equals(key) ? "text of " + key : null);
                    String text = one.text(probe, 1, other.length());
                    assertThat(text).isEqualTo(other.equals(key) ? "text of " + key : other);
                    assertThat(one.text(other.toCharArray(), 0, other.length())).isSameAs(text);
                }
            }
        }
    }

    @Test
    void decodingGivesBackExactlyTheListEncoded() throws IOException {
        RecommendationList list = visitorList();
        RecommendationList decoded =
                RecommendationListCodec.decode(RecommendationListCodec.encode(list));
        assertThat(decoded.getSubject()).isEqualTo("cust-262");
        assertThat(decoded.getStrategy()).isEqualTo("session");
        assertThat(decoded.getUpdatedAt()).isEqualTo(1_764_000_000_123L);
        assertThat(decoded.getItems()).containsExactlyElementsOf(list.getItems());
    }

    @Test
    void listsWrittenInTheOlderObjectFormAreStillRead() throws IOException {
        RecommendationList list = visitorList();
        RecommendationList decoded =
                RecommendationListCodec.decode(EventCodec.encodeToString(list));
        assertThat(decoded.getItems()).containsExactlyElementsOf(list.getItems());
        assertThat(decoded.getUpdatedAt()).isEqualTo(list.getUpdatedAt());
        assertThat(RecommendationListCodec.decode("{\"subject\":\"x\",\"updatedAt\":1}").getItems())
                .isEmpty();
    }

    @Test
    void reasonsAreShortCodesAndTheFormIsLessThanHalfTheObjectForm() {
        String stored = RecommendationListCodec.encode(visitorList());
        assertThat(stored)
                .contains("[\"i12345\",0.8125,\"s:i99871\"]")
                .contains("[\"i23456\",0.1234,\"v\"]")
                .contains("[\"i34567\",1.0E-4,\"v:i11111\"]")
                .contains("[\"i45678\",0.0,\"p\"]")
                .contains("[\"i11223\",0.1]")
                .contains("\"updatedAt\":1764000000123");
        assertThat(stored.length() * 2)
                .isLessThan(EventCodec.encodeToString(visitorList()).length());
    }

    @Test
    void somethingElseIsRejected() {
        assertThatThrownBy(() -> RecommendationListCodec.decode("[1,2]"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RecommendationListCodec.decode("{\"items\":[[1"))
                .isInstanceOf(IOException.class);
    }

    /**
     * Scores are parsed by Jackson's fast double parser: every score, in every form a number may
     * take in the stored text, decodes to the double {@code Double.parseDouble} makes of it, bit
     * for bit (the parse the decoder used before).
     */
    @Test
    void everyScoreDecodesToTheDoubleParseDoubleMakesOfItsText() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        List<String> texts =
                new ArrayList<>(List.of("0", "-0.0", "0.0", "1", "1e0", "1E-7", "9e999"));
        texts.addAll(List.of("4.9E-324", "2.2250738585072014E-308", "1.7976931348623157E308"));
        texts.add("0.12345678901234567890123456789");
        texts.add("123456789012345678901234567890.5");
        for (int i = 0; i < 50_000; i++) {
            double d =
                    switch (rnd.nextInt(5)) {
                        case 0 -> rnd.nextDouble();
                        case 1 -> Math.round(rnd.nextDouble() * 10_000) / 10_000d;
                        case 2 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30));
                        case 3 -> Double.longBitsToDouble(rnd.nextLong());
                        default -> rnd.nextInt(-1000, 1000);
                    };
            if (Double.isFinite(d)) texts.add(Double.toString(d));
            // Digits as another writer may put them: more than 17, a lower-case exponent.
            StringBuilder digits =
                    new StringBuilder(rnd.nextBoolean() ? "0." : "-" + rnd.nextInt(1, 10));
            for (int k = rnd.nextInt(1, 40); k > 0; k--) digits.append(rnd.nextInt(10));
            if (digits.charAt(0) == '-') digits.append('.').append(rnd.nextInt(1000));
            if (rnd.nextInt(3) == 0) digits.append('e').append(rnd.nextInt(-320, 310));
            texts.add(digits.toString());
        }
        for (int from = 0; from < texts.size(); from += 50) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + 50));
            StringBuilder json = new StringBuilder("{\"items\":[");
            for (int k = 0; k < batch.size(); k++)
                json.append(k == 0 ? "" : ",")
                        .append("[\"i")
                        .append(k)
                        .append("\",")
                        .append(batch.get(k))
                        .append("]");
            json.append("]}");
            String text = json.toString();
            List<ScoredItem> fromText = RecommendationListCodec.decode(text).getItems();
            List<ScoredItem> fromBytes =
                    RecommendationListCodec.decode(
                                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .getItems();
            for (int k = 0; k < batch.size(); k++) {
                long expected = Double.doubleToRawLongBits(Double.parseDouble(batch.get(k)));
                assertThat(Double.doubleToRawLongBits(fromText.get(k).getScore()))
                        .as(batch.get(k))
                        .isEqualTo(expected);
                assertThat(Double.doubleToRawLongBits(fromBytes.get(k).getScore()))
                        .as(batch.get(k))
                        .isEqualTo(expected);
            }
        }
    }

    /**
     * A score's text written digit by digit is {@link Double#toString(double)}'s: for every score
     * rounded to four decimals the digits are written for, those just around them, and scores that
     * are not rounded (written as before).
     */
    @Test
    void theScoreDigitsAreDoubleToStringForEveryRoundedScore() {
        StringBuilder out = new StringBuilder();
        for (long units = -20; units <= RecommendationListCodec.DIGITS_BELOW_UNITS + 20; units++) {
            double score = units / 10_000.0;
            out.setLength(0);
            RecommendationListCodec.appendScore(score, out);
            if (!out.toString().equals(Double.toString(score)))
                assertThat(out.toString()).as("%d", units).isEqualTo(Double.toString(score));
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            double score = rnd.nextDouble() * (i % 2 == 0 ? 1 : 2_000);
            double[] near = {score, Math.nextUp(ScoredItem.roundScore(score)), -score};
            for (double s : near) {
                out.setLength(0);
                RecommendationListCodec.appendScore(s, out);
                assertThat(out.toString()).isEqualTo(Double.toString(s));
            }
        }
    }

    /**
     * The text built directly is the generator's, character for character: every rounded score, and
     * random lists of plain and odd texts (escapes, non-ASCII, surrogates, nulls) and scores
     * (rounded, raw, negative, signed zeros, huge, tiny, not finite).
     */
    @Test
    void theTextIsTheGeneratorsForEveryList() {
        for (int units = -10; units <= 10_010; units++) {
            double score = units / 10_000.0;
            RecommendationList list =
                    new RecommendationList(
                            "v", "s", units, List.of(new ScoredItem("i", score, "similar_to:x")));
            assertThat(RecommendationListCodec.encode(list))
                    .isEqualTo(RecommendationListCodec.encodeWithGenerator(list));
            assertThat(RecommendationListCodec.scoreText(score)).isEqualTo(Double.toString(score));
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        String[] odd = {
            "é", "😀", "\uD83D", "\"", "\\", "\u0001", "\t", "\n", "\u007F", "/", "\u2028"
        };
        String[] reasons = {
            "similar_to:",
            "because_you_viewed:",
            "trending_in:",
            "bought_together:",
            "popular",
            "trending",
            "x:",
            "=",
            ""
        };
        for (int round = 0; round < 20_000; round++) {
            boolean plain = rnd.nextInt(4) > 0;
            List<ScoredItem> items = new ArrayList<>();
            for (int k = rnd.nextInt(25); k > 0; k--) {
                String id = text(rnd, plain, odd);
                double score =
                        switch (rnd.nextInt(8)) {
                            case 0 -> rnd.nextDouble();
                            case 1, 2, 3 -> ScoredItem.roundScore(rnd.nextDouble());
                            case 4 -> -ScoredItem.roundScore(rnd.nextDouble() * 3);
                            case 5 -> rnd.nextBoolean() ? 0.0 : -0.0;
                            case 6 -> Double.longBitsToDouble(rnd.nextLong());
                            default -> rnd.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
                        };
                if (plain && !Double.isFinite(score)) score = 0.5;
                String reason =
                        rnd.nextInt(6) == 0
                                ? null
                                : reasons[rnd.nextInt(reasons.length)]
                                        + (rnd.nextBoolean() ? id : text(rnd, plain, odd));
                // an item without an id (never made) has no reason: the reason codes read the id
                if (rnd.nextInt(30) == 0) items.add(new ScoredItem(null, score, null));
                else items.add(new ScoredItem(id, score, reason));
            }
            RecommendationList list =
                    new RecommendationList(
                            rnd.nextInt(10) == 0 ? null : text(rnd, plain, odd),
                            rnd.nextInt(10) == 0 ? null : "session",
                            rnd.nextLong(),
                            items);
            assertThat(RecommendationListCodec.encode(list))
                    .isEqualTo(RecommendationListCodec.encodeWithGenerator(list));
        }
    }

    private static String text(java.util.SplittableRandom rnd, boolean plain, String[] odd) {
        StringBuilder text = new StringBuilder(rnd.nextBoolean() ? "i" : "");
        for (int k = rnd.nextInt(8); k > 0; k--)
            text.append(
                    !plain && rnd.nextInt(4) == 0
                            ? odd[rnd.nextInt(odd.length)]
                            : (char) rnd.nextInt(0x20, 0x7F));
        return text.toString().replace("\"", plain ? "q" : "\"").replace("\\", plain ? "b" : "\\");
    }

    /**
     * The plain form is read without the parser exactly as the parser reads it, and whatever the
     * plain reader does not take (white space, escapes, non-ASCII, other orders, exponents, long
     * digits, malformed text) is left to the parser: lists as encoded, then with one change each.
     */
    @Test
    void thePlainFormIsReadAsTheParserReadsIt() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
        String[] numbers = {
            "0",
            "-0",
            "0.0",
            "-0.0",
            "1",
            "-1",
            "1.0",
            "0.5",
            "0.0001",
            "1.0E-7",
            "1e5",
            "-2.5",
            "123456789012345",
            "1234567890123456",
            "0.123456789012345",
            "0.1234567890123456",
            "00.5",
            "01",
            "-",
            "1.",
            ".5",
            "0.1e2",
            "9007199254740993",
            "0.30000000000000004",
            "0.0000000000000000000001",
            "12345.678901234",
            "true",
            "null",
            "\"0.5\""
        };
        String[] junk = {
            "é", " ", "\n", "\\u00e9", "\\\\", "\\\"", ",", "]", "[", "}", "{", "x", "\"", ":", "0"
        };
        int plainRead = 0;
        for (int i = 0; i < 20_000; i++) {
            List<ScoredItem> items = new ArrayList<>();
            for (int k = rnd.nextInt(0, 25); k > 0; k--) {
                String id = rnd.nextInt(20) == 0 ? "" : "i" + rnd.nextInt(5_000);
                double score =
                        switch (rnd.nextInt(4)) {
                            case 0 -> Math.round(rnd.nextDouble() * 10_000) / 10_000d;
                            case 1 -> rnd.nextDouble();
                            case 2 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-12, 12));
                            default -> -rnd.nextInt(1000);
                        };
                String reason =
                        switch (rnd.nextInt(7)) {
                            case 0 -> null;
                            case 1 -> "because_you_viewed:" + id;
                            case 2 -> "similar_to:i" + rnd.nextInt(5_000);
                            case 3 -> "popular";
                            case 4 -> "=odd:" + rnd.nextInt(10);
                            case 5 -> "";
                            default -> "trending_in:c" + rnd.nextInt(30);
                        };
                items.add(new ScoredItem(id, score, reason));
            }
            RecommendationList list =
                    new RecommendationList(
                            rnd.nextInt(4) == 0 ? null : "cust-" + rnd.nextInt(100),
                            rnd.nextInt(4) == 0 ? null : "session",
                            rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextLong(0, 1L << 42),
                            items);
            String text = RecommendationListCodec.encode(list);
            if (rnd.nextInt(3) > 0) {
                int at = rnd.nextInt(text.length() + 1);
                text =
                        switch (rnd.nextInt(4)) {
                            case 0 ->
                                    text.substring(0, at)
                                            + junk[rnd.nextInt(junk.length)]
                                            + text.substring(at);
                            case 1 ->
                                    text.substring(0, at)
                                            + text.substring(Math.min(text.length(), at + 1));
                            case 2 ->
                                    text.replaceFirst(
                                            "(?<=,)-?[0-9][0-9.E-]*(?=[,\\]])",
                                            numbers[rnd.nextInt(numbers.length)]);
                            default -> text.substring(0, at);
                        };
            } else {
                // every list as encoded (plain texts) is read without the parser
                plainRead++;
                assertThat(RecommendationListCodec.PlainReader.read(utf8(text)))
                        .as(text)
                        .isNotNull();
            }
            samePlainAndParsed(text);
        }
        assertThat(plainRead).isGreaterThan(5_000);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The plain reader's list is the parser's, or it reads none. */
    private static void samePlainAndParsed(String text) {
        RecommendationList plain = RecommendationListCodec.PlainReader.read(utf8(text));
        RecommendationList parsed;
        try {
            parsed = RecommendationListCodec.decodeWithParser(utf8(text));
        } catch (IOException e) {
            assertThat(plain).as(text).isNull();
            return;
        }
        if (plain == null) return;
        assertThat(plain.getSubject()).as(text).isEqualTo(parsed.getSubject());
        assertThat(plain.getStrategy()).as(text).isEqualTo(parsed.getStrategy());
        assertThat(plain.getUpdatedAt()).as(text).isEqualTo(parsed.getUpdatedAt());
        assertThat(plain.getItems()).as(text).containsExactlyElementsOf(parsed.getItems());
    }

    @Test
    void theStoredBytesDecodeToTheListTheirTextDecodesTo() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        String[] odd = {"é", "😀", "\"", "\\", "\u0001", "\t", "</", "ü:ß", ""};
        List<String> stored = new ArrayList<>();
        stored.add(RecommendationListCodec.encode(visitorList()));
        stored.add(EventCodec.encodeToString(visitorList()));
        stored.add("{\"subject\":\"x\",\"updatedAt\":1}");
        stored.add("{\"items\":null,\"extra\":{\"a\":[1,{\"b\":2}]},\"strategy\":null}");
        for (int i = 0; i < 2_000; i++) {
            List<ScoredItem> items = new ArrayList<>();
            int n = rnd.nextInt(0, 30);
            for (int k = 0; k < n; k++) {
                String id =
                        "i"
                                + rnd.nextInt(10_000)
                                + (rnd.nextInt(8) == 0 ? odd[rnd.nextInt(odd.length)] : "");
                double score =
                        switch (rnd.nextInt(4)) {
                            case 0 -> rnd.nextDouble();
                            case 1 -> rnd.nextDouble() * 1e-9;
                            case 2 -> rnd.nextInt(1000);
                            default -> -rnd.nextDouble() * 1e12;
                        };
                String reason =
                        switch (rnd.nextInt(6)) {
                            case 0 -> null;
                            case 1 -> "because_you_viewed:" + id;
                            case 2 -> "similar_to:" + id + odd[rnd.nextInt(odd.length)];
                            case 3 -> "trending";
                            case 4 -> "=" + odd[rnd.nextInt(odd.length)];
                            default -> "trending_in:c" + rnd.nextInt(30);
                        };
                items.add(new ScoredItem(id, score, reason));
            }
            RecommendationList list =
                    new RecommendationList(
                            rnd.nextBoolean() ? null : "s" + odd[rnd.nextInt(odd.length)],
                            rnd.nextBoolean() ? null : "session",
                            rnd.nextLong(),
                            items);
            stored.add(
                    rnd.nextInt(4) == 0
                            ? EventCodec.encodeToString(list)
                            : RecommendationListCodec.encode(list));
        }
        for (String text : stored) {
            RecommendationList fromText = RecommendationListCodec.decode(text);
            RecommendationList fromBytes =
                    RecommendationListCodec.decode(
                            text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(fromBytes.getSubject()).isEqualTo(fromText.getSubject());
            assertThat(fromBytes.getStrategy()).isEqualTo(fromText.getStrategy());
            assertThat(fromBytes.getUpdatedAt()).isEqualTo(fromText.getUpdatedAt());
            assertThat(fromBytes.getItems()).containsExactlyElementsOf(fromText.getItems());
        }
        for (String bad : List.of("[1,2]", "{\"items\":[[1", "", "nope", "{\"items\":[[\"a\",")) {
            assertThatThrownBy(
                            () ->
                                    RecommendationListCodec.decode(
                                            bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .isInstanceOf(IOException.class);
        }
    }
}
