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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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

    /** Distinct fact values remembered at most ({@link #segmentsOf}); then it starts over. */
    static final int MEMO_MAX = 4096;

    private transient JexlEngine jexl;
    private transient Map<String, JexlScript> compiled;

    /** Every fact some condition names, read as the conditions see it. */
    private transient List<Function<ProfileDocument, Object>> used;

    /** The segments of every combination of the used facts' values seen lately. */
    private transient Map<List<Object>, List<String>> memo;

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

    /**
     * The names of the segments the profile is in, in definition order.
     *
     * <p>A condition reads nothing but the facts it names, so the segments are a function of the
     * values of the facts the conditions name (the defaults: six facts of a few values each): the
     * answer for each combination seen is remembered (at most {@link #MEMO_MAX}, then it starts
     * over), and the conditions run only for a new one. Running them (an interpreter per condition
     * over a map of every fact) was 7% of the profile task's CPU (issue 11).
     */
    public List<String> segmentsOf(ProfileDocument profile) {
        if (compiled == null) compile();
        Object[] values = new Object[used.size()];
        for (int i = 0; i < values.length; i++) values[i] = used.get(i).apply(profile);
        List<Object> key = Arrays.asList(values);
        List<String> known = memo.get(key);
        if (known != null) return new ArrayList<>(known);
        List<String> in = evaluate(profile);
        if (memo.size() >= MEMO_MAX) memo.clear();
        memo.put(key, List.copyOf(in));
        return in;
    }

    /** Combinations remembered now. */
    int remembered() {
        return memo == null ? 0 : memo.size();
    }

    /** {@link #segmentsOf} by running every condition, remembering nothing. */
    List<String> evaluate(ProfileDocument profile) {
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
        Set<String> facts = new LinkedHashSet<>();
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
                    facts.add(variable.get(0));
                }
                compiled.put(d.getName(), expression);
            } catch (JexlException e) {
                throw new IllegalArgumentException(
                        "segment '" + d.getName() + "' has an invalid condition: " + e.getMessage(),
                        e);
            }
        }
        used = new ArrayList<>(facts.size());
        for (String fact : facts) used.add(ProfileFacts.reader(fact));
        memo = new ConcurrentHashMap<>();
    }
}
