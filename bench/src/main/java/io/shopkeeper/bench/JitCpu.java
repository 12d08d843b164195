package io.shopkeeper.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JIT compiler's CPU minute by minute over a run: HotSpot's compiler threads of this JVM ("C2
 * CompilerThread0", "C1 CompilerThread0"; the kernel cuts them to "C2 CompilerThre"), read from
 * {@code /proc/self/task/<tid>/stat}, beside the CPU of this JVM and redis-server at the same
 * moments. {@code cpuByThread} sums the steady window, which on a short run holds much of the
 * warm-up; this tells warm-up (compiling falls off over the minutes) from steady compilation (it
 * does not). Session 16 (JFR, every compilation): the compilations in a run are nearly all first
 * compilations of methods as the job's paths get hot, and the last minute's share is the figure for
 * a job that has run a while.
 */
final class JitCpu {
    /** One reading: nanoseconds since the start, compiler threads' ticks, JVM + redis CPU nanos. */
    record Point(long nanos, long jitTicks, long cpuNanos) {}

    private static final long EVERY_NANOS = 5_000_000_000L;

    private final List<Point> points = new ArrayList<>();

    /** Reads the compiler threads when 5 s have passed since the last reading (or at the first). */
    void poll(long nanos, long cpuNanos) {
        if (!points.isEmpty() && nanos - points.get(points.size() - 1).nanos() < EVERY_NANOS)
            return;
        add(new Point(nanos, ticks(), cpuNanos));
    }

    /** Reads them now, at the end of the run: the time and CPU of its last progress entry. */
    void last(List<long[]> progress) {
        if (progress.isEmpty()) return;
        long[] p = progress.get(progress.size() - 1); // {nanos since submit, applied, cpu nanos}
        add(new Point(p[0], ticks(), p[2]));
    }

    void add(Point p) {
        points.add(p);
    }

    /** CPU ticks so far of this JVM's compiler threads (ended threads' time is lost). */
    static long ticks() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    ThreadCpu.Sample s =
                            ThreadCpu.parseStat(
                                    "jvm", Files.readString(task.resolve("stat")), null);
                    if (isCompiler(s.name())) ticks += s.ticks();
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            return 0; // no /proc: nothing to read
        }
        return ticks;
    }

    static boolean isCompiler(String kernelName) {
        return kernelName.startsWith("C2 CompilerThre") || kernelName.startsWith("C1 CompilerThre");
    }

    /**
     * Per whole minute since the start (the last one partial), and over the last 60 s of readings:
     * the compiler threads' core-seconds and their share of the JVM's and redis-server's CPU.
     */
    Map<String, Object> report() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (points.size() < 2) return out;
        Point first = points.get(0), end = points.get(points.size() - 1);
        List<Map<String, Object>> minutes = new ArrayList<>();
        Point from = first;
        for (Point p : points) {
            boolean minuteOver = p.nanos() / 60_000_000_000L != from.nanos() / 60_000_000_000L;
            if ((minuteOver || p == end) && p != from) {
                Map<String, Object> m = span(from, p);
                m.put("minute", minutes.size() + 1);
                minutes.add(m);
                from = p;
            }
        }
        out.put("whole", span(first, end));
        Point lastMinuteFrom = first;
        for (Point p : points) if (end.nanos() - p.nanos() >= 60_000_000_000L) lastMinuteFrom = p;
        out.put("lastMinute", span(lastMinuteFrom, end));
        out.put("byMinute", minutes);
        out.put(
                "note",
                "CPU (user+sys) of this JVM's JIT compiler threads, /proc/self/task/*/stat every 5 s from the job's submission, and their share of this JVM's and redis-server's CPU; lastMinute: the last 60 s of the job's run, the figure for a job past its warm-up");
        return out;
    }

    /** Prints the report's minutes on one line; returns it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> print(Map<String, Object> report) {
        if (!(report.get("byMinute") instanceof List<?> minutes)) return report;
        StringBuilder line =
                new StringBuilder("JIT compiler threads, core-s (share of CPU) by minute:");
        for (Object m : minutes) {
            Map<String, Object> minute = (Map<String, Object>) m;
            line.append(
                    String.format(" %s (%s)", minute.get("jitCoreSeconds"), minute.get("share")));
        }
        Map<String, Object> last = (Map<String, Object>) report.get("lastMinute");
        line.append(
                String.format(
                        "; last 60 s: %s (%s)", last.get("jitCoreSeconds"), last.get("share")));
        System.err.println(line);
        return report;
    }

    /** The compiler threads' share of the CPU over the last minute of a report, or null. */
    @SuppressWarnings("unchecked")
    static Object lastMinuteShare(Object report) {
        return report instanceof Map<?, ?> r && r.get("lastMinute") instanceof Map<?, ?> last
                ? last.get("share")
                : null;
    }

    private static Map<String, Object> span(Point from, Point to) {
        double jit = (to.jitTicks() - from.jitTicks()) / ThreadCpu.TICKS_PER_SECOND;
        double all = (to.cpuNanos() - from.cpuNanos()) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fromSecond", Results.round(from.nanos() / 1e9, 1));
        m.put("toSecond", Results.round(to.nanos() / 1e9, 1));
        m.put("jitCoreSeconds", Results.round(jit, 2));
        m.put("share", all <= 0 ? null : Results.round(jit / all, 3));
        return m;
    }
}
