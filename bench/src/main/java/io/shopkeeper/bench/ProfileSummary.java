package io.shopkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Sums an async-profiler CPU profile in collapsed form with thread names ({@code bench/profile.sh})
 * by the benchmark's thread groups ({@link ThreadCpu#group}): each group's share of the samples,
 * the share of it inside RocksDB's JNI calls, and its hottest frames, inclusive (our code and
 * RocksDB's entry points) and self. Unlike JFR's Java samples, every thread on the CPU is sampled,
 * in native code too, so the time a task spends in RocksDB (a JNI call, a native frame) is counted.
 *
 * <p>Usage: {@code ProfileSummary FILE [GROUPS] [FRAMES]}: the largest GROUPS groups (default 8),
 * FRAMES frames each (default 12).
 */
public final class ProfileSummary {
    private ProfileSummary() {}

    /** Samples of one thread group. */
    private static final class Group {
        long samples;
        long inRocksDb;
        final Map<String, Long> inclusive = new HashMap<>();
        final Map<String, Long> self = new HashMap<>();
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ProfileSummary FILE [GROUPS] [FRAMES]");
            System.exit(2);
        }
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        Map<String, Group> byGroup = new HashMap<>();
        long total = 0;
        try (Stream<String> lines = Files.lines(Path.of(args[0]))) {
            for (String line : (Iterable<String>) lines::iterator) {
                int space = line.lastIndexOf(' ');
                if (space < 0) continue;
                long samples = Long.parseLong(line.substring(space + 1));
                String[] stack = line.substring(0, space).split(";");
                String thread = threadName(stack[0]);
                Group group =
                        byGroup.computeIfAbsent(ThreadCpu.group("jvm", thread), g -> new Group());
                group.samples += samples;
                total += samples;
                Set<String> seen = new HashSet<>();
                boolean rocksDb = false;
                for (int i = 1; i < stack.length; i++) {
                    String frame = stack[i];
                    if (frame.startsWith("org/rocksdb/")) rocksDb = true;
                    if (interesting(frame) && seen.add(frame))
                        group.inclusive.merge(frame, samples, Long::sum);
                }
                if (rocksDb) group.inRocksDb += samples;
                if (stack.length > 1) group.self.merge(stack[stack.length - 1], samples, Long::sum);
            }
        }
        System.out.printf("%,d samples%n", total);
        List<Map.Entry<String, Group>> largest =
                byGroup.entrySet().stream()
                        .sorted(Comparator.comparingLong(e -> -e.getValue().samples))
                        .toList();
        for (Map.Entry<String, Group> e : largest) {
            if (e.getValue().samples * 500 < total) break; // below 0.2%
            System.out.printf(
                    "%6.1f%%  %-60s %5.1f%% of it in RocksDB calls%n",
                    100.0 * e.getValue().samples / total,
                    e.getKey(),
                    100.0 * e.getValue().inRocksDb / Math.max(1, e.getValue().samples));
        }
        for (Map.Entry<String, Group> e : largest.subList(0, Math.min(groups, largest.size()))) {
            Group g = e.getValue();
            System.out.printf(
                    "%n%s (%.1f%% of all samples)%n  inclusive:%n",
                    e.getKey(), 100.0 * g.samples / total);
            print(g.inclusive, g.samples, frames);
            System.out.println("  self:");
            print(g.self, g.samples, frames);
        }
    }

    /**
     * "[name tid=123]" as async-profiler writes a thread: its name, the JIT compiler threads'
     * completed (the system keeps 15 characters of a native thread's name).
     */
    static String threadName(String frame) {
        String name =
                frame.startsWith("[") && frame.endsWith("]")
                        ? frame.substring(1, frame.length() - 1)
                        : frame;
        int tid = name.lastIndexOf(" tid=");
        if (tid >= 0) name = name.substring(0, tid);
        return name.startsWith("C2 CompilerThre") || name.startsWith("C1 CompilerThre")
                ? name.substring(0, 2) + " CompilerThread"
                : name;
    }

    /** Our code and RocksDB's Java entry points: where a task's time goes, by owner. */
    private static boolean interesting(String frame) {
        return frame.startsWith("io/shopkeeper/") || frame.startsWith("org/rocksdb/RocksDB.");
    }

    private static void print(Map<String, Long> frames, long of, int n) {
        frames.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> -e.getValue()))
                .limit(n)
                .forEach(
                        e ->
                                System.out.printf(
                                        "  %6.1f%%  %s%n",
                                        100.0 * e.getValue() / of,
                                        e.getKey().length() > 150
                                                ? e.getKey().substring(0, 150)
                                                : e.getKey()));
    }
}
