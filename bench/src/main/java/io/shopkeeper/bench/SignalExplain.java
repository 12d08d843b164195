package io.shopkeeper.bench;

import io.shopkeeper.jobs.profile.CustomerProfile;
import io.shopkeeper.jobs.profile.ProfileUpdater;
import io.shopkeeper.jobs.signals.SignalEngine;
import io.shopkeeper.jobs.signals.SignalEvidence;
import io.shopkeeper.jobs.signals.SignalState;
import io.shopkeeper.launcher.personas.Persona;
import io.shopkeeper.launcher.personas.PersonaConfig;
import io.shopkeeper.launcher.personas.PersonaGenerator;
import io.shopkeeper.launcher.personas.PlantedVisitor;
import io.shopkeeper.schemas.EventCodec;
import io.shopkeeper.schemas.ShopEvent;
import java.time.Duration;
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
        SignalEngine engine = new SignalEngine();
        ProfileUpdater updater = new ProfileUpdater(Duration.ofDays(14), Duration.ofMinutes(30));
        CustomerProfile profile = new CustomerProfile();
        SignalEvidence ev = new SignalEvidence();
        SignalState price = new SignalState();
        SignalState drift = new SignalState();
        long lastSeen = 0;
        long gap = Duration.ofMinutes(30).toMillis();
        for (int i = 0; i < v.events().size(); i++) {
            ShopEvent e = v.events().get(i);
            if (lastSeen > 0 && e.eventTimeMillis() > lastSeen + gap) {
                engine.sessionEnded(ev, lastSeen + gap);
                updater.endSession(profile);
                price = engine.priceSensitivity(ev, price, lastSeen + gap);
                drift = engine.drifting(ev, drift, lastSeen + gap);
                System.out.printf(
                        "  -- session end   price %.2f %s %s | drift %.2f %s %s%n",
                        price.getScore(),
                        price.isFlagged() ? "ON " : "off",
                        price.getReasons(),
                        drift.getScore(),
                        drift.isFlagged() ? "ON " : "off",
                        drift.getReasons());
                System.out.println("     evidence " + EventCodec.encodeToString(ev));
                System.out.println("     longTerm " + profile.getCategoryAffinity());
            }
            updater.apply(profile, e);
            engine.observe(ev, e, profile.getCategoryAffinity());
            price = engine.priceSensitivity(ev, price, e.eventTimeMillis());
            drift = engine.drifting(ev, drift, e.eventTimeMillis());
            lastSeen = Math.max(lastSeen, e.eventTimeMillis());
            String what =
                    e.getType().wireName()
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
                            + (e.getQuery() != null
                                    ? "'" + e.getQuery() + "' " + e.getResultCount()
                                    : "")
                            + (e.getSortBy() != null ? e.getSortBy() : "");
            System.out.printf(
                    "%4d %s %-60s price %.2f %s %s | drift %.2f %s %s%n",
                    i,
                    e.getTimestamp(),
                    what,
                    price.getScore(),
                    price.isFlagged() ? "ON " : "off",
                    price.getReasons(),
                    drift.getScore(),
                    drift.isFlagged() ? "ON " : "off",
                    drift.getReasons());
        }
    }
}
