package io.shopkeeper.schemas.offers;

import java.util.List;
import java.util.Map;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;

/**
 * A campaign's audience: a JEXL condition over {@link ProfileFacts}, the language of segment
 * conditions. Checked when built: a condition that does not parse, or names an unknown fact, is
 * refused with the reason. A blank condition matches everyone. Thread-safe.
 */
public final class Audience {
    /** Longest condition accepted. */
    public static final int MAX_LENGTH = 2000;

    private static final JexlEngine JEXL =
            new JexlBuilder().strict(true).silent(false).safe(false).cache(512).create();

    private static final Audience EVERYONE = new Audience("", null);

    private final String condition;
    private final JexlScript script;

    private Audience(String condition, JexlScript script) {
        this.condition = condition;
        this.script = script;
    }

    /**
     * The compiled condition.
     *
     * @throws IllegalArgumentException with the reason when it does not parse or names an unknown
     *     fact
     */
    public static Audience of(String condition) {
        if (condition == null || condition.isBlank()) return EVERYONE;
        if (condition.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "audience is longer than " + MAX_LENGTH + " characters");
        }
        JexlScript script;
        try {
            script = JEXL.createScript(condition);
        } catch (JexlException e) {
            throw new IllegalArgumentException(
                    "audience is not a valid condition: " + firstLine(e.getMessage()));
        }
        for (List<String> variable : script.getVariables()) {
            if (!ProfileFacts.NAMES.contains(variable.get(0))) {
                throw new IllegalArgumentException(
                        "audience uses unknown fact '"
                                + variable.get(0)
                                + "'; known facts: "
                                + ProfileFacts.NAMES.stream().sorted().toList());
            }
        }
        return new Audience(condition, script);
    }

    public String condition() {
        return condition;
    }

    /**
     * Whether the facts satisfy the condition; a condition that fails on these facts (e.g. a
     * comparison of incompatible types) does not match.
     */
    public boolean matches(Map<String, Object> facts) {
        if (script == null) return true;
        try {
            return Boolean.TRUE.equals(script.execute(new MapContext(facts)));
        } catch (JexlException e) {
            return false;
        }
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
