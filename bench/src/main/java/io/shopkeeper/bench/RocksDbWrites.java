package io.shopkeeper.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What RocksDB wrote, by state: the job's RocksDB instances write their info log into one folder
 * ({@code state.backend.rocksdb.log.dir}, at INFO level, one file per instance), where every flush
 * and compaction names its column family, which is the state's name. Summed over every instance
 * (operators and subtasks): bytes flushed from the memtables into level-0 files (what the state
 * wrote, less what was overwritten between two flushes: every checkpoint flushes), bytes the
 * compactions read and wrote (the background threads' work, which grows with the state), and the
 * number of each.
 */
final class RocksDbWrites {
    // [profiles] [JOB 12] Level-0 flush table #345: 123456 bytes OK
    private static final Pattern FLUSH =
            Pattern.compile(
                    "\\[([^\\]]+)\\] \\[JOB \\d+\\] Level-0 flush table #\\d+: (\\d+) bytes");
    // [profiles] [JOB 13] Compacting 4@0 + 2@1 files to L1, score 1.00
    private static final Pattern COMPACTING =
            Pattern.compile("\\[([^\\]]+)\\] \\[JOB (\\d+)\\] Compacting ");
    // EVENT_LOG_v1 {"time_micros": 1, "job": 13, "event": "compaction_started", ...,
    // "input_data_size": 123456, ...}
    private static final Pattern COMPACTION_STARTED =
            Pattern.compile(
                    "\"job\": (\\d+), \"event\": \"compaction_started\".*\"input_data_size\": (\\d+)");
    // [profiles] [JOB 13] Compacted 4@0 + 2@1 files to L1 => 123456 bytes
    private static final Pattern COMPACTED =
            Pattern.compile("\\[([^\\]]+)\\] \\[JOB \\d+\\] Compacted .* => (\\d+) bytes");

    private RocksDbWrites() {}

    /** Per column family: flushes, flushed bytes, compactions, compaction read/written bytes. */
    static final class ByState {
        long flushes, flushBytes, compactions, compactionReadBytes, compactionWriteBytes;

        long total() {
            return flushBytes + compactionWriteBytes;
        }
    }

    /** Parses every info log file in {@code logDir}. */
    static Map<String, ByState> read(Path logDir) {
        Map<String, ByState> states = new TreeMap<>();
        if (!Files.isDirectory(logDir)) return states;
        try (Stream<Path> files = Files.list(logDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (BufferedReader in =
                        Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                    parse(in.lines(), states);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return states;
    }

    /** Adds one instance's log (compaction job ids are per instance) to {@code states}. */
    static void parse(Stream<String> lines, Map<String, ByState> states) {
        Map<String, String> stateOfJob = new HashMap<>();
        lines.forEach(
                line -> {
                    Matcher m;
                    if (line.contains("Level-0 flush table") && (m = FLUSH.matcher(line)).find()) {
                        ByState s = states.computeIfAbsent(m.group(1), k -> new ByState());
                        s.flushes++;
                        s.flushBytes += Long.parseLong(m.group(2));
                    } else if (line.contains("] Compacting ")
                            && (m = COMPACTING.matcher(line)).find()) {
                        stateOfJob.put(m.group(2), m.group(1));
                    } else if (line.contains("\"compaction_started\"")
                            && (m = COMPACTION_STARTED.matcher(line)).find()) {
                        String state = stateOfJob.get(m.group(1));
                        if (state != null) {
                            ByState s = states.computeIfAbsent(state, k -> new ByState());
                            s.compactions++;
                            s.compactionReadBytes += Long.parseLong(m.group(2));
                        }
                    } else if (line.contains("] Compacted ")
                            && (m = COMPACTED.matcher(line)).find()) {
                        states.computeIfAbsent(m.group(1), k -> new ByState())
                                        .compactionWriteBytes +=
                                Long.parseLong(m.group(2));
                    }
                });
    }

    /**
     * The report: totals and, per state (largest writer first), bytes per visitor event applied.
     */
    static Map<String, Object> report(Map<String, ByState> states, long visitorEvents) {
        Map<String, Object> out = new LinkedHashMap<>();
        long flushed = states.values().stream().mapToLong(s -> s.flushBytes).sum();
        long read = states.values().stream().mapToLong(s -> s.compactionReadBytes).sum();
        long written = states.values().stream().mapToLong(s -> s.compactionWriteBytes).sum();
        double per = Math.max(1, visitorEvents);
        out.put("visitorEvents", visitorEvents);
        out.put("flushedBytes", flushed);
        out.put("compactionReadBytes", read);
        out.put("compactionWrittenBytes", written);
        out.put("flushedBytesPerVisitorEvent", Results.round(flushed / per, 1));
        out.put("compactionWrittenBytesPerVisitorEvent", Results.round(written / per, 1));
        out.put("writtenBytesPerVisitorEvent", Results.round((flushed + written) / per, 1));
        List<Map<String, Object>> rows = new ArrayList<>();
        states.entrySet().stream()
                .sorted(
                        Comparator.comparingLong(
                                        (Map.Entry<String, ByState> e) -> e.getValue().total())
                                .reversed())
                .forEach(
                        e -> {
                            ByState s = e.getValue();
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("state", e.getKey());
                            row.put("flushes", s.flushes);
                            row.put(
                                    "flushedBytesPerVisitorEvent",
                                    Results.round(s.flushBytes / per, 1));
                            row.put("compactions", s.compactions);
                            row.put(
                                    "compactionReadBytesPerVisitorEvent",
                                    Results.round(s.compactionReadBytes / per, 1));
                            row.put(
                                    "compactionWrittenBytesPerVisitorEvent",
                                    Results.round(s.compactionWriteBytes / per, 1));
                            row.put(
                                    "shareOfWrites",
                                    Results.round(
                                            (double) s.total() / Math.max(1, flushed + written),
                                            3));
                            rows.add(row);
                        });
        out.put("byState", rows);
        out.put(
                "note",
                "from the RocksDB info logs of every instance of the run (state.backend.rocksdb.log.dir): per column family (= state name), bytes flushed from memtables to level 0 (every checkpoint flushes) and bytes compactions read and wrote, over the whole run, per visitor event applied");
        return out;
    }
}
