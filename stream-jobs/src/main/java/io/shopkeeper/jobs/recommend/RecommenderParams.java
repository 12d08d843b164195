package io.shopkeeper.jobs.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shopkeeper.schemas.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recommender params file: the knobs {@code ./shopkeeper tune} chose for a store, which the job
 * reads with {@code --recommender.params-file}. JSON, {@code {"params": {"NAME": "VALUE", ...},
 * "validation": {...}}}: {@code params} holds only the knobs that differ from the defaults, as
 * {@link RecommenderConfig#set} takes them; {@code validation} (optional, ignored by the job) says
 * how they were chosen.
 */
public final class RecommenderParams {
    private RecommenderParams() {}

    /**
     * The knobs of a params file, in file order.
     *
     * @throws IllegalArgumentException when the file is missing or not a params file
     */
    public static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            root = EventCodec.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read recommender params file " + file + ": " + e.getMessage());
        }
        JsonNode params = root == null ? null : root.get("params");
        if (params == null || !params.isObject()) {
            throw new IllegalArgumentException(
                    file + ": not a recommender params file (expected {\"params\": {...}})");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isContainerNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException(
                        file + ": bad value for recommender parameter " + e.getKey());
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** {@code config} with the knobs of {@code file} applied (unknown or bad knobs fail). */
    public static RecommenderConfig apply(RecommenderConfig config, Path file) {
        for (Map.Entry<String, String> e : read(file).entrySet()) {
            try {
                config.set(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(file + ": " + ex.getMessage());
            }
        }
        return config;
    }

    /** Writes a params file with {@code params} and the {@code validation} report. */
    public static void write(Path file, Map<String, String> params, Map<String, Object> validation)
            throws IOException {
        ObjectNode root = EventCodec.mapper().createObjectNode();
        ObjectNode p = root.putObject("params");
        params.forEach(p::put);
        if (validation != null) root.set("validation", EventCodec.mapper().valueToTree(validation));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(
                file,
                EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root)
                        + System.lineSeparator(),
                StandardCharsets.UTF_8);
    }
}
