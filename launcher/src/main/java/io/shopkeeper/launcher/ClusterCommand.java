package io.shopkeeper.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.launcher.cluster.BuildOutputs;
import io.shopkeeper.launcher.cluster.ClusterPorts;
import io.shopkeeper.launcher.cluster.ClusterProcess;
import io.shopkeeper.launcher.cluster.ClusterState;
import io.shopkeeper.launcher.cluster.FlinkRest;
import io.shopkeeper.launcher.cluster.LocalCluster;
import io.shopkeeper.shop.LocalShop;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code shopkeeper cluster up|status|down}: the shop as separate OS processes on this machine (a
 * Kafka broker, redis-server, a Flink JobManager and TaskManagers running the job jar, the API;
 * with {@code --ha} three Kafka nodes and a Redis Cluster of six redis-servers), logs and data in
 * one folder; see {@link LocalCluster}.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "Run the shop as separate processes: Kafka, Redis, a Flink JobManager and TaskManagers running the job jar, the API.",
        subcommands = {
            ClusterCommand.Up.class,
            ClusterCommand.Status.class,
            ClusterCommand.Down.class
        })
public final class ClusterCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** The cluster's folder, shared by every subcommand. */
    static final class Folder {
        @Option(
                names = "--data-dir",
                defaultValue = ".shopkeeper-cluster",
                description =
                        "Folder for every process's data and logs and the cluster's state (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        LocalCluster cluster() {
            return new LocalCluster(dataDir);
        }
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description =
                    "Start every process, submit the job jar through Flink's REST API (resuming from the last savepoint or checkpoint), wait until the job runs and /health is 200.")
    static final class Up implements Callable<Integer> {
        @Mixin Folder folder;

        @Option(
                names = "--taskmanagers",
                defaultValue = "2",
                description = "TaskManager processes, 2 slots each (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(names = "--wipe", description = "Delete the folder first: start from nothing.")
        boolean wipe;

        @Option(
                names = "--ha",
                description =
                        "Replicated Kafka and Redis: three KRaft Kafka nodes (topics on all three, min.insync.replicas 2) on --kafka-port, +2, +4, and a Redis Cluster of three masters with a replica each (six redis-server processes) on --redis-port .. +5. A folder keeps the kind it was started as.")
        boolean ha;

        @Option(names = "--api-port", defaultValue = "7070")
        int apiPort;

        @Option(names = "--redis-port", defaultValue = "6379")
        int redisPort;

        @Option(
                names = "--kafka-port",
                defaultValue = "9092",
                description = "Kafka's port; its KRaft controller takes the next one.")
        int kafkaPort;

        @Option(
                names = "--flink-port",
                defaultValue = "8081",
                description =
                        "Flink's REST API and web UI; the JobManager's RPC and blob server take the next two, the TaskManagers the ones after.")
        int flinkPort;

        @Option(
                names = "--metrics-ports",
                defaultValue = "9249-9259",
                description =
                        "Port range of the Flink processes' Prometheus reporters (default: ${DEFAULT-VALUE}).")
        String metricsPorts;

        @Option(
                names = "--jar",
                description = "The job jar (default: the one built in stream-jobs/target).")
        Path jar;

        @Override
        public Integer call() throws Exception {
            LocalCluster cluster = folder.cluster();
            if (wipe) {
                if (cluster.state()
                        .map(s -> s.processes().stream().anyMatch(ClusterProcess::alive))
                        .orElse(false)) {
                    System.err.println(
                            "The cluster in " + cluster.dir() + " runs: `cluster down` first.");
                    return 1;
                }
                LocalShop.deleteRecursively(cluster.dir());
            }
            AccessSettings access =
                    QuickStartKeys.loadOrCreate(
                            java.nio.file.Files.createDirectories(cluster.dir()), System.getenv());
            ClusterPorts ports =
                    new ClusterPorts(apiPort, redisPort, kafkaPort, flinkPort, metricsPorts);
            long started = System.nanoTime();
            System.out.println("Starting the Shopkeeper cluster in " + cluster.dir() + " ...");
            ClusterState state =
                    cluster.up(
                            new LocalCluster.Settings(
                                    taskManagers,
                                    ports,
                                    jar != null ? jar : BuildOutputs.jobJar(),
                                    BuildOutputs.flinkLibClasspath(),
                                    access,
                                    LocalJobSettings::apply,
                                    null,
                                    ha),
                            System.out);
            System.out.printf(
                    """

                    ==================================================================
                     Shopkeeper cluster is up after %.1f s (the job runs, /health is 200)
                    ==================================================================
                     API            %s   (health: %s/health)
                     Flink web UI   %s   (job %s)
                     Kafka          %s
                     Redis          %s
                     Prometheus     the Flink processes' reporters on ports %s; the API's %s/metrics
                     Folder         %s   (logs/, kafka/, redis/, checkpoints/, savepoints/)

                     export SK_STORE=%s
                     export SK_ADMIN=%s

                     ./shopkeeper cluster status        every process and the job
                     ./shopkeeper traffic --api %s --key $SK_STORE   simulated storefront traffic
                     ./shopkeeper job savepoint | stop | resume --from PATH | upgrade --jar JAR   --flink %s
                     ./shopkeeper cluster down          savepoint, then stop everything (`up` resumes)
                    ==================================================================
                    %n""",
                    (System.nanoTime() - started) / 1e9,
                    state.apiUrl(),
                    state.apiUrl(),
                    state.flinkUrl(),
                    state.jobId(),
                    ports.kafkaBootstrap(ha ? LocalCluster.HA_KAFKA_NODES : 1),
                    ha
                            ? "Redis Cluster " + ports.redisNodes(LocalCluster.HA_REDIS_MASTERS * 2)
                            : "127.0.0.1:" + redisPort,
                    metricsPorts,
                    state.apiUrl(),
                    cluster.dir(),
                    access.storefrontKey(),
                    access.adminKey(),
                    state.apiUrl(),
                    state.flinkUrl());
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Every process of the cluster (role, pid, alive) and the job's state.")
    static final class Status implements Callable<Integer> {
        @Mixin Folder folder;

        @Option(names = "--json", description = "As JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Optional<ClusterState> recorded = folder.cluster().state();
            if (recorded.isEmpty()) {
                System.out.println(
                        json
                                ? "{\"processes\":[],\"job\":null}"
                                : "No cluster in " + folder.dataDir.toAbsolutePath() + ".");
                return 3;
            }
            ClusterState state = recorded.get();
            String jobState =
                    state.jobId() == null
                            ? "none"
                            : new FlinkRest(state.flinkUrl())
                                    .jobState(state.jobId())
                                    .orElse("unknown (Flink does not answer)");
            if (json) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ObjectNode root = mapper.createObjectNode();
                ArrayNode processes = root.putArray("processes");
                for (ClusterProcess p : state.processes()) {
                    processes
                            .addObject()
                            .put("role", p.role())
                            .put("name", p.name())
                            .put("pid", p.pid())
                            .put("alive", p.alive())
                            .put("log", p.log());
                }
                root.putObject("job").put("id", state.jobId()).put("state", jobState);
                root.put("flink", state.flinkUrl()).put("api", state.apiUrl());
                System.out.println(mapper.writeValueAsString(root));
            } else {
                System.out.printf(
                        "%-12s %-15s %-8s %-6s %s%n", "ROLE", "NAME", "PID", "ALIVE", "LOG");
                for (ClusterProcess p : state.processes()) {
                    System.out.printf(
                            "%-12s %-15s %-8d %-6s %s%n",
                            p.role(), p.name(), p.pid(), p.alive() ? "yes" : "NO", p.log());
                }
                System.out.printf(
                        "job %s: %s   (Flink %s, API %s)%n",
                        state.jobId(), jobState, state.flinkUrl(), state.apiUrl());
            }
            boolean allAlive = state.processes().stream().allMatch(ClusterProcess::alive);
            return allAlive && jobState.equals("RUNNING") ? 0 : 1;
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description =
                    "Stop the job with a savepoint (cancel, keeping the last checkpoint, if that fails), then every process.")
    static final class Down implements Callable<Integer> {
        @Mixin Folder folder;

        @Override
        public Integer call() throws Exception {
            System.out.println(
                    "Stopping the Shopkeeper cluster in "
                            + folder.dataDir.toAbsolutePath()
                            + " ...");
            folder.cluster().down(System.out);
            System.out.println("Stopped. `./shopkeeper cluster up` resumes where it stopped.");
            return 0;
        }
    }
}
