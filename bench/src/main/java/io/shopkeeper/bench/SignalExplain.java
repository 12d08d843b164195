package io.shopkeeper.bench;

import io.shopkeeper.jobs.signals.SignalReplay;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.launcher.personas.Persona;
import io.shopkeeper.launcher.personas.PersonaConfig;
import io.shopkeeper.launcher.personas.PersonaGenerator;
import io.shopkeeper.launcher.personas.PlantedVisitor;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ShopEvent;
import java.util.List;

/**
 * Prints one planted persona's timeline: every event, and the signals' scores, flags and reasons
 * after it and at each session end. For looking into why a signal did or did not fire. {@code
 * bench/run.sh io.shopkeeper.bench.SignalExplain <PERSONA> [n-th visitor] [per-persona] [seed]}
 */
public final class SignalExplain {
    private SignalExplain() {}

    public static void main(String[] args) {
        Persona persona = Persona.valueOf(args[0]);
        int nth = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int perPersona = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 7;
        List<PlantedVisitor> all =
                new PersonaGenerator(
                                PersonaConfig.defaults().withPerPersona(perPersona).withSeed(seed))
                        .generate();
        PlantedVisitor v =
                all.stream()
                        .filter(p -> p.label().persona() == persona)
                        .skip(nth)
                        .findFirst()
                        .orElseThrow();
        System.out.println(v.label());
        List<ShopEvent> events = v.events();
        // The operator's own step, timers included: the same timeline the job would produce.
        SignalReplay.defaults()
                .replay(
                        events,
                        step -> {
                            SignalState price = step.priceSensitive();
                            SignalState drift = step.drifting();
                            if (step.sessionEnd()) {
                                System.out.println("  -- session end   " + signals(price, drift));
                                System.out.println(
                                        "     evidence "
                                                + EventCodec.encodeToString(
                                                        step.profile().getEvidence()));
                                System.out.println(
                                        "     longTerm " + step.profile().getCategoryAffinity());
                                return;
                            }
                            ShopEvent e = events.get(step.eventIndex());
                            System.out.printf(
                                    "%4d %s %-60s %s%n",
                                    step.eventIndex(),
                                    e.getTimestamp(),
                                    describe(e),
                                    signals(price, drift));
                        });
    }

    private static String signals(SignalState price, SignalState drift) {
        return String.format(
                "price %.2f %s %s | drift %.2f %s %s",
                price.getScore(),
                price.isFlagged() ? "ON " : "off",
                price.getReasons(),
                drift.getScore(),
                drift.isFlagged() ? "ON " : "off",
                drift.getReasons());
    }

    private static String describe(ShopEvent e) {
        return e.getType().wireName()
                + " "
                + (e.getItemId() != null
                        ? e.getItemId()
                                + " "
                                + e.getCategoryId()
                                + " "
                                + e.getPrice()
                                + "/"
                                + e.getListPrice()
                        : "")
                + (e.getPageType() != null ? e.getPageType() : "")
                + (e.getQuery() != null ? "'" + e.getQuery() + "' " + e.getResultCount() : "")
                + (e.getSortBy() != null ? e.getSortBy() : "");
    }
}
