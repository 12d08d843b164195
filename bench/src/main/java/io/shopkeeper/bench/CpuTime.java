package io.shopkeeper.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/**
 * CPU time spent by the benchmark's processes: this JVM (the job on its MiniCluster, the Kafka
 * broker, the benchmark) and redis-server. On a machine shared with other work the rates measure
 * the contention as much as the job; CPU time per event measures the work.
 */
final class CpuTime {
    private CpuTime() {}

    /** This JVM's CPU time (user + sys) so far, in nanoseconds; -1 when the JVM cannot tell. */
    static long jvmNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** redis-server's CPU time (user + sys, from {@code INFO cpu}) so far, in nanoseconds. */
    static long redisNanos(JedisPooled redis) {
        return redisNanos(
                new String(
                        (byte[]) redis.sendCommand(Protocol.Command.INFO, "cpu"),
                        StandardCharsets.UTF_8));
    }

    /** The CPU time in an {@code INFO cpu} answer, in nanoseconds. */
    static long redisNanos(String info) {
        double seconds = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return Math.round(seconds * 1e9);
    }

    /**
     * CPU microseconds per visitor event between the polls where {@code applied} first reached
     * {@code from} and {@code to}; each progress entry is {@code {nanos, applied, cpuNanos}}. NaN
     * when the window holds no events.
     */
    static double microsPerEvent(List<long[]> progress, double from, double to) {
        long[] first = null, last = null;
        for (long[] p : progress) {
            if (first == null && p[1] >= from) first = p;
            last = p;
            if (p[1] >= to) break;
        }
        if (first == null || last == null || last[1] <= first[1]) return Double.NaN;
        return (last[2] - first[2]) / 1e3 / (last[1] - first[1]);
    }
}
