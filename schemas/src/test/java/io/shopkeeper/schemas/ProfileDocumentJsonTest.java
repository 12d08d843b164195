package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ProfileDocument#toJson()} against binding ({@code EventCodec.encodeToString}, what the job
 * wrote before): the same text byte for byte, for the schema's example documents and for random
 * documents whose every field (found by reflection, so a field added to the type and not to the
 * writer fails here) takes random values: nulls, empty and long lists, null elements, text that
 * needs escaping, non-ASCII, doubles of every magnitude and the non-finite ones.
 */
class ProfileDocumentJsonTest {
    private static final JsonSchema SCHEMA = SchemaFiles.load("profile.json");
    private static final String[] TEXTS = {
        "",
        "cust-1",
        "anon-7f3a",
        "i1843",
        "quote\"d",
        "back\\slash",
        "tab\there",
        "new\nline",
        "\u0000\u001f control",
        "\b\f\r\u007f\u0080",
        "lone \ud800 surrogate \udc00",
        "caf\u00e9",
        "\u4e2d\u6587",
        "emoji \ud83d\ude00",
        "</script>",
        "a/b"
    };
    private static final double[] DOUBLES = {
        0.0,
        -0.0,
        1.0,
        0.5,
        0.1,
        1.0 / 3,
        2.0e-3,
        1.0e-7,
        123456.789,
        1.0e7,
        1.0e21,
        1.0e300,
        Double.MIN_VALUE,
        Double.MAX_VALUE,
        -42.25,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY
    };

    @Test
    void theExampleDocumentsAreWrittenByteForByte() throws IOException {
        for (Path file : examples()) {
            String json = Files.readString(file).strip();
            ProfileDocument document = ProfileDocument.read(json);
            assertThat(document.toJson()).as(file.getFileName().toString()).isEqualTo(json);
        }
    }

    @Test
    void randomDocumentsAreWrittenExactlyAsBindingWritesThem() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 3_000; i++) {
            ProfileDocument document = fill(new ProfileDocument(), random, i % 3 == 0);
            String bound = EventCodec.encodeToString(document);
            assertThat(document.toJson()).as("document %d", i).isEqualTo(bound);
        }
    }

    /**
     * The text buffer kept per thread: a document longer than the buffer kept, then short ones,
     * each written as binding writes it (nothing left over from the one before).
     */
    @Test
    void aLongDocumentThenShortOnesAreEachWrittenWhole() throws Exception {
        Random random = new Random(17);
        ProfileDocument big = realistic(random);
        List<String> views = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) views.add("item-" + i);
        big.setRecentViews(views);
        assertThat(big.toJson().length()).isGreaterThan(1 << 17);
        assertThat(big.toJson()).isEqualTo(EventCodec.encodeToString(big));
        for (int i = 0; i < 20; i++) {
            ProfileDocument small = realistic(random);
            assertThat(small.toJson()).isEqualTo(EventCodec.encodeToString(small));
        }
    }

    /** A document as the job fills it (finite numbers, no nulls in lists) reads back the same. */
    @Test
    void aWrittenDocumentPassesTheSchemaAndReadsBackUnchanged() throws Exception {
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            ProfileDocument document = realistic(random);
            String json = document.toJson();
            assertThat(SCHEMA.validate(EventCodec.mapper().readTree(json))).as(json).isEmpty();
            assertThat(ProfileDocument.read(json).toJson()).isEqualTo(json);
        }
    }

    private static ProfileDocument realistic(Random random) {
        ProfileDocument d = new ProfileDocument();
        d.setVisitorId("cust-" + random.nextInt(1000));
        d.setCustomerId(random.nextBoolean() ? d.getVisitorId() : null);
        d.setAnonymousIds(new ArrayList<>(List.of("anon-" + random.nextInt(100))));
        d.setFirstSeen(1_700_000_000_000L + random.nextInt(1_000_000));
        d.setLastSeen(d.getFirstSeen() + random.nextInt(1_000_000));
        d.setEvents(random.nextInt(500));
        d.setRecentViews(new ArrayList<>(List.of("i" + random.nextInt(100), "i2")));
        Map<String, Double> affinity = new HashMap<>();
        for (int c = 0; c < random.nextInt(12); c++) affinity.put("c" + c, random.nextDouble() * 9);
        d.setCategoryAffinity(affinity);
        d.setSpend(random.nextDouble() * 1000);
        d.setRecencyScore(random.nextBoolean() ? 1 + random.nextInt(5) : null);
        d.setDiscountShare(random.nextDouble());
        d.setLifecycle(random.nextBoolean() ? "active" : "at_risk");
        d.setPriceSensitive(
                new ProfileDocument.Signal(
                        random.nextDouble(),
                        random.nextBoolean(),
                        new ArrayList<>(List.of("coupon_search")),
                        random.nextInt(1000)));
        d.setBounceRate(random.nextDouble());
        return d;
    }

    /** Every non-static field of {@code target}'s class set to a random value of its type. */
    private static <T> T fill(T target, Random random, boolean nullsLikely) throws Exception {
        for (Field field : target.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) continue;
            field.setAccessible(true);
            field.set(target, value(field, random, nullsLikely));
        }
        return target;
    }

    private static Object value(Field field, Random random, boolean nullsLikely) throws Exception {
        Class<?> type = field.getType();
        boolean absent = random.nextInt(nullsLikely ? 3 : 12) == 0;
        if (type == long.class) return random.nextBoolean() ? random.nextLong() : 0L;
        if (type == int.class) return random.nextInt();
        if (type == double.class) return aDouble(random);
        if (type == boolean.class) return random.nextBoolean();
        if (absent) return null;
        if (type == String.class) return text(random);
        if (type == Integer.class) return random.nextInt(2000) - 1000;
        if (type == ProfileDocument.Signal.class)
            return fill(new ProfileDocument.Signal(), random, nullsLikely);
        if (type == List.class) {
            List<String> values = new ArrayList<>();
            for (int i = random.nextInt(25); i > 0; i--)
                values.add(random.nextInt(20) == 0 ? null : text(random));
            return values;
        }
        if (type == Map.class) {
            assertThat(((ParameterizedType) field.getGenericType()).getActualTypeArguments()[1])
                    .isEqualTo(Double.class);
            Map<String, Double> values =
                    random.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
            for (int i = random.nextInt(15); i > 0; i--)
                values.put(text(random) + i, random.nextInt(20) == 0 ? null : aDouble(random));
            return values;
        }
        throw new AssertionError(
                "no random value for " + field + ": add one, and the field to toJson()");
    }

    private static String text(Random random) {
        return TEXTS[random.nextInt(TEXTS.length)] + (random.nextBoolean() ? random.nextInt() : "");
    }

    private static double aDouble(Random random) {
        return random.nextBoolean()
                ? DOUBLES[random.nextInt(DOUBLES.length)]
                : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 10);
    }

    private static List<Path> examples() {
        try {
            Path dir =
                    Paths.get(ProfileDocumentJsonTest.class.getResource("/profiles/valid").toURI());
            try (Stream<Path> list = Files.list(dir)) {
                return list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
