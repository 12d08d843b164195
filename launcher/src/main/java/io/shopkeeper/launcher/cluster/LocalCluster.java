package io.shopkeeper.launcher.cluster;

import io.shopkeeper.api.ApiSettings;
import io.shopkeeper.api.access.AccessSettings;
import io.shopkeeper.embedded.EmbeddedKafka;
import io.shopkeeper.embedded.KafkaNode;
import io.shopkeeper.embedded.RedisClusterSetup;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.shop.LocalShop;
import io.shopkeeper.shop.Snapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;

/**
 * A Shopkeeper cluster of separate OS processes on this machine, all kept in one folder: a KRaft
 * Kafka broker, a redis-server, a standalone Flink session cluster (a JobManager and N
 * TaskManagers, {@code lib/} assembled from Flink's Maven Central modules) running the job jar
 * submitted through its REST API, exactly as to any cluster, and the API.
 *
 * <p>With {@link Settings#ha()} ({@code cluster up --ha}) the parts the job depends on are
 * replicated too: three KRaft Kafka nodes (broker and controller each, a quorum of 3; every topic
 * on all three with {@code min.insync.replicas} 2, so one broker may die without losing an
 * acknowledged record) and a Redis Cluster of three masters with a replica each (six redis-server
 * processes in cluster mode, formed by {@link RedisClusterSetup}); the job and the API are given
 * every node.
 *
 * <p>Contract: {@link #up} returns once the job runs and {@code /health} answers 200; {@link #down}
 * stops the job with a savepoint (cancelling, which keeps its last checkpoint, if that fails) and
 * every process, last started first; the next {@link #up} resumes the job from the newest savepoint
 * or checkpoint in the folder, with the Kafka log and Redis data it left.
 */
public final class LocalCluster {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    public static final String KAFKA = "kafka";
    public static final String REDIS = "redis";
    public static final String JOBMANAGER = "jobmanager";
    public static final String TASKMANAGER = "taskmanager";
    public static final String API = "api";

    /** Kafka nodes with {@code --ha}: a KRaft quorum of 3, every topic on all of them. */
    public static final int HA_KAFKA_NODES = 3;

    /** Redis Cluster masters with {@code --ha}, each with one replica. */
    public static final int HA_REDIS_MASTERS = 3;

    /** The marker of a folder holding an {@code --ha} cluster (its data fits no other kind). */
    static final String HA_MARKER = "ha";

    /**
     * How long each step of {@link #up} may take (a busy machine starts JVMs slowly: at load 60-90
     * on 2 cores the job took over 3 minutes to run after its TaskManagers registered).
     */
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

    static final Duration SAVEPOINT_TIMEOUT = Duration.ofMinutes(2);

    private final Path dir;

    public LocalCluster(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** What {@link #up} starts. */
    public record Settings(
            int taskManagers,
            ClusterPorts ports,
            Path jobJar,
            Path flinkLibClasspath,
            AccessSettings access,
            UnaryOperator<JobConfig.Builder> job,
            Duration eventMaxAge,
            boolean ha) {
        /** One Kafka broker and one redis-server. */
        public Settings(
                int taskManagers,
                ClusterPorts ports,
                Path jobJar,
                Path flinkLibClasspath,
                AccessSettings access,
                UnaryOperator<JobConfig.Builder> job,
                Duration eventMaxAge) {
            this(taskManagers, ports, jobJar, flinkLibClasspath, access, job, eventMaxAge, false);
        }

        /** Kafka's bootstrap servers: every broker. */
        public String kafkaBootstrap() {
            return ports.kafkaBootstrap(ha ? HA_KAFKA_NODES : 1);
        }

        /** The Redis Cluster's nodes ({@code host:port,...}), or null for the one redis-server. */
        public String redisCluster() {
            return ha ? ports.redisNodes(HA_REDIS_MASTERS * 2) : null;
        }
    }

    public Path dir() {
        return dir;
    }

    public Path savepoints() {
        return dir.resolve("savepoints");
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /** The recorded state, if a cluster was started in this folder and not taken down. */
    public Optional<ClusterState> state() throws IOException {
        return ClusterState.read(dir);
    }

    /**
     * Starts every process in order, submits the job (resuming from the newest snapshot in the
     * folder) and waits until it runs and the API is healthy. On failure, stops what it started.
     */
    public ClusterState up(Settings settings, PrintStream out) throws Exception {
        Optional<ClusterState> previous = state();
        if (previous.isPresent()
                && previous.get().processes().stream().anyMatch(ClusterProcess::alive)) {
            throw new IllegalStateException(
                    "a cluster already runs from " + dir + " (cluster status; cluster down)");
        }
        Files.createDirectories(logs());
        checkKind(settings.ha());
        ClusterPorts ports = settings.ports();
        ClusterState state =
                ClusterState.empty(
                        "http://localhost:" + ports.flinkRest(), "http://localhost:" + ports.api());
        state.write(dir);
        try {
            if (settings.ha()) {
                state = startRedisCluster(state, ports, out);
                state = startKafkaNodes(state, ports, HA_KAFKA_NODES, out);
            } else {
                state = startRedis(state, ports, out);
                state = startKafka(state, ports, out);
            }
            state = startFlink(state, settings, out);
            state = submitJob(state, settings, out);
            state = startApi(state, settings, out);
            return state;
        } catch (Exception | Error e) {
            out.println("cluster up failed: " + e.getMessage() + "; stopping what started");
            stopProcesses(state, out);
            throw e;
        }
    }

    private ClusterState startRedis(ClusterState state, ClusterPorts ports, PrintStream out)
            throws IOException {
        ClusterProcess redis = launchRedis(ports);
        state = record(state, redis, out, "redis-server on 127.0.0.1:" + ports.redis());
        await("redis to answer", () -> redisAnswers(ports.redis()) && redis.alive());
        return state;
    }

    /** redis-server on its port, with its append-only file in {@code redis/}. */
    private ClusterProcess launchRedis(ClusterPorts ports) throws IOException {
        Path data = Files.createDirectories(dir.resolve("redis"));
        Path binary = redisServerBinary();
        return ClusterProcess.start(
                REDIS,
                REDIS,
                List.of(
                        binary.toString(),
                        "--port",
                        Integer.toString(ports.redis()),
                        "--bind",
                        "127.0.0.1",
                        "--protected-mode",
                        "no",
                        "--dir",
                        data.toString(),
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "everysec",
                        "--maxmemory-policy",
                        "noeviction"),
                Map.of(),
                dir,
                logs().resolve("redis.log"));
    }

    /** The redis-server binary of the embedded-redis artifact, copied into the folder's bin/. */
    private Path redisServerBinary() throws IOException {
        Path binary = dir.resolve("bin/redis-server");
        if (!Files.isExecutable(binary)) {
            Files.createDirectories(binary.getParent());
            try (InputStream in =
                    Files.newInputStream(
                            ExecutableProvider.newJarResourceProvider().get().toPath())) {
                Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!binary.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + binary + " executable");
            }
        }
        return binary;
    }

    private static boolean redisAnswers(int port) {
        try (var client = new redis.clients.jedis.Jedis("127.0.0.1", port, 1000)) {
            return "PONG".equals(client.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The folder remembers whether it holds an {@code --ha} cluster (its Kafka log and Redis data
     * have another layout): starting it as the other kind is refused.
     */
    private void checkKind(boolean ha) throws IOException {
        Path marker = dir.resolve(HA_MARKER);
        boolean used = Files.exists(dir.resolve("kafka")) || Files.exists(dir.resolve("redis"));
        if (used && Files.exists(marker) != ha) {
            throw new IllegalStateException(
                    "the cluster in "
                            + dir
                            + (ha
                                    ? " was not started with --ha: `cluster up` without it (or --wipe)"
                                    : " was started with --ha: `cluster up --ha` (or --wipe)"));
        }
        if (ha) Files.writeString(marker, "cluster up --ha\n");
    }

    /**
     * Six redis-server processes in cluster mode, {@link #HA_REDIS_MASTERS} masters then a replica
     * of each, their append-only files and {@code nodes.conf} in {@code redis/node-i/}; formed into
     * a cluster on the first start, found formed on the next ones.
     */
    private ClusterState startRedisCluster(ClusterState state, ClusterPorts ports, PrintStream out)
            throws IOException {
        for (int i = 0; i < HA_REDIS_MASTERS * 2; i++) {
            RedisClusterSetup.checkNodePort(ports.redisNode(i));
        }
        Path binary = redisServerBinary();
        List<redis.clients.jedis.HostAndPort> nodes = new ArrayList<>();
        for (int i = 0; i < HA_REDIS_MASTERS * 2; i++) {
            state = startRedisNode(state, binary, ports, i, out);
            nodes.add(new redis.clients.jedis.HostAndPort("127.0.0.1", ports.redisNode(i)));
        }
        RedisClusterSetup.create(
                nodes.subList(0, HA_REDIS_MASTERS),
                nodes.subList(HA_REDIS_MASTERS, nodes.size()),
                STEP_TIMEOUT);
        out.printf("  Redis Cluster ok: %d masters, a replica each%n", HA_REDIS_MASTERS);
        return state;
    }

    private ClusterState startRedisNode(
            ClusterState state, Path binary, ClusterPorts ports, int index, PrintStream out)
            throws IOException {
        Path data = Files.createDirectories(dir.resolve("redis/node-" + index));
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(
                List.of(
                        "--port",
                        Integer.toString(ports.redisNode(index)),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        data.toString()));
        RedisClusterSetup.nodeSettings(true)
                .forEach((name, value) -> command.addAll(List.of("--" + name, value)));
        String name = REDIS + "-" + index;
        ClusterProcess node =
                ClusterProcess.start(
                        REDIS, name, command, Map.of(), dir, logs().resolve(name + ".log"));
        return record(
                state,
                node,
                out,
                "redis-server (cluster node) on 127.0.0.1:" + ports.redisNode(index));
    }

    /**
     * {@code nodes} KRaft Kafka nodes, each broker and controller (a quorum of {@code nodes}), logs
     * in {@code kafka/node-i/}; every topic on all of them (at most 3) with {@code
     * min.insync.replicas} one less, so one may die without losing an acknowledged record.
     */
    private ClusterState startKafkaNodes(
            ClusterState state, ClusterPorts ports, int nodes, PrintStream out) throws Exception {
        Path kafka = Files.createDirectories(dir.resolve("kafka"));
        Path idFile = kafka.resolve("cluster-id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, org.apache.kafka.common.Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(idFile).trim();
        List<Integer> brokerPorts = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            brokerPorts.add(ports.kafkaBroker(i));
            controllerPorts.add(ports.kafkaController(i));
        }
        for (int i = 0; i < nodes; i++) {
            Path data = kafka.resolve("node-" + i);
            Path properties =
                    KafkaNode.prepare(
                            data,
                            KafkaNode.properties(i, data, brokerPorts, controllerPorts),
                            clusterId);
            state =
                    record(
                            state,
                            startKafkaProcess(KAFKA + "-" + i, properties),
                            out,
                            "Kafka node " + i + " on 127.0.0.1:" + ports.kafkaBroker(i));
        }
        int replication = Math.min(3, nodes);
        try (EmbeddedKafka broker =
                EmbeddedKafka.external(ports.kafkaBootstrap(nodes), STEP_TIMEOUT)) {
            broker.awaitBrokers(nodes, STEP_TIMEOUT)
                    .createShopkeeperTopics(
                            2,
                            replication,
                            Map.of(
                                    "min.insync.replicas",
                                    Integer.toString(Math.max(1, replication - 1))));
        }
        return state;
    }

    private ClusterProcess startKafkaProcess(String name, Path properties) throws IOException {
        List<String> command = new ArrayList<>(javaCommand("-Xmx512m"));
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        KafkaNode.class.getName(),
                        properties.toString()));
        return ClusterProcess.start(
                KAFKA, name, command, Map.of(), dir, logs().resolve(name + ".log"));
    }

    /**
     * Starts the {@code --ha} cluster's process {@code name} ({@code kafka-i} or {@code redis-i})
     * again after it was killed (fault tests), with its data as it left it, on the ports the
     * cluster was started with.
     */
    public ClusterState restart(String name, ClusterPorts ports) throws Exception {
        ClusterState state = state().orElseThrow();
        ClusterProcess old =
                state.processes().stream()
                        .filter(p -> p.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no process " + name));
        if (old.alive()) throw new IllegalStateException(name + " still runs");
        ClusterState without = state.without(name);
        int index = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        ClusterState restarted;
        if (old.role().equals(REDIS)) {
            restarted = startRedisNode(without, redisServerBinary(), ports, index, quiet);
        } else if (old.role().equals(KAFKA)) {
            Path properties = dir.resolve("kafka/node-" + index).resolve(KafkaNode.PROPERTIES_FILE);
            restarted = record(without, startKafkaProcess(name, properties), quiet, name);
        } else {
            throw new IllegalArgumentException("only kafka and redis nodes restart alone: " + name);
        }
        return restarted;
    }

    private ClusterState startKafka(ClusterState state, ClusterPorts ports, PrintStream out)
            throws Exception {
        state =
                record(
                        state,
                        launchKafka(ports),
                        out,
                        "Kafka broker on 127.0.0.1:" + ports.kafka());
        try (EmbeddedKafka broker =
                EmbeddedKafka.external("127.0.0.1:" + ports.kafka(), STEP_TIMEOUT)) {
            broker.createShopkeeperTopics(2);
        }
        return state;
    }

    /** The KRaft broker (its own controller) on its ports, with its log in {@code kafka/}. */
    private ClusterProcess launchKafka(ClusterPorts ports) throws Exception {
        Path data = dir.resolve("kafka");
        Files.createDirectories(data);
        Path idFile = data.resolve("cluster-id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, org.apache.kafka.common.Uuid.randomUuid().toString());
        }
        Path properties =
                KafkaNode.prepare(
                        data,
                        KafkaNode.properties(
                                0, data, List.of(ports.kafka()), List.of(ports.kafkaController())),
                        Files.readString(idFile).trim());
        List<String> command = new ArrayList<>(javaCommand("-Xmx512m"));
        command.addAll(
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        KafkaNode.class.getName(),
                        properties.toString()));
        return ClusterProcess.start(
                KAFKA, KAFKA, command, Map.of(), dir, logs().resolve("kafka.log"));
    }

    /**
     * Starts the one-node cluster's stopped (or crashed) Kafka broker or redis-server again, with
     * its ports and data as before, and returns once it answers (the fault tests' "the process is
     * back"); the job and the API reconnect by themselves. An {@code --ha} node: {@link
     * #restart(String, ClusterPorts)}.
     */
    public ClusterState restartRole(String role, Settings settings) throws Exception {
        ClusterState state = state().orElseThrow(() -> new IllegalStateException("no cluster"));
        List<ClusterProcess> processes = state.role(role);
        if (processes.size() != 1 || processes.get(0).alive()) {
            throw new IllegalStateException(
                    "restart needs the one " + role + " process stopped: " + processes);
        }
        ClusterPorts ports = settings.ports();
        ClusterProcess started =
                switch (role) {
                    case REDIS -> launchRedis(ports);
                    case KAFKA -> launchKafka(ports);
                    default -> throw new IllegalArgumentException("cannot restart " + role);
                };
        state = state.replacing(processes.get(0).name(), started);
        state.write(dir);
        if (role.equals(REDIS)) {
            await("redis to answer", () -> redisAnswers(ports.redis()) && started.alive());
        } else {
            EmbeddedKafka.external("127.0.0.1:" + ports.kafka(), STEP_TIMEOUT).close();
        }
        return state;
    }

    private ClusterState startFlink(ClusterState state, Settings settings, PrintStream out)
            throws Exception {
        Path conf = writeFlinkConf(settings);
        List<String> classpath = assembleLib(settings.flinkLibClasspath());
        Configuration flinkConf = GlobalConfiguration.loadConfiguration(conf.toString());

        JobManagerProcessSpec jmSpec = JobManagerProcessUtils.processSpecFromConfig(flinkConf);
        List<String> jm = new ArrayList<>(javaCommand());
        jm.addAll(split(JobManagerProcessUtils.generateJvmParametersStr(jmSpec, flinkConf)));
        jm.addAll(flinkProcessArgs(conf, logs().resolve("jobmanager.log"), classpath));
        jm.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        jm.addAll(List.of("--configDir", conf.toString()));
        ClusterProcess jobManager =
                ClusterProcess.start(
                        JOBMANAGER,
                        JOBMANAGER,
                        jm,
                        Map.of(),
                        dir,
                        logs().resolve("jobmanager.log"));
        state = record(state, jobManager, out, "Flink JobManager, web UI " + state.flinkUrl());
        FlinkRest flink = new FlinkRest(state.flinkUrl());
        await("the JobManager to answer", () -> flink.hasTaskManagers(0) && jobManager.alive());

        for (int i = 1; i <= settings.taskManagers(); i++) {
            state = startTaskManager(state, i, conf, classpath, flinkConf, out);
        }
        await(
                settings.taskManagers() + " TaskManagers to register",
                () -> flink.hasTaskManagers(settings.taskManagers()));
        return state;
    }

    private ClusterState startTaskManager(
            ClusterState state,
            int index,
            Path conf,
            List<String> classpath,
            Configuration flinkConf,
            PrintStream out)
            throws IOException {
        String name = TASKMANAGER + "-" + index;
        Path log = logs().resolve(name + ".log");
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(flinkConf);
        List<String> tm = new ArrayList<>(javaCommand());
        tm.addAll(split(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        // What Flink's own scripts add from env.java.opts.taskmanager (the GC, see FLINK_SETTINGS).
        tm.addAll(split(flinkConf.get(CoreOptions.FLINK_TM_JVM_OPTIONS)));
        tm.addAll(flinkProcessArgs(conf, log, classpath));
        tm.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        tm.addAll(List.of("--configDir", conf.toString()));
        tm.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        tm.addAll(List.of("-D", "taskmanager.resource-id=" + name));
        return record(
                state,
                ClusterProcess.start(TASKMANAGER, name, tm, Map.of(), dir, log),
                out,
                "Flink TaskManager " + index);
    }

    /**
     * Starts TaskManager {@code index} again (after it was killed) and waits until the cluster has
     * {@code expected} TaskManagers.
     */
    public ClusterState restartTaskManager(int index, int expected) throws Exception {
        ClusterState state = state().orElseThrow();
        Path conf = dir.resolve("flink/conf");
        Configuration flinkConf = GlobalConfiguration.loadConfiguration(conf.toString());
        List<String> classpath = libJars();
        List<ClusterProcess> others =
                state.processes().stream()
                        .filter(p -> !p.name().equals(TASKMANAGER + "-" + index))
                        .toList();
        ClusterState without =
                new ClusterState(
                        others,
                        state.flinkUrl(),
                        state.apiUrl(),
                        state.jobId(),
                        state.jobJar(),
                        state.jobArgs(),
                        state.parallelism());
        ClusterState restarted =
                startTaskManager(
                        without,
                        index,
                        conf,
                        classpath,
                        flinkConf,
                        new PrintStream(PrintStream.nullOutputStream()));
        FlinkRest flink = new FlinkRest(state.flinkUrl());
        await(expected + " TaskManagers to register", () -> flink.hasTaskManagers(expected));
        return restarted;
    }

    /**
     * The Flink settings every deployment of the job shares, here and in {@code docker/} and {@code
     * deploy/kubernetes/} (checked by a test): memory fit for a small machine (RocksDB lives in the
     * managed memory), 2 slots per TaskManager spread evenly, failure detection within 10 s,
     * restarts every 2 s for ever (the job resumes from its last checkpoint each time), the
     * Prometheus reporter.
     */
    public static final Map<String, String> FLINK_SETTINGS = flinkSettings();

    /**
     * The TaskManagers' JVM options ({@code env.java.opts.taskmanager}): the parallel (throughput)
     * collector instead of G1. Measured at the benchmark's default size it saved 14% of the job's
     * CPU per event; the price is a full collection, stopping the TaskManager, whenever its old
     * generation fills (docs/sizing.md, "Garbage collector").
     */
    public static final String TASKMANAGER_JVM_OPTIONS = "-XX:+UseParallelGC";

    private static Map<String, String> flinkSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("jobmanager.memory.process.size", "1024m");
        settings.put("taskmanager.memory.process.size", "1536m");
        settings.put("taskmanager.memory.managed.size", "256m");
        settings.put("taskmanager.numberOfTaskSlots", "2");
        settings.put("taskmanager.load-balance.mode", "SLOTS");
        // The throughput collector: G1's write barriers and remembered sets cost the task threads
        // about 10% and its young pauses twice as long in all (docs/sizing.md, session 18).
        settings.put(CoreOptions.FLINK_TM_JVM_OPTIONS.key(), TASKMANAGER_JVM_OPTIONS);
        settings.put("heartbeat.interval", "2000");
        settings.put("heartbeat.timeout", "10000");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "2147483647");
        settings.put("restart-strategy.fixed-delay.delay", "2 s");
        settings.put(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        return java.util.Collections.unmodifiableMap(settings);
    }

    /**
     * Flink's {@code conf/config.yaml}: this machine's ports and folders, then {@link
     * #FLINK_SETTINGS}.
     */
    private Path writeFlinkConf(Settings settings) throws IOException {
        ClusterPorts ports = settings.ports();
        Path conf = Files.createDirectories(dir.resolve("flink/conf"));
        Map<String, String> yaml = new LinkedHashMap<>();
        yaml.put("jobmanager.rpc.address", "localhost");
        yaml.put("jobmanager.bind-host", "localhost");
        yaml.put("jobmanager.rpc.port", Integer.toString(ports.jobManagerRpc()));
        yaml.put("taskmanager.host", "localhost");
        yaml.put("taskmanager.bind-host", "localhost");
        yaml.put("taskmanager.rpc.port", ports.taskManagerRpc(settings.taskManagers()));
        yaml.put("rest.address", "localhost");
        yaml.put("rest.bind-address", "localhost");
        yaml.put("rest.port", Integer.toString(ports.flinkRest()));
        yaml.put("blob.server.port", Integer.toString(ports.blobServer()));
        yaml.put("web.upload.dir", dir.resolve("flink/uploads").toString());
        yaml.put("io.tmp.dirs", Files.createDirectories(dir.resolve("flink/tmp")).toString());
        yaml.put("state.backend.rocksdb.log.dir", dir.resolve("flink/tmp").toString());
        // A job's change log (--state.changelog) is written by the TaskManagers' storage, which
        // takes its settings from here, not from the job: beside the checkpoint folder, as the
        // job's
        // own setting would put it (JobConfig.changelogDir).
        yaml.put("state.changelog.storage", "filesystem");
        yaml.put(
                "state.changelog.dstl.dfs.base-path",
                dir.resolve("checkpoints-changelog").toAbsolutePath().toUri().toString());
        yaml.put("metrics.reporter.prom.port", ports.metricsPorts());
        yaml.putAll(FLINK_SETTINGS);
        StringBuilder text =
                new StringBuilder("# Written by ./shopkeeper cluster up; rewritten on each up.\n");
        yaml.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), text);
        Files.writeString(
                conf.resolve("log4j.properties"),
                """
                rootLogger.level = INFO
                rootLogger.appenderRef.console.ref = ConsoleAppender
                appender.console.name = ConsoleAppender
                appender.console.type = CONSOLE
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                """);
        return conf;
    }

    /**
     * Links the Flink runtime's jars into {@code flink/lib/}, the folder a flink-dist would ship.
     */
    private List<String> assembleLib(Path classpathFile) throws IOException {
        if (!Files.exists(classpathFile)) {
            throw new IOException(
                    classpathFile
                            + " is missing: build the Flink runtime's lib with `mvn -pl flink-lib"
                            + " generate-resources` (./shopkeeper does)");
        }
        Path lib = dir.resolve("flink/lib");
        LocalShop.deleteRecursively(lib);
        Files.createDirectories(lib);
        for (String jar :
                Files.readString(classpathFile).trim().split(java.io.File.pathSeparator)) {
            Path source = Path.of(jar);
            Files.createSymbolicLink(lib.resolve(source.getFileName()), source);
        }
        return libJars();
    }

    private List<String> libJars() throws IOException {
        try (Stream<Path> jars = Files.list(dir.resolve("flink/lib"))) {
            return jars.map(Path::toString).sorted().toList();
        }
    }

    private List<String> flinkProcessArgs(Path conf, Path log, List<String> classpath) {
        return List.of(
                "-Dlog.file=" + log,
                "-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"),
                "-cp",
                String.join(java.io.File.pathSeparator, classpath));
    }

    private ClusterState submitJob(ClusterState state, Settings settings, PrintStream out)
            throws Exception {
        JobConfig config = jobConfig(settings);
        FlinkRest flink = new FlinkRest(state.flinkUrl());
        Snapshots snapshots = new Snapshots(checkpoints(), savepoints());
        Optional<Path> from = snapshots.latest();
        if (from.isPresent()) snapshots.pruneAllBut(from.get());
        String jarId = flink.uploadJar(settings.jobJar());
        String jobId =
                flink.runJar(
                        jarId,
                        config.toArgs(),
                        config.parallelism(),
                        from.map(p -> p.toUri().toString()).orElse(null));
        state =
                state.withJob(
                        jobId, settings.jobJar().toString(), config.toArgs(), config.parallelism());
        state.write(dir);
        out.printf(
                "  job %s submitted (%s)%s%n",
                jobId,
                settings.jobJar().getFileName(),
                from.map(p -> ", resuming from " + p).orElse(", from nothing"));
        flink.awaitRunning(jobId, STEP_TIMEOUT);
        return state;
    }

    /**
     * The job's options on this cluster: its Kafka, Redis and folders, then the shop's settings.
     */
    JobConfig jobConfig(Settings settings) {
        JobConfig.Builder builder =
                JobConfig.builder()
                        .kafkaBootstrap(settings.kafkaBootstrap())
                        .redis("127.0.0.1", settings.ports().redis())
                        .redisCluster(settings.redisCluster())
                        .stateDir(checkpoints())
                        .savepointDir(savepoints());
        if (settings.eventMaxAge() != null) builder.eventMaxAge(settings.eventMaxAge());
        return settings.job().apply(builder).build();
    }

    private ClusterState startApi(ClusterState state, Settings settings, PrintStream out)
            throws Exception {
        ClusterPorts ports = settings.ports();
        AccessSettings access = settings.access();
        Map<String, String> env = new HashMap<>();
        env.put(ApiSettings.API_PORT, Integer.toString(ports.api()));
        env.put(ApiSettings.REDIS_HOST, "127.0.0.1");
        env.put(ApiSettings.REDIS_PORT, Integer.toString(ports.redis()));
        env.put(ApiSettings.KAFKA_BOOTSTRAP, settings.kafkaBootstrap());
        if (settings.ha()) env.put(ApiSettings.REDIS_CLUSTER, settings.redisCluster());
        env.put(AccessSettings.STOREFRONT_KEYS, String.join(",", access.storefrontKeys()));
        env.put(AccessSettings.ADMIN_KEYS, String.join(",", access.adminKeys()));
        env.put(AccessSettings.VISITOR_SECRET, access.visitorSecret());
        if (settings.eventMaxAge() != null) {
            env.put(ApiSettings.EVENT_MAX_AGE, settings.eventMaxAge().toString());
        }
        List<String> command = new ArrayList<>(javaCommand("-Xmx512m"));
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), "io.shopkeeper.api.ApiMain"));
        ClusterProcess api =
                ClusterProcess.start(API, API, command, env, dir, logs().resolve("api.log"));
        state = record(state, api, out, "API on " + state.apiUrl());
        String health = state.apiUrl() + "/health";
        await("/health to answer 200", () -> api.alive() && status(health) == 200);
        return state;
    }

    /** Stops the job with a savepoint, then every process, last started first. */
    public void down(PrintStream out) throws IOException {
        Optional<ClusterState> recorded = state();
        if (recorded.isEmpty()) {
            out.println("No cluster recorded in " + dir + ".");
            return;
        }
        ClusterState state = recorded.get();
        stopJob(state, out);
        stopProcesses(state, out);
        ClusterState.delete(dir);
    }

    /**
     * Stops the job with a savepoint in {@code savepoints/}; cancels it (its last checkpoint is
     * retained) when that fails. Returns the savepoint, if one was taken.
     */
    public Optional<String> stopJob(ClusterState state, PrintStream out) {
        if (state.jobId() == null) return Optional.empty();
        FlinkRest flink = new FlinkRest(state.flinkUrl());
        Optional<String> jobState = flink.jobState(state.jobId());
        if (jobState.isEmpty()
                || List.of("FINISHED", "CANCELED", "FAILED").contains(jobState.get())) {
            return Optional.empty();
        }
        try {
            String location =
                    flink.stopWithSavepoint(
                            state.jobId(), savepoints().toUri().toString(), SAVEPOINT_TIMEOUT);
            out.println("  job stopped with savepoint " + location);
            return Optional.of(location);
        } catch (IOException e) {
            out.println(
                    "  stop with savepoint failed ("
                            + e.getMessage()
                            + "); cancelling, the last checkpoint is kept");
            try {
                flink.cancel(state.jobId());
                flink.awaitTerminal(state.jobId(), SAVEPOINT_TIMEOUT);
            } catch (IOException cancelFailed) {
                out.println("  cancel failed too: " + cancelFailed.getMessage());
            }
            return Optional.empty();
        }
    }

    private void stopProcesses(ClusterState state, PrintStream out) {
        List<ClusterProcess> reverse = new ArrayList<>(state.processes());
        java.util.Collections.reverse(reverse);
        // The Kafka nodes together: one by one, the last ones would wait for a lost quorum.
        List<ClusterProcess> kafka = reverse.stream().filter(p -> p.role().equals(KAFKA)).toList();
        for (ClusterProcess process : reverse) {
            if (!process.alive()) continue;
            if (process.role().equals(KAFKA)) {
                List<ClusterProcess> alive = kafka.stream().filter(ClusterProcess::alive).toList();
                ClusterProcess.stopAll(alive, Duration.ofSeconds(30));
                alive.forEach(p -> out.printf("  stopped %s (pid %d)%n", p.name(), p.pid()));
                continue;
            }
            process.stop(Duration.ofSeconds(30));
            out.printf("  stopped %s (pid %d)%n", process.name(), process.pid());
        }
    }

    private ClusterState record(
            ClusterState state, ClusterProcess process, PrintStream out, String what)
            throws IOException {
        ClusterState next = state.with(process);
        next.write(dir);
        out.printf("  started %-14s pid %-7d %s%n", process.name(), process.pid(), what);
        return next;
    }

    private static List<String> javaCommand(String... options) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPENS);
        command.addAll(Arrays.asList(options));
        return command;
    }

    /** What Flink (and Kafka's broker) need opened on Java 17, as in Flink's own scripts. */
    private static final List<String> JVM_OPENS =
            Stream.of(
                            "java.lang",
                            "java.util",
                            "java.lang.reflect",
                            "java.nio",
                            "sun.nio.ch",
                            "java.net",
                            "java.io",
                            "java.time",
                            "java.util.concurrent",
                            "java.util.concurrent.atomic",
                            "java.text",
                            "java.math",
                            "java.lang.invoke",
                            "java.security",
                            "java.util.concurrent.locks")
                    .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
                    .toList();

    /** Splits Flink's generated "-Xmx.. -D k=v" strings into arguments. */
    private static List<String> split(String args) {
        return Arrays.stream(args.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    static int status(String url) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(3))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void await(String what, BooleanSupplier condition) throws IOException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "timed out waiting for " + what + "; see the logs in " + logs());
            }
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
        }
        LOG.debug("{}: done", what);
    }
}
