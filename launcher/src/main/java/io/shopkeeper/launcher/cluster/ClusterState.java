package io.shopkeeper.launcher.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code cluster up} started, kept in {@code cluster.json} in the cluster's folder so {@code
 * status}, {@code down} and the {@code job} commands (other invocations) find it: the processes,
 * the URLs, the job's id and the arguments it was submitted with.
 */
public record ClusterState(
        List<ClusterProcess> processes,
        String flinkUrl,
        String apiUrl,
        String jobId,
        String jobJar,
        List<String> jobArgs,
        int parallelism) {
    static final String FILE = "cluster.json";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ClusterState {
        processes = List.copyOf(processes);
        jobArgs = jobArgs == null ? List.of() : List.copyOf(jobArgs);
    }

    static ClusterState empty(String flinkUrl, String apiUrl) {
        return new ClusterState(List.of(), flinkUrl, apiUrl, null, null, List.of(), 0);
    }

    ClusterState with(ClusterProcess process) {
        List<ClusterProcess> more = new ArrayList<>(processes);
        more.add(process);
        return new ClusterState(more, flinkUrl, apiUrl, jobId, jobJar, jobArgs, parallelism);
    }

    /** The process called {@code name} replaced by {@code process}, in its place. */
    ClusterState replacing(String name, ClusterProcess process) {
        List<ClusterProcess> replaced =
                processes.stream().map(p -> p.name().equals(name) ? process : p).toList();
        return new ClusterState(replaced, flinkUrl, apiUrl, jobId, jobJar, jobArgs, parallelism);
    }

    ClusterState withJob(String id, String jar, List<String> args, int jobParallelism) {
        return new ClusterState(processes, flinkUrl, apiUrl, id, jar, args, jobParallelism);
    }

    /** This state without the process named {@code name} (to start it again). */
    ClusterState without(String name) {
        return new ClusterState(
                processes.stream().filter(p -> !p.name().equals(name)).toList(),
                flinkUrl,
                apiUrl,
                jobId,
                jobJar,
                jobArgs,
                parallelism);
    }

    /** The processes of {@code role}, in start order. */
    public List<ClusterProcess> role(String role) {
        return processes.stream().filter(p -> p.role().equals(role)).toList();
    }

    public static Optional<ClusterState> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return Optional.empty();
        return Optional.of(JSON.readValue(file.toFile(), ClusterState.class));
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }
}
