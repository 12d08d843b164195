package io.shopkeeper.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Loading of session files for the backtest. */
public final class SessionData {
    /**
     * Event time origin of the synthetic clock for files without timestamps (2015-05-01T00:00Z).
     */
    public static final long SYNTHETIC_EPOCH_MILLIS = 1_430_438_400_000L;

    /** Input file formats. */
    public enum Format {
        /** One session per line, item ids separated by white space, sessions in time order. */
        SESSIONS,
        /**
         * Tab-separated with header {@code SessionId ItemId Time} (unix seconds, may have
         * decimals).
         */
        TSV;

        /** The format named by {@code --format}; a bad name fails with the accepted names. */
        static Format parse(String s) {
            try {
                return Format.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "bad --format '" + s + "': expected sessions or tsv");
            }
        }
    }

    /** One session: items oldest first and their event times (epoch millis). */
    public record Session(String id, List<String> items, long[] times) {
        public int size() {
            return items.size();
        }

        public long start() {
            return times.length == 0 ? 0 : times[0];
        }
    }

    private SessionData() {}

    /**
     * Reads a file. For {@link Format#SESSIONS} (no timestamps) a synthetic, monotonically
     * increasing clock is used: session number {@code i} (0-based, counted across calls through
     * {@code firstIndex}) starts at {@code SYNTHETIC_EPOCH_MILLIS + i * sessionIntervalSeconds} and
     * its items are one second apart.
     */
    public static List<Session> read(
            Path file, Format format, long firstIndex, long sessionIntervalSeconds)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file not found: " + file);
        }
        return switch (format) {
            case SESSIONS -> readSessions(file, firstIndex, sessionIntervalSeconds);
            case TSV -> readTsv(file);
        };
    }

    private static List<Session> readSessions(Path file, long firstIndex, long intervalSeconds)
            throws IOException {
        List<Session> sessions = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String trimmed = line.trim();
                if (trimmed.isEmpty()) continue;
                if (trimmed.indexOf('\t') >= 0
                        && trimmed.toLowerCase(Locale.ROOT).startsWith("sessionid")) {
                    throw new IllegalArgumentException(
                            file
                                    + ": looks like a TSV file (header '"
                                    + trimmed
                                    + "'); use --format tsv");
                }
                List<String> items = Arrays.asList(trimmed.split("\\s+"));
                long index = firstIndex + sessions.size();
                long start = SYNTHETIC_EPOCH_MILLIS + index * intervalSeconds * 1000L;
                long[] times = new long[items.size()];
                for (int p = 0; p < times.length; p++) times[p] = start + p * 1000L;
                sessions.add(
                        new Session("s" + index + "@" + lineNo, new ArrayList<>(items), times));
            }
        }
        return sessions;
    }

    private static List<Session> readTsv(Path file) throws IOException {
        record Click(String item, long time, int order) {}
        Map<String, List<Click>> bySession = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) return List.of();
            String[] cols = header.split("\t");
            int sid = indexOf(cols, "SessionId"),
                    iid = indexOf(cols, "ItemId"),
                    tid = indexOf(cols, "Time");
            if (sid < 0 || iid < 0 || tid < 0) {
                throw new IllegalArgumentException(
                        file
                                + ": expected a tab-separated header with SessionId, ItemId "
                                + "and Time, got '"
                                + header
                                + "'");
            }
            String line;
            int lineNo = 1, order = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split("\t");
                if (f.length <= Math.max(sid, Math.max(iid, tid))) {
                    throw new IllegalArgumentException(
                            file
                                    + ":"
                                    + lineNo
                                    + ": expected "
                                    + cols.length
                                    + " tab-separated columns, got '"
                                    + line
                                    + "'");
                }
                long millis;
                try {
                    millis = Math.round(Double.parseDouble(f[tid].trim()) * 1000.0);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            file + ":" + lineNo + ": bad Time '" + f[tid] + "'");
                }
                bySession
                        .computeIfAbsent(f[sid].trim(), s -> new ArrayList<>())
                        .add(new Click(f[iid].trim(), millis, order++));
            }
        }
        List<Session> sessions = new ArrayList<>(bySession.size());
        for (Map.Entry<String, List<Click>> e : bySession.entrySet()) {
            List<Click> clicks = e.getValue();
            clicks.sort(Comparator.comparingLong(Click::time).thenComparingInt(Click::order));
            List<String> items = new ArrayList<>(clicks.size());
            long[] times = new long[clicks.size()];
            for (int i = 0; i < clicks.size(); i++) {
                items.add(clicks.get(i).item());
                times[i] = clicks.get(i).time();
            }
            sessions.add(new Session(e.getKey(), items, times));
        }
        sessions.sort(
                Comparator.comparingLong(Session::start)); // stable: file order on equal start
        return sessions;
    }

    private static int indexOf(String[] cols, String name) {
        for (int i = 0; i < cols.length; i++) {
            if (cols[i].trim().equalsIgnoreCase(name)) return i;
        }
        return -1;
    }
}
