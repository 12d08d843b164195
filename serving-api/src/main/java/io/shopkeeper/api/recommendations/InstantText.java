package io.shopkeeper.api.recommendations;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An answer's {@code generatedAt} written as {@link Instant#toString()} writes it (ISO-8601 in UTC,
 * seconds always, the fraction in groups of 3 digits and only when not zero), without the
 * formatter: {@code Instant.toString()} made a {@code LocalDateTime}, two string builders and the
 * text on every answer (1.4% of the request threads' CPU samples). Each request thread keeps the
 * text of the current minute and writes the seconds and fraction itself, into a buffer of its own.
 * Instants outside the years 1970-9999 take {@code toString()}.
 */
final class InstantText {
    /** 9999-12-31T23:59:59Z. */
    private static final long MAX_SECOND = 253_402_300_799L;

    private static final ThreadLocal<InstantText> OF_THREAD =
            ThreadLocal.withInitial(InstantText::new);

    /** "yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ" at most. */
    private final char[] chars = new char[30];

    private long minute = Long.MIN_VALUE;

    private InstantText() {}

    /** Writes {@code instant.toString()} as a JSON string. */
    static void write(JsonGenerator g, Instant instant) throws IOException {
        long second = instant.getEpochSecond();
        if (second < 0 || second > MAX_SECOND) {
            g.writeString(instant.toString());
            return;
        }
        InstantText text = OF_THREAD.get();
        g.writeString(text.chars, 0, text.format(second, instant.getNano()));
    }

    /** {@code instant.toString()}, by the same code (for tests). */
    static String of(Instant instant) {
        long second = instant.getEpochSecond();
        if (second < 0 || second > MAX_SECOND) return instant.toString();
        InstantText text = OF_THREAD.get();
        return new String(text.chars, 0, text.format(second, instant.getNano()));
    }

    private int format(long second, int nano) {
        long m = second / 60;
        if (m != minute) {
            // "yyyy-MM-ddTHH:mm": LocalDateTime leaves out zero seconds
            LocalDateTime.ofEpochSecond(m * 60, 0, ZoneOffset.UTC)
                    .toString()
                    .getChars(0, 16, chars, 0);
            chars[16] = ':';
            minute = m;
        }
        int s = (int) (second - m * 60);
        chars[17] = (char) ('0' + s / 10);
        chars[18] = (char) ('0' + s % 10);
        int i = 19;
        if (nano > 0) {
            chars[i++] = '.';
            int digits;
            int value;
            if (nano % 1_000_000 == 0) {
                digits = 3;
                value = nano / 1_000_000;
            } else if (nano % 1_000 == 0) {
                digits = 6;
                value = nano / 1_000;
            } else {
                digits = 9;
                value = nano;
            }
            for (int k = digits - 1; k >= 0; k--) {
                chars[i + k] = (char) ('0' + value % 10);
                value /= 10;
            }
            i += digits;
        }
        chars[i++] = 'Z';
        return i;
    }
}
