package io.shopkeeper.jobs.segments;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ProfileDocument;
import io.shopkeeper.schemas.offers.ProfileFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;

/**
 * Evaluates declarative segment definitions (JEXL conditions) against a profile. Definitions are
 * checked when loaded: a condition that does not parse, or names a fact that does not exist, fails
 * the job at start rather than silently matching nobody.
 */
public final class SegmentEvaluator implements Serializable {
    /** The facts a condition may use, shared with campaign audiences ({@link ProfileFacts}). */
    public static final Set<String> FACTS = ProfileFacts.NAMES;

    public static final String DEFAULTS_RESOURCE = "/segments.json";

    private final List<SegmentDefinition> definitions;
    private transient JexlEngine jexl;
    private transient Map<String, JexlScript> compiled;

    public SegmentEvaluator(List<SegmentDefinition> definitions) {
        this.definitions = List.copyOf(definitions);
        compile();
    }

    /**
     * The default definitions shipped with the job (vip, loyal, price_sensitive, drifting_now,
     * at_risk, ...).
     */
    public static SegmentEvaluator defaults() {
        try (InputStream in = SegmentEvaluator.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            return new SegmentEvaluator(
                    EventCodec.mapper()
                            .readValue(in, new TypeReference<List<SegmentDefinition>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS_RESOURCE, e);
        }
    }

    /** Definitions from a JSON file: {@code [{"name":..,"description":..,"condition":..}, ...]}. */
    public static SegmentEvaluator fromFile(Path file) {
        try {
            return new SegmentEvaluator(
                    EventCodec.mapper()
                            .readValue(
                                    Files.readAllBytes(file),
                                    new TypeReference<List<SegmentDefinition>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segment definitions from " + file, e);
        }
    }

    public List<SegmentDefinition> definitions() {
        return definitions;
    }

    /** The names of the segments the profile is in, in definition order. */
    public List<String> segmentsOf(ProfileDocument profile) {
        if (compiled == null) compile();
        MapContext context = new MapContext(ProfileFacts.of(profile));
        List<String> in = new ArrayList<>();
        for (SegmentDefinition d : definitions) {
            Object result = compiled.get(d.getName()).execute(context);
            if (Boolean.TRUE.equals(result)) in.add(d.getName());
        }
        return in;
    }

    private void compile() {
        jexl = new JexlBuilder().strict(true).silent(false).safe(false).create();
        compiled = new LinkedHashMap<>();
        for (SegmentDefinition d : definitions) {
            if (d.getName() == null || !d.getName().matches("[a-z0-9_]{1,64}")) {
                throw new IllegalArgumentException(
                        "segment name must match [a-z0-9_]{1,64}: " + d.getName());
            }
            try {
                JexlScript expression = jexl.createScript(d.getCondition());
                for (List<String> variable : expression.getVariables()) {
                    if (!FACTS.contains(variable.get(0))) {
                        throw new IllegalArgumentException(
                                "segment '"
                                        + d.getName()
                                        + "' uses unknown fact '"
                                        + variable.get(0)
                                        + "'; known facts: "
                                        + FACTS);
                    }
                }
                compiled.put(d.getName(), expression);
            } catch (JexlException e) {
                throw new IllegalArgumentException(
                        "segment '" + d.getName() + "' has an invalid condition: " + e.getMessage(),
                        e);
            }
        }
    }
}
