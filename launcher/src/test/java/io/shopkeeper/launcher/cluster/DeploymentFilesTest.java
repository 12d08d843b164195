package io.shopkeeper.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shopkeeper.jobs.JobConfig;
import io.shopkeeper.launcher.LocalJobSettings;
import io.shopkeeper.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What is shipped is what is tested: {@code docker/compose.yaml} and {@code deploy/kubernetes/} run
 * the job with the options the local cluster gives it ({@link LocalJobSettings}, parsed by the
 * job's own {@link JobConfig}), the Flink settings of {@link LocalCluster#FLINK_SETTINGS}, every
 * topic of {@link Topics}, the local cluster's ports, savepoint upgrades and HA on Kubernetes.
 */
class DeploymentFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = BuildOutputs.projectRoot();

    @Test
    void composeRunsTheJobWithTheLocalClustersOptionsAndFlinkSettings() throws IOException {
        JsonNode compose = read("docker/compose.yaml");
        JsonNode services = compose.path("services");
        assertThat(names(services))
                .contains("kafka", "topics", "redis", "jobmanager", "taskmanager", "api")
                .contains("prometheus", "grafana");

        JsonNode jobManager = services.path("jobmanager");
        List<String> command = strings(jobManager.path("command"));
        assertThat(command.subList(0, 3))
                .containsExactly(
                        "standalone-job",
                        "--job-classname",
                        io.shopkeeper.jobs.PersonalizationJob.class.getName());
        assertSameJob(
                command.subList(3, command.size()),
                "kafka:9092",
                "redis",
                "file:///flink-data/checkpoints",
                "file:///flink-data/savepoints");

        for (String flink : List.of("jobmanager", "taskmanager")) {
            Map<String, String> properties =
                    properties(
                            services.path(flink)
                                    .path("environment")
                                    .path("FLINK_PROPERTIES")
                                    .asText());
            assertThat(properties).as(flink).containsAllEntriesOf(LocalCluster.FLINK_SETTINGS);
        }
        assertThat(services.path("taskmanager").path("deploy").path("replicas").asInt())
                .isEqualTo(2);
        assertThat(services.path("taskmanager").path("image").asText())
                .isEqualTo(jobManager.path("image").asText());

        ClusterPorts local = ClusterPorts.defaults();
        assertThat(strings(jobManager.path("ports")))
                .containsExactly("127.0.0.1:" + local.flinkRest() + ":8081");
        assertThat(strings(services.path("api").path("ports")))
                .containsExactly("127.0.0.1:" + local.api() + ":7070");
        assertThat(services.path("api").path("environment").path("SHOPKEEPER_API_PORT").asText())
                .isEqualTo(Integer.toString(local.api()));
    }

    @Test
    void composeCreatesEveryTopicAndCompactsTheCompactedOnes() throws IOException {
        String script =
                strings(read("docker/compose.yaml").path("services").path("topics").path("command"))
                        .get(0);
        Matcher loop = Pattern.compile("for t in ([a-z\\- ]+); do").matcher(script);
        assertThat(loop.find()).isTrue();
        List<String> plain = List.of(loop.group(1).trim().split(" "));
        List<String> expected = new ArrayList<>(Topics.ALL);
        expected.removeAll(Topics.COMPACTED);
        assertThat(plain).containsExactlyInAnyOrderElementsOf(expected);
        for (String compacted : Topics.COMPACTED) {
            assertThat(script)
                    .contains(
                            "--topic "
                                    + compacted
                                    + " --partitions 2 --config cleanup.policy=compact");
        }
    }

    @Test
    void theFlinkDeploymentUpgradesWithSavepointsUnderHaWithTheSameJobAndSettings()
            throws IOException {
        JsonNode deployment = read("deploy/kubernetes/flinkdeployment.yaml");
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = deployment.path("spec");
        assertThat(spec.path("image").asText())
                .isEqualTo(
                        read("docker/compose.yaml")
                                .path("services")
                                .path("jobmanager")
                                .path("image")
                                .asText());
        JsonNode job = spec.path("job");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("jarURI").asText())
                .isEqualTo("local:///opt/flink/usrlib/shopkeeper-job.jar");
        assertThat(job.path("entryClass").asText())
                .isEqualTo(io.shopkeeper.jobs.PersonalizationJob.class.getName());
        assertSameJob(
                strings(job.path("args")),
                "kafka.shopkeeper.svc:9092",
                "redis.shopkeeper.svc",
                "s3://shopkeeper/checkpoints",
                "s3://shopkeeper/savepoints");
        assertThat(job.path("parallelism").asInt())
                .isEqualTo(
                        JobConfig.fromArgs(strings(job.path("args")).toArray(String[]::new))
                                .parallelism());

        Map<String, String> conf = new LinkedHashMap<>();
        spec.path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
        assertThat(conf).containsAllEntriesOf(LocalCluster.FLINK_SETTINGS);
        assertThat(conf)
                .containsEntry("high-availability.type", "kubernetes")
                .containsKey("high-availability.storageDir");
    }

    @Test
    void theApiManifestsServeOnTheLocalClustersPortAndAreReadyOnlyWhenHealthy() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Object doc :
                new Yaml().loadAll(Files.readString(ROOT.resolve("deploy/kubernetes/api.yaml")))) {
            docs.add(JSON.valueToTree(doc));
        }
        assertThat(docs)
                .extracting(d -> d.path("kind").asText())
                .containsExactly("Deployment", "Service");
        JsonNode container =
                docs.get(0).path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("image").asText())
                .isEqualTo(
                        read("docker/compose.yaml")
                                .path("services")
                                .path("api")
                                .path("image")
                                .asText());
        assertThat(container.path("ports").get(0).path("containerPort").asInt())
                .isEqualTo(ClusterPorts.defaults().api());
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/health");
        assertThat(docs.get(1).path("spec").path("ports").get(0).path("port").asInt())
                .isEqualTo(ClusterPorts.defaults().api());
        assertThat(docs.get(0).path("spec").path("selector").path("matchLabels"))
                .isEqualTo(
                        docs.get(0).path("spec").path("template").path("metadata").path("labels"))
                .isEqualTo(docs.get(1).path("spec").path("selector"));
    }

    @Test
    void grafanaProvisionsADashboardOfThroughputLagCheckpointsBackpressureAndApiLatency()
            throws IOException {
        JsonNode dashboard =
                new ObjectMapper()
                        .readTree(
                                ROOT.resolve("docker/grafana/dashboards/shopkeeper.json").toFile());
        String exprs = dashboard.path("panels").findValuesAsText("expr").toString();
        assertThat(exprs)
                .contains(
                        "numRecordsIn",
                        "records_lag_max",
                        "lastCheckpointDuration",
                        "backPressuredTimeMsPerSecond",
                        "http_server_requests_seconds_bucket");
        assertThat(
                        read("docker/grafana/provisioning/dashboards/shopkeeper.yaml")
                                .path("providers")
                                .get(0)
                                .path("options")
                                .path("path")
                                .asText())
                .isEqualTo("/var/lib/grafana/dashboards");
    }

    /** The args parse, with the job's own parser, to what the local cluster would run. */
    private static void assertSameJob(
            List<String> args,
            String kafka,
            String redisHost,
            String checkpoints,
            String savepoints) {
        JobConfig shipped = JobConfig.fromArgs(args.toArray(String[]::new));
        JobConfig local =
                LocalJobSettings.apply(
                                JobConfig.builder()
                                        .kafkaBootstrap(kafka)
                                        .redis(redisHost, 6379)
                                        .checkpointDir(checkpoints)
                                        .savepointDir(savepoints))
                        .build();
        assertThat(shipped.toArgs()).isEqualTo(local.toArgs());
    }

    /** A YAML file as a tree, anchors and aliases resolved (compose shares its Flink settings). */
    private static JsonNode read(String path) throws IOException {
        return JSON.valueToTree(new Yaml().load(Files.readString(ROOT.resolve(path))));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> properties(String yaml) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        ((ObjectNode) JSON.valueToTree(new Yaml().load(yaml)))
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
