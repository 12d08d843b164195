package io.shopkeeper.schemas;

import java.time.Instant;

/**
 * The common shape of an event's timestamp, {@code
 * yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|-HH:MM)}, read without {@link
 * java.time.format.DateTimeFormatter} (which was a third of decoding an event). Contract: {@link
 * #parseCommon} returns exactly what {@code OffsetDateTime.parse(text).toInstant()} returns, or
 * null for anything else (another accepted spelling, or an invalid value), which the caller then
 * gives to {@code OffsetDateTime.parse} for its answer.
 */
final class IsoTimestamps {
    private IsoTimestamps() {}

    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    static Instant parseCommon(String t) {
        int n = t.length();
        if (n < 20 || n > 35) return null;
        if (t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') return null;
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return null;
        if (minute < 0 || minute > 59 || second < 0 || second > 59) return null;
        int monthDays = month == 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
        if (day > monthDays) return null;
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) return null;
            for (int k = count; k < 9; k++) nanos *= 10;
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            if (t.charAt(i + 3) != ':') return null;
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            // Up to +-17:59 here: +-18:00 is the limit, and -00:00 is left to the formatter.
            if (oh < 0 || oh > 17 || om < 0 || om > 59) return null;
            if (oh == 0 && om == 0 && t.charAt(i) == '-') return null;
            offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long seconds =
                epochDay(year, month, day) * 86_400L
                        + hour * 3600L
                        + minute * 60L
                        + second
                        - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The decimal number in {@code t[from, from + count)}, or -1 when not all digits. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a valid date ({@code LocalDate.toEpochDay}'s arithmetic). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        } else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367L * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeap(year)) total--;
        }
        return total - 719_528L;
    }
}
