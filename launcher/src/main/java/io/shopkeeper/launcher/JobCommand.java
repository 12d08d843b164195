package io.shopkeeper.launcher;

import io.shopkeeper.launcher.cluster.ClusterState;
import io.shopkeeper.launcher.cluster.FlinkRest;
import io.shopkeeper.launcher.cluster.JobControl;
import io.shopkeeper.launcher.cluster.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shopkeeper job savepoint|stop|resume|upgrade}: the personalization job's operations on the
 * local cluster ({@code cluster up}) or any Flink cluster ({@code --flink URL}), through Flink's
 * REST API.
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description =
                "Savepoint, stop, resume or upgrade the personalization job on the local cluster or any Flink cluster (--flink URL).",
        subcommands = {
            JobCommand.Savepoint.class,
            JobCommand.Stop.class,
            JobCommand.Resume.class,
            JobCommand.Upgrade.class
        })
public final class JobCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** Which cluster: {@code --flink URL}, else the local cluster of {@code --data-dir}. */
    static final class Target {
        @Option(
                names = "--flink",
                description =
                        "The Flink cluster's REST URL (default: the local cluster's, else http://localhost:8081).")
        String flinkUrl;

        @Option(
                names = "--data-dir",
                defaultValue = ".shopkeeper-cluster",
                description = "The local cluster's folder (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(
                names = "--job",
                description = "The job id (default: the running personalization job).")
        String jobId;

        JobControl control() throws Exception {
            LocalCluster local = new LocalCluster(dataDir);
            Optional<ClusterState> state = local.state();
            String url =
                    flinkUrl != null
                            ? flinkUrl
                            : state.map(ClusterState::flinkUrl).orElse("http://localhost:8081");
            boolean isLocal = state.isPresent() && state.get().flinkUrl().equals(url);
            return new JobControl(new FlinkRest(url), isLocal ? local : null);
        }

        String job(JobControl control) throws Exception {
            return jobId != null ? jobId : control.activeJob();
        }
    }

    @Command(
            name = "savepoint",
            mixinStandardHelpOptions = true,
            description = "Take a savepoint; the job runs on.")
    static final class Savepoint implements Callable<Integer> {
        @Mixin Target target;

        @Option(
                names = "--dir",
                description = "Target folder URI (default: the cluster's savepoints/).")
        String dir;

        @Override
        public Integer call() throws Exception {
            JobControl control = target.control();
            System.out.println(control.savepoint(target.job(control), dir));
            return 0;
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop the job with a savepoint; prints its path.")
    static final class Stop implements Callable<Integer> {
        @Mixin Target target;

        @Option(
                names = "--dir",
                description = "Target folder URI (default: the cluster's savepoints/).")
        String dir;

        @Override
        public Integer call() throws Exception {
            JobControl control = target.control();
            System.out.println(control.stop(target.job(control), dir));
            return 0;
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description =
                    "Submit the job from a savepoint or checkpoint, with the arguments it last ran with on the local cluster (or those after --), changed by --set.")
    static final class Resume implements Callable<Integer> {
        @Mixin Target target;

        @Option(
                names = "--from",
                required = true,
                description = "Savepoint or retained checkpoint path.")
        String from;

        @Option(
                names = "--jar",
                description = "Job jar (default: the one last submitted to the local cluster).")
        Path jar;

        @Option(
                names = "--set",
                paramLabel = "OPTION=VALUE",
                description = "Change one job option, e.g. --set trending.size=30 (repeatable).")
        List<String> set = new ArrayList<>();

        @Parameters(description = "The job's arguments (a cluster other than the local one).")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            String jobId = target.control().resume(jar, from, args, set);
            System.out.println("job " + jobId + " runs, resumed from " + from);
            return 0;
        }
    }

    @Command(
            name = "upgrade",
            mixinStandardHelpOptions = true,
            description =
                    "Stop the job with a savepoint and submit the new jar from it (options changed by --set).")
    static final class Upgrade implements Callable<Integer> {
        @Mixin Target target;

        @Option(names = "--jar", required = true, description = "The new job jar.")
        Path jar;

        @Option(
                names = "--set",
                paramLabel = "OPTION=VALUE",
                description = "Change one job option, e.g. --set trending.size=30 (repeatable).")
        List<String> set = new ArrayList<>();

        @Parameters(description = "The job's arguments (a cluster other than the local one).")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            String jobId = target.control().upgrade(jar, args, set);
            System.out.println("job " + jobId + " runs the new jar " + jar);
            return 0;
        }
    }
}
