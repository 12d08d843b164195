package io.shopkeeper.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * A client of a Flink cluster's REST API (the JobManager's {@code rest.port}): the calls a data
 * engineer's {@code flink run}/{@code flink stop} make, so the same commands work against the local
 * cluster and any other. Every call fails with an {@link IOException} naming the cluster's answer.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String url) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
    }

    public String url() {
        return base.toString().replaceAll("/$", "");
    }

    /**
     * {@code GET /overview}: TaskManagers, slots, jobs; throws when the cluster does not answer.
     */
    public JsonNode overview() throws IOException {
        return get("overview");
    }

    /** True when the cluster answers with at least {@code taskManagers} registered. */
    public boolean hasTaskManagers(int taskManagers) {
        try {
            return overview().path("taskmanagers").asInt() >= taskManagers;
        } catch (IOException e) {
            return false;
        }
    }

    /** Uploads a job jar ({@code POST /jars/upload}); returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "----shopkeeper" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(base.resolve("jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                        Duration.ofMinutes(2));
        String file = answer.path("filename").asText();
        if (file.isEmpty()) throw new IOException("jar upload answered " + answer);
        return Path.of(file).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's main class with {@code args} ({@code POST /jars/:id/run}), restoring
     * from {@code savepoint} when given (the state of an operator the jar dropped is left behind:
     * README, Upgrades); returns the job id.
     */
    public String runJar(String jarId, List<String> args, int parallelism, String savepoint)
            throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.putPOJO("programArgsList", args);
        request.put("parallelism", parallelism);
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
            request.put("allowNonRestoredState", true);
        }
        JsonNode answer = post("jars/" + jarId + "/run", request, Duration.ofMinutes(3));
        String jobId = answer.path("jobid").asText();
        if (jobId.isEmpty()) throw new IOException("jar run answered " + answer);
        return jobId;
    }

    /** The job's state ({@code RUNNING}, {@code FINISHED}, ...), or empty when unknown here. */
    public Optional<String> jobState(String jobId) {
        try {
            return Optional.of(get("jobs/" + jobId).path("state").asText());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The id of the newest job named {@code name} that is not yet globally terminal. */
    public Optional<String> activeJob(String name) throws IOException {
        String found = null;
        long newest = Long.MIN_VALUE;
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            String state = job.path("state").asText();
            if (!job.path("name").asText().equals(name) || TERMINAL.contains(state)) continue;
            if (job.path("start-time").asLong() > newest) {
                newest = job.path("start-time").asLong();
                found = job.path("jid").asText();
            }
        }
        return Optional.ofNullable(found);
    }

    private static final List<String> TERMINAL = List.of("FINISHED", "CANCELED", "FAILED");

    private static final List<String> RUNNING_OR_DONE = List.of("RUNNING", "FINISHED");

    /**
     * Waits until every task of the job runs or is done (the job alone says RUNNING while its tasks
     * still deploy, e.g. while restarting).
     */
    public void awaitRunning(String jobId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "unknown";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode job = get("jobs/" + jobId);
                last = job.path("state").asText();
                if (TERMINAL.contains(last)) {
                    throw new IOException("job " + jobId + " ended " + last + "; see the logs");
                }
                boolean allRunning = last.equals("RUNNING");
                for (JsonNode vertex : job.path("vertices")) {
                    // A bounded source (the job's built-in segment definitions) may be done.
                    allRunning &= RUNNING_OR_DONE.contains(vertex.path("status").asText());
                }
                if (allRunning) return;
            } catch (IOException e) {
                if (e.getMessage().startsWith("job ")) throw e;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new IOException("job " + jobId + " not running after " + timeout + " (" + last + ")");
    }

    /**
     * Stops the job with a savepoint in {@code targetDir} ({@code POST /jobs/:id/stop}); returns
     * the savepoint's location once it is complete.
     */
    public String stopWithSavepoint(String jobId, String targetDir, Duration timeout)
            throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", targetDir);
        request.put("drain", false);
        request.put("formatType", "CANONICAL");
        String trigger =
                post("jobs/" + jobId + "/stop", request, timeout).path("request-id").asText();
        return awaitSavepoint(jobId, trigger, timeout);
    }

    /** Takes a savepoint in {@code targetDir}, the job running on; returns its location. */
    public String savepoint(String jobId, String targetDir, Duration timeout) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("target-directory", targetDir);
        request.put("cancel-job", false);
        request.put("formatType", "CANONICAL");
        String trigger =
                post("jobs/" + jobId + "/savepoints", request, timeout).path("request-id").asText();
        return awaitSavepoint(jobId, trigger, timeout);
    }

    private String awaitSavepoint(String jobId, String trigger, Duration timeout)
            throws IOException {
        if (trigger.isEmpty()) throw new IOException("no savepoint was triggered for " + jobId);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = get("jobs/" + jobId + "/savepoints/" + trigger);
            if (answer.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = answer.path("operation");
                if (operation.has("location")) return operation.path("location").asText();
                throw new IOException(
                        "savepoint of "
                                + jobId
                                + " failed: "
                                + operation.path("failure-cause").path("stack-trace").asText());
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new IOException("savepoint of " + jobId + " not complete after " + timeout);
    }

    /** Cancels the job ({@code PATCH /jobs/:id?mode=cancel}); its last checkpoint is retained. */
    public void cancel(String jobId) throws IOException {
        send(
                HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()),
                Duration.ofSeconds(30));
    }

    /** Waits until the job is globally terminal. */
    public void awaitTerminal(String jobId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (jobState(jobId).map(TERMINAL::contains).orElse(true)) return;
            LockSupport.parkNanos(POLL.toNanos());
        }
        throw new IOException("job " + jobId + " still running after " + timeout);
    }

    public JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), Duration.ofSeconds(10));
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) throws IOException {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                timeout);
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) throws IOException {
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String body = response.body();
        if (response.statusCode() >= 300) {
            throw new IOException(
                    "Flink at "
                            + url()
                            + " answered "
                            + response.statusCode()
                            + " to "
                            + response.request().method()
                            + " "
                            + response.request().uri().getPath()
                            + ": "
                            + body);
        }
        return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }
}
