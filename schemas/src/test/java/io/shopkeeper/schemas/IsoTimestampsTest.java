package io.shopkeeper.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The timestamp fast path answers exactly as {@code OffsetDateTime.parse}, or leaves it to it. */
class IsoTimestampsTest {

    /** What the formatter makes of {@code text}: its instant, or null when it rejects it. */
    private static Instant formatter(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void agrees(String text) {
        Instant fast = IsoTimestamps.parseCommon(text);
        if (fast != null) assertThat(fast).as(text).isEqualTo(formatter(text));
    }

    @Test
    void commonTimestampsAreReadAsTheFormatterReadsThem() {
        Random random = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            String text =
                    String.format(
                            "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
                            random.nextInt(10_000),
                            1 + random.nextInt(12),
                            1 + random.nextInt(28),
                            random.nextInt(24),
                            random.nextInt(60),
                            random.nextInt(60),
                            fraction(random),
                            offset(random));
            Instant fast = IsoTimestamps.parseCommon(text);
            assertThat(fast).as(text).isNotNull().isEqualTo(formatter(text));
        }
    }

    private static String fraction(Random random) {
        int digits = random.nextInt(10);
        if (digits == 0) return "";
        StringBuilder f = new StringBuilder(".");
        for (int i = 0; i < digits; i++) f.append((char) ('0' + random.nextInt(10)));
        return f.toString();
    }

    private static String offset(Random random) {
        if (random.nextBoolean()) return "Z";
        int hours = random.nextInt(18);
        int minutes = random.nextInt(60);
        if (hours == 0 && minutes == 0) return "+00:00";
        return String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", hours, minutes);
    }

    @Test
    void everyOtherSpellingAndEveryInvalidValueIsLeftToTheFormatter() {
        List<String> texts =
                new ArrayList<>(
                        List.of(
                                "2024-02-29T10:00:00Z",
                                "2023-02-29T10:00:00Z",
                                "1900-02-29T10:00:00Z",
                                "2000-02-29T10:00:00Z",
                                "2026-04-31T10:00:00Z",
                                "2026-12-31T23:59:59.999999999Z",
                                "2026-11-22T24:00:00Z",
                                "2026-11-22T10:60:00Z",
                                "2026-11-22T10:00:60Z",
                                "2026-11-22t10:00:00Z",
                                "2026-11-22T10:00:00z",
                                "2026-11-22T10:00Z",
                                "2026-11-22T10:00:00.Z",
                                "2026-11-22T10:00:00.1234567891Z",
                                "2026-11-22T10:00:00-00:00",
                                "2026-11-22T10:00:00+18:00",
                                "2026-11-22T10:00:00-18:00",
                                "2026-11-22T10:00:00+18:01",
                                "2026-11-22T10:00:00+17:59",
                                "2026-11-22T10:00:00+01:00:30",
                                "2026-11-22T10:00:00+0100",
                                "2026-11-22T10:00:00+01",
                                "2026-11-22T10:00:00",
                                "2026-11-22 10:00:00Z",
                                " 2026-11-22T10:00:00Z",
                                "2026-11-22T10:00:00Z ",
                                "+2026-11-22T10:00:00Z",
                                "0000-01-01T00:00:00Z",
                                "9999-12-31T23:59:59Z",
                                "2026-00-22T10:00:00Z",
                                "2026-13-22T10:00:00Z",
                                "2026-11-00T10:00:00Z",
                                "2026-1a-22T10:00:00Z",
                                "2026-11-22T10:00:00.12a4Z",
                                "2026-11-22T10:00:00.5+01:30",
                                "2026-11-22T10:00:00[Europe/Paris]"));
        Random random = new Random(11);
        String alphabet = "0123456789-:T.Z+z ";
        for (int n = 0; n < 200_000; n++) {
            char[] t = "2024-02-29T23:59:59.123+05:30".toCharArray();
            for (int k = random.nextInt(3); k >= 0; k--)
                t[random.nextInt(t.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            texts.add(new String(t, 0, 19 + random.nextInt(t.length - 18)));
        }
        for (String text : texts) agrees(text);
        assertThat(IsoTimestamps.parseCommon("2024-02-29T10:00:00Z")).isNotNull();
        assertThat(IsoTimestamps.parseCommon("2023-02-29T10:00:00Z")).isNull();
        assertThat(IsoTimestamps.parseCommon("2026-11-22T10:00Z")).isNull();
    }
}
