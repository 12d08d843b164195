package io.shopkeeper.schemas.offers;

import io.shopkeeper.schemas.ProfileDocument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The facts segment conditions and campaign audiences are written in (one vocabulary for both),
 * declared once: each fact's name, how it reads from a {@link ProfileDocument} (missing scores read
 * as 0, a missing lifecycle as {@code new}) and how coarsely it changes for the segment
 * fingerprint. The job evaluates segments on the document of its live profile and the API judges
 * audiences on the stored one, so both see the same facts.
 */
public final class ProfileFacts {

    /** One fact: its name, its value, and its value as the fingerprint sees it. */
    private record Fact(
            String name,
            Function<ProfileDocument, Object> value,
            Function<ProfileDocument, Object> coarse) {}

    /** Every fact, in the order the README lists them. */
    private static final List<Fact> TABLE =
            List.of(
                    exact("known", p -> p.getCustomerId() != null),
                    exact("lifecycle", p -> p.getLifecycle() == null ? "new" : p.getLifecycle()),
                    exact("orders", ProfileDocument::getOrders),
                    exact("spend", ProfileDocument::getSpend),
                    exact("recencyDays", p -> orElse(p.getRecencyDays(), -1)),
                    exact("recencyScore", p -> orElse(p.getRecencyScore(), 0)),
                    exact("frequencyScore", p -> orElse(p.getFrequencyScore(), 0)),
                    exact("monetaryScore", p -> orElse(p.getMonetaryScore(), 0)),
                    derived("averageOrderValue", ProfileDocument::getAverageOrderValue),
                    derived("estimatedLifetimeValue", ProfileDocument::getEstimatedLifetimeValue),
                    exact("discountShare", ProfileDocument::getDiscountShare),
                    exact("couponShare", ProfileDocument::getCouponShare),
                    exact("sessions", ProfileDocument::getSessions),
                    new Fact(
                            "tenureDays",
                            ProfileDocument::getTenureDays,
                            p -> (long) p.getTenureDays()),
                    exact("priceSensitive", p -> flagged(p.getPriceSensitive())),
                    new Fact(
                            "priceSensitivityScore",
                            p -> score(p.getPriceSensitive()),
                            p -> Math.round(score(p.getPriceSensitive()) * 10)),
                    exact("drifting", p -> flagged(p.getDrifting())),
                    new Fact(
                            "driftingScore",
                            p -> score(p.getDrifting()),
                            p -> Math.round(score(p.getDrifting()) * 10)),
                    exact("cartItems", p -> p.getRecentCarts().size()));

    /** Every fact a condition may name, in the README's order. */
    public static final Set<String> NAMES = names();

    private ProfileFacts() {}

    /** The facts of a profile document by name, as conditions see them. */
    public static Map<String, Object> of(ProfileDocument profile) {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (Fact fact : TABLE) facts.put(fact.name(), fact.value().apply(profile));
        return facts;
    }

    /** How the fact {@code name} reads from a profile document, exactly as {@link #of} reads it. */
    public static Function<ProfileDocument, Object> reader(String name) {
        for (Fact fact : TABLE) if (fact.name().equals(name)) return fact.value();
        throw new IllegalArgumentException("no fact named " + name + "; known facts: " + NAMES);
    }

    /**
     * A fingerprint of the facts, coarse where facts move continuously (signal scores to 0.1,
     * tenure to whole days) and blind to the facts derived from others (average order value and
     * lifetime value follow orders and spend): a segment is re-evaluated only when it changes,
     * which spares the evaluation on most page and product views.
     */
    public static int fingerprint(ProfileDocument profile) {
        List<Object> values = new ArrayList<>(TABLE.size());
        for (Fact fact : TABLE) if (fact.coarse() != null) values.add(fact.coarse().apply(profile));
        return Objects.hash(values.toArray());
    }

    private static Fact exact(String name, Function<ProfileDocument, Object> value) {
        return new Fact(name, value, value);
    }

    private static Fact derived(String name, Function<ProfileDocument, Object> value) {
        return new Fact(name, value, null);
    }

    private static Object orElse(Integer value, int missing) {
        return value == null ? missing : value;
    }

    private static boolean flagged(ProfileDocument.Signal signal) {
        return signal != null && signal.isFlagged();
    }

    private static double score(ProfileDocument.Signal signal) {
        return signal == null ? 0.0 : signal.getScore();
    }

    private static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Fact fact : TABLE) names.add(fact.name());
        return Collections.unmodifiableSet(names);
    }
}
