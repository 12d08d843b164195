package io.shopkeeper.launcher.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One OS process of the local cluster, as recorded in its state file: its role ({@code kafka},
 * {@code redis}, {@code jobmanager}, {@code taskmanager}, {@code api}), a name unique in the
 * cluster, its pid and start time (so a reused pid is not mistaken for it) and its log.
 */
public record ClusterProcess(String role, String name, long pid, long startedAt, String log) {

    /** Starts {@code command} in {@code workDir}, detached from this JVM, output to {@code log}. */
    static ClusterProcess start(
            String role,
            String name,
            List<String> command,
            Map<String, String> env,
            Path workDir,
            Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process process = builder.start();
        return new ClusterProcess(
                role,
                name,
                process.pid(),
                startTime(process.toHandle()),
                log.toAbsolutePath().toString());
    }

    private static long startTime(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::getEpochSecond).orElse(0L);
    }

    /** The live process, if this one still runs (not another that got its pid). */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> startedAt == 0 || startTime(h) == 0 || startTime(h) == startedAt);
    }

    public boolean alive() {
        return handle().isPresent();
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    public void stop(Duration grace) {
        handle().ifPresent(
                        h -> {
                            h.destroy();
                            try {
                                h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                            } catch (Exception e) {
                                h.destroyForcibly();
                                try {
                                    h.onExit().get(10, TimeUnit.SECONDS);
                                } catch (Exception ignored) {
                                    // reported by status
                                }
                            }
                        });
    }

    /**
     * SIGTERM to every one of {@code processes} at once, then SIGKILL to those still running after
     * {@code grace}: a replicated group (Kafka's quorum) stops together instead of losing its
     * majority one member at a time.
     */
    public static void stopAll(List<ClusterProcess> processes, Duration grace) {
        List<ProcessHandle> handles = processes.stream().flatMap(p -> p.handle().stream()).toList();
        handles.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : handles) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // reported by status
                }
            }
        }
    }

    /** SIGKILL, as a crash would (fault tests). */
    public void kill() {
        handle().ifPresent(
                        h -> {
                            h.destroyForcibly();
                            try {
                                h.onExit().get(10, TimeUnit.SECONDS);
                            } catch (Exception ignored) {
                                // reported by status
                            }
                        });
    }
}
