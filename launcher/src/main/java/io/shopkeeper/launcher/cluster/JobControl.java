package io.shopkeeper.launcher.cluster;

import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.jobs.PersonalizationJob;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A data engineer's operations on the personalization job of any Flink cluster, through its REST
 * API: savepoint, stop with a savepoint, resume from one (same or new jar, changed options),
 * upgrade (stop with a savepoint, submit the new jar from it). With the local cluster's folder, a
 * resumed job takes the arguments it was last submitted with (plus overrides) and is recorded as
 * the cluster's job.
 */
public final class JobControl {
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final FlinkRest flink;
    private final LocalCluster local;

    /** {@code local} may be null: a cluster this machine did not start. */
    public JobControl(FlinkRest flink, LocalCluster local) {
        this.flink = flink;
        this.local = local;
    }

    public FlinkRest flink() {
        return flink;
    }

    /** The running personalization job's id. */
    public String activeJob() throws IOException {
        return flink.activeJob(PersonalizationJob.JOB_NAME)
                .orElseThrow(
                        () ->
                                new IOException(
                                        "no "
                                                + PersonalizationJob.JOB_NAME
                                                + " job runs on "
                                                + flink.url()));
    }

    /** Where savepoints go when none is named: the local cluster's folder, else the job's own. */
    public String savepointDir(String given) {
        if (given != null) return given;
        return local != null ? local.savepoints().toUri().toString() : null;
    }

    public String savepoint(String jobId, String targetDir) throws IOException {
        return flink.savepoint(jobId, savepointDir(targetDir), TIMEOUT);
    }

    public String stop(String jobId, String targetDir) throws IOException {
        return flink.stopWithSavepoint(jobId, savepointDir(targetDir), TIMEOUT);
    }

    /**
     * Submits {@code jar} from {@code savepoint} (null: from nothing) with the recorded arguments
     * (the local cluster's) or {@code args}, then {@code overrides} ({@code name=value}, replacing
     * every value of that option); waits until it runs.
     */
    public String resume(Path jar, String savepoint, List<String> args, List<String> overrides)
            throws IOException {
        Optional<ClusterState> state = local != null ? local.state() : Optional.empty();
        List<String> base =
                !args.isEmpty()
                        ? args
                        : state.map(ClusterState::jobArgs)
                                .orElseThrow(
                                        () ->
                                                new IOException(
                                                        "no job arguments: give them after -- (this is not the local cluster)"));
        JobConfig config = JobConfig.fromArgs(merge(base, overrides).toArray(String[]::new));
        Path jarFile =
                jar != null
                        ? jar
                        : Path.of(
                                state.map(ClusterState::jobJar)
                                        .orElseThrow(
                                                () -> new IOException("give the job jar: --jar")));
        String jarId = flink.uploadJar(jarFile);
        String jobId = flink.runJar(jarId, config.toArgs(), config.parallelism(), savepoint);
        if (state.isPresent() && local != null) {
            state.get()
                    .withJob(
                            jobId,
                            jarFile.toAbsolutePath().toString(),
                            config.toArgs(),
                            config.parallelism())
                    .write(local.dir());
        }
        flink.awaitRunning(jobId, TIMEOUT);
        return jobId;
    }

    /** Stops the running job with a savepoint and resumes {@code jar} from it. */
    public String upgrade(Path jar, List<String> args, List<String> overrides) throws IOException {
        String savepoint = stop(activeJob(), null);
        return resume(jar, savepoint, args, overrides);
    }

    /** {@code base} with every option named in {@code overrides} replaced by the override. */
    static List<String> merge(List<String> base, List<String> overrides) {
        List<String[]> pairs =
                pairs(overrides.stream().map(o -> o.startsWith("--") ? o : "--" + o).toList());
        List<String> merged = new ArrayList<>();
        for (String[] arg : pairs(base)) {
            if (pairs.stream().noneMatch(o -> o[0].equals(arg[0]))) merged.add(join(arg));
        }
        for (String[] arg : pairs) merged.add(join(arg));
        return merged;
    }

    private static List<String[]> pairs(List<String> args) {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            if (eq > 0) {
                pairs.add(new String[] {arg.substring(0, eq), arg.substring(eq + 1)});
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                pairs.add(new String[] {arg, args.get(++i)});
            } else {
                pairs.add(new String[] {arg, null});
            }
        }
        return pairs;
    }

    private static String join(String[] pair) {
        return pair[1] == null ? pair[0] : pair[0] + "=" + pair[1];
    }
}
