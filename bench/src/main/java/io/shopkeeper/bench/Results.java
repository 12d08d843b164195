package io.shopkeeper.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark's result document: an ordered JSON object written to {@code
 * <name>-<timestamp>.json} and {@code <name>-latest.json}.
 */
final class Results {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final Map<String, Object> root = new LinkedHashMap<>();

    Results(String name, Object options) {
        this.name = name;
        root.put("benchmark", name);
        root.put("startedAt", Instant.now().toString());
        root.put("machine", machine());
        root.put("options", options);
    }

    /** A nested section, created on first use. */
    @SuppressWarnings("unchecked")
    Map<String, Object> section(String key) {
        return (Map<String, Object>)
                root.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    void put(String key, Object value) {
        root.put(key, value);
    }

    /** Writes the document; returns the timestamped file. */
    Path write(Path dir) throws IOException {
        root.put("finishedAt", Instant.now().toString());
        Files.createDirectories(dir);
        Path file = dir.resolve(name + "-" + STAMP.format(Instant.now()) + ".json");
        JSON.writeValue(file.toFile(), root);
        Files.copy(file, dir.resolve(name + "-latest.json"), StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    static Map<String, Object> read(Path file) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.readValue(file.toFile(), Map.class);
        return map;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("physicalMemoryMb", physicalMemoryMb());
        m.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put(
                "os",
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"));
        m.put(
                "jvmArgs",
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> !a.startsWith("--add-opens"))
                        .toList());
        return m;
    }

    private static long physicalMemoryMb() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / (1024 * 1024);
        }
        return -1;
    }

    /**
     * The 1-minute system load average: above the core count means other work competed for the CPU.
     */
    static double loadAverage() {
        return round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }

    /** Total collections and milliseconds spent in garbage collection by this JVM so far. */
    static long[] gcTotals() {
        long count = 0, millis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
