package io.shopkeeper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Where the CPU goes: every thread's CPU time (user + sys) of processes, read from {@code
 * /proc/<pid>/task/<tid>/stat} at two moments, summed by thread group ({@link #group}). Linux cuts
 * thread names to 15 characters; this JVM's threads get their full names from its own thread dump
 * ({@code Thread.print}, which gives each thread's native id), so Flink's task threads fold into
 * one group per task. Threads without a full name (another process, native threads such as
 * RocksDB's) keep the kernel's name.
 *
 * <p>Beside the CPU, the bytes each of this JVM's Java threads allocated on the heap ({@code
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), summed into the same groups by the
 * threads' names: what the work costs the garbage collector, and far steadier from run to run than
 * CPU time on a shared machine. Native threads (GC, JIT, RocksDB's) and other processes allocate
 * nothing on the heap and show no bytes.
 */
final class ThreadCpu {
    private ThreadCpu() {}

    /** Linux's clock ticks per second for {@code /proc} CPU times (USER_HZ: 100 on every port). */
    static final double TICKS_PER_SECOND = 100;

    /** One thread at one moment: its process's label, its name and CPU ticks so far. */
    record Sample(String process, String name, long ticks) {}

    /**
     * One Java thread of this JVM at one moment: its name and the heap bytes it allocated so far.
     */
    record Allocation(String name, long bytes) {}

    /**
     * CPU ticks of every thread of the processes, by {@code pid/tid}; heap bytes allocated by each
     * Java thread of this JVM, by its Java thread id (never reused within a JVM).
     */
    record Snapshot(Map<String, Sample> threads, Map<Long, Allocation> allocated) {
        Snapshot(Map<String, Sample> threads) {
            this(threads, Map.of());
        }

        /**
         * Heap bytes allocated per group from {@code start} to this snapshot (threads started in
         * between count from zero; threads that ended in between are missing), largest first.
         */
        Map<String, Long> allocatedSince(Snapshot start) {
            Map<String, Long> groups = new HashMap<>();
            allocated.forEach(
                    (id, now) -> {
                        Allocation before = start.allocated.get(id);
                        long bytes = now.bytes() - (before == null ? 0 : before.bytes());
                        if (bytes <= 0) return;
                        String name = before != null ? before.name() : now.name();
                        groups.merge(group("jvm", name), bytes, Long::sum);
                    });
            Map<String, Long> sorted = new LinkedHashMap<>();
            groups.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        }

        /** Core-seconds per group from {@code start} to this snapshot, largest first. */
        Map<String, Double> groupsSince(Snapshot start) {
            Map<String, Double> groups = new HashMap<>();
            threads.forEach(
                    (id, now) -> {
                        Sample before = start.threads.get(id);
                        long ticks = now.ticks() - (before == null ? 0 : before.ticks());
                        if (ticks <= 0) return;
                        String name = before != null ? before.name() : now.name();
                        groups.merge(
                                group(now.process(), name), ticks / TICKS_PER_SECOND, Double::sum);
                    });
            Map<String, Double> sorted = new LinkedHashMap<>();
            groups.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        }
    }

    /**
     * Reads every thread of this JVM (full names from its thread dump) and of {@code otherPid}
     * (labelled {@code otherLabel}; skipped when negative).
     */
    static Snapshot take(long otherPid, String otherLabel) {
        Map<String, Sample> threads = new HashMap<>();
        long self = ProcessHandle.current().pid();
        read(self, "jvm", fullNames(), threads);
        if (otherPid >= 0) read(otherPid, otherLabel, Map.of(), threads);
        return new Snapshot(threads, allocated());
    }

    /**
     * Heap bytes allocated so far by every live Java thread of this JVM, by thread id, with its
     * name; empty where the JVM cannot tell.
     */
    static Map<Long, Allocation> allocated() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx))
            return Map.of();
        try {
            if (!mx.isThreadAllocatedMemorySupported() || !mx.isThreadAllocatedMemoryEnabled())
                return Map.of();
            long[] ids = mx.getAllThreadIds();
            long[] bytes = mx.getThreadAllocatedBytes(ids);
            java.lang.management.ThreadInfo[] infos = mx.getThreadInfo(ids);
            Map<Long, Allocation> out = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                // a thread that ended between listing and reading: -1 bytes, no info
                if (bytes[i] < 0 || infos[i] == null) continue;
                out.put(ids[i], new Allocation(infos[i].getThreadName(), bytes[i]));
            }
            return out;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static void read(
            long pid, String label, Map<Long, String> names, Map<String, Sample> into) {
        try (DirectoryStream<Path> tasks =
                Files.newDirectoryStream(Path.of("/proc/" + pid, "task"))) {
            for (Path task : tasks) {
                long tid = Long.parseLong(task.getFileName().toString());
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    Sample s = parseStat(label, stat, names.get(tid));
                    into.put(pid + "/" + tid, s);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading: its time is lost either way
                }
            }
        } catch (IOException e) {
            // no /proc (not Linux) or the process is gone: nothing to read
        }
    }

    /**
     * One {@code /proc/.../stat} line: the name between the parentheses (it may hold spaces and
     * parentheses itself), then utime and stime (fields 14 and 15 of the line).
     */
    static Sample parseStat(String process, String stat, String fullName) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return new Sample(process, fullName != null ? fullName : name, ticks);
    }

    private static final Pattern DUMP_THREAD =
            Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b", Pattern.MULTILINE);

    /** This JVM's threads by native id, with their full names, from its own thread dump. */
    static Map<Long, String> fullNames() {
        try {
            String dump =
                    (String)
                            ManagementFactory.getPlatformMBeanServer()
                                    .invoke(
                                            new ObjectName(
                                                    "com.sun.management:type=DiagnosticCommand"),
                                            "threadPrint",
                                            new Object[] {new String[0]},
                                            new String[] {String[].class.getName()});
            return parseDump(dump);
        } catch (Exception e) {
            return Map.of(); // the kernel's short names only
        }
    }

    static Map<Long, String> parseDump(String dump) {
        Map<Long, String> names = new HashMap<>();
        Matcher m = DUMP_THREAD.matcher(dump);
        while (m.find()) {
            String nid = m.group(2);
            long tid =
                    nid.startsWith("0x")
                            ? Long.parseLong(nid.substring(2), 16)
                            : Long.parseLong(nid);
            names.put(tid, m.group(1));
        }
        return names;
    }

    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)(#\\d+)?");

    /**
     * The thread's group: the Flink task (subtask numbers folded), or what kind of thread it is.
     */
    static String group(String process, String name) {
        if (!process.equals("jvm")) return process;
        String folded = SUBTASK.matcher(name).replaceAll("").trim();
        if (name.startsWith("C2 CompilerThread") || name.startsWith("C1 CompilerThread"))
            return "JIT compiler (C2/C1)";
        if (name.startsWith("GC Thread")
                || name.startsWith("G1 ")
                || name.startsWith("VM Thread")
                || name.startsWith("ZGC")) return "GC and VM";
        if (name.startsWith("OutputFlusher")) return "output flushers";
        if (name.startsWith("qtp")) return "API request threads (Jetty's pool)";
        if (name.startsWith("closed-loop-") || name.startsWith("fixed-rate-"))
            return "benchmark load threads (the HTTP or Redis client)";
        if (name.startsWith("ForkJoinPool.commonPool")) return "ForkJoinPool common pool";
        if (name.startsWith("rocksdb")) return "rocksdb background";
        if (name.startsWith("kafka-producer-network-thread")) return "Kafka producers";
        if (name.startsWith("Source Data Fetcher")) return "Kafka source fetchers";
        if (isBroker(name)) return "Kafka broker";
        if (name.startsWith("Checkpoint")
                || name.startsWith("AsyncOperations")
                || name.startsWith("jobmanager-io")
                || name.startsWith("flink-")
                || name.startsWith("pekko")
                || name.startsWith("Flink-")) return "Flink runtime (checkpoints, RPC, I/O)";
        if (folded.startsWith("Source:")
                || folded.contains(" -> ")
                || SUBTASK.matcher(name).find()) {
            // a chain is named after its first operator: "profiles -> (item-messages, ...)"
            int chained = folded.indexOf(" -> ");
            return chained < 0
                    ? "task: " + folded
                    : "task: " + folded.substring(0, chained) + " (+ chained)";
        }
        return "other";
    }

    private static boolean isBroker(String name) {
        return name.startsWith("data-plane-kafka")
                || name.startsWith("kafka-request-handler")
                || name.startsWith("kafka-network-thread")
                || name.startsWith("kafka-scheduler")
                || name.startsWith("kafka-log")
                || name.startsWith("raft-")
                || name.startsWith("quorum-")
                || name.startsWith("controller-")
                || name.startsWith("broker-")
                || name.startsWith("ExpirationReaper")
                || name.startsWith("LogDirFailureHandler")
                || name.startsWith("group-coordinator")
                || name.startsWith("transaction-")
                || name.startsWith("ReplicaFetcher")
                || name.startsWith("kafka-");
    }

    /**
     * The figures for the result: per group core-seconds, share of the total and microseconds per
     * visitor event over the window, and heap bytes allocated per visitor event; the largest (by
     * CPU) first.
     */
    static Map<String, Object> report(
            Snapshot start, Snapshot end, long visitorEvents, double seconds) {
        return report(start, end, visitorEvents, seconds, "VisitorEvent");
    }

    /**
     * As above, per {@code count} units of work named {@code unit} ("VisitorEvent", "Request"): the
     * keys are {@code microsPer<unit>}, {@code totalMicrosPer<unit>}, {@code
     * allocatedBytesPer<unit>}, {@code totalAllocatedBytesPer<unit>} and the count's, {@code
     * visitorEvents} or {@code requests}. A group that allocated but used no CPU tick comes last,
     * with no CPU.
     */
    static Map<String, Object> report(
            Snapshot start, Snapshot end, long count, double seconds, String unit) {
        String perUnit = "microsPer" + unit;
        String countKey = Character.toLowerCase(unit.charAt(0)) + unit.substring(1) + "s";
        String bytesPerUnit = "allocatedBytesPer" + unit;
        Map<String, Double> groups = end.groupsSince(start);
        Map<String, Long> allocated = end.allocatedSince(start);
        double total = groups.values().stream().mapToDouble(Double::doubleValue).sum();
        long totalBytes = allocated.values().stream().mapToLong(Long::longValue).sum();
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach(
                (name, coreSeconds) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("group", name);
                    row.put("coreSeconds", Results.round(coreSeconds, 2));
                    row.put("share", Results.round(coreSeconds / total, 3));
                    row.put(
                            perUnit,
                            count <= 0 ? null : Results.round(coreSeconds * 1e6 / count, 1));
                    putAllocated(row, allocated.getOrDefault(name, 0L), count, bytesPerUnit);
                    rows.add(row);
                });
        allocated.forEach(
                (name, bytes) -> {
                    if (groups.containsKey(name)) return;
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("group", name);
                    row.put("coreSeconds", 0.0);
                    row.put("share", 0.0);
                    row.put(perUnit, count <= 0 ? null : 0.0);
                    putAllocated(row, bytes, count, bytesPerUnit);
                    rows.add(row);
                });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("windowSeconds", Results.round(seconds, 1));
        out.put(countKey, count);
        out.put("totalCoreSeconds", Results.round(total, 2));
        out.put("coresUsed", seconds <= 0 ? null : Results.round(total / seconds, 2));
        out.put("totalMicrosPer" + unit, count <= 0 ? null : Results.round(total * 1e6 / count, 1));
        out.put("totalAllocatedBytes", totalBytes);
        out.put(
                "totalAllocatedBytesPer" + unit,
                count <= 0 ? null : Math.round((double) totalBytes / count));
        out.put("groups", rows);
        return out;
    }

    private static void putAllocated(
            Map<String, Object> row, long bytes, long count, String bytesPerUnit) {
        row.put("allocatedBytes", bytes);
        row.put(bytesPerUnit, count <= 0 ? null : Math.round((double) bytes / count));
    }
}
