package io.shopkeeper.jobs.segments;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.schemas.EventCodec;
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
import java.util.Objects;
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
    /**
     * The facts a condition may use, shared with campaign audiences; see {@link
     * #facts(CustomerProfile)} for their meaning.
     */
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
    public List<String> segmentsOf(CustomerProfile profile) {
        if (compiled == null) compile();
        MapContext context = new MapContext(facts(profile));
        List<String> in = new ArrayList<>();
        for (SegmentDefinition d : definitions) {
            Object result = compiled.get(d.getName()).execute(context);
            if (Boolean.TRUE.equals(result)) in.add(d.getName());
        }
        return in;
    }

    /**
     * A fingerprint of the facts conditions can see, coarse where facts move continuously (signal
     * scores to 0.1, tenure to whole days): segments are re-evaluated only when it changes, which
     * spares the evaluation on most page and product views.
     */
    public static int factsFingerprint(CustomerProfile p) {
        return Objects.hash(
                p.getCustomerId() != null,
                p.getLifecycle(),
                p.getOrders(),
                p.getSpend(),
                p.getRecencyDays(),
                p.getRecencyScore(),
                p.getFrequencyScore(),
                p.getMonetaryScore(),
                p.getDiscountShare(),
                p.getCouponShare(),
                p.getSessions(),
                (long) p.getTenureDays(),
                p.getRecentCarts().size(),
                p.getPriceSensitive() == null ? null : p.getPriceSensitive().isFlagged(),
                p.getPriceSensitive() == null
                        ? 0
                        : Math.round(p.getPriceSensitive().getScore() * 10),
                p.getDrifting() == null ? null : p.getDrifting().isFlagged(),
                p.getDrifting() == null ? 0 : Math.round(p.getDrifting().getScore() * 10));
    }

    /** The profile's facts by name, as conditions see them (missing scores are 0). */
    public static Map<String, Object> facts(CustomerProfile p) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("known", p.getCustomerId() != null);
        f.put("lifecycle", p.getLifecycle() == null ? "new" : p.getLifecycle());
        f.put("orders", p.getOrders());
        f.put("spend", p.getSpend());
        f.put("recencyDays", p.getRecencyDays() == null ? -1 : p.getRecencyDays());
        f.put("recencyScore", p.getRecencyScore() == null ? 0 : p.getRecencyScore());
        f.put("frequencyScore", p.getFrequencyScore() == null ? 0 : p.getFrequencyScore());
        f.put("monetaryScore", p.getMonetaryScore() == null ? 0 : p.getMonetaryScore());
        f.put("averageOrderValue", p.getAverageOrderValue());
        f.put("estimatedLifetimeValue", p.getEstimatedLifetimeValue());
        f.put("discountShare", p.getDiscountShare());
        f.put("couponShare", p.getCouponShare());
        f.put("sessions", p.getSessions());
        f.put("tenureDays", p.getTenureDays());
        f.put("priceSensitive", p.getPriceSensitive() != null && p.getPriceSensitive().isFlagged());
        f.put(
                "priceSensitivityScore",
                p.getPriceSensitive() == null ? 0.0 : p.getPriceSensitive().getScore());
        f.put("drifting", p.getDrifting() != null && p.getDrifting().isFlagged());
        f.put("driftingScore", p.getDrifting() == null ? 0.0 : p.getDrifting().getScore());
        f.put("cartItems", p.getRecentCarts().size());
        return f;
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
