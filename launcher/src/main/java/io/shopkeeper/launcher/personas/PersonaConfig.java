package io.shopkeeper.launcher.personas;

import io.shopkeeper.launcher.simulator.SimulatorConfig;
import java.time.Instant;

/**
 * How many visitors of each persona to plant, over how many days of event time, in which store.
 *
 * @param perPersona visitors per persona (loyal regulars get {@code regularsFactor} times as many:
 *     they set the false-positive share)
 * @param days event-time span of the simulation
 * @param start first instant of the span
 * @param store the catalog's configuration (its seed makes the catalog)
 * @param seed same seed and config, same visitors and events
 */
public record PersonaConfig(
        int perPersona,
        int regularsFactor,
        int days,
        Instant start,
        SimulatorConfig store,
        long seed) {

    public PersonaConfig {
        if (perPersona < 1) throw new IllegalArgumentException("perPersona must be >= 1");
        if (regularsFactor < 1) throw new IllegalArgumentException("regularsFactor must be >= 1");
        if (days < 21)
            throw new IllegalArgumentException(
                    "days must be >= 21 (interest changers need history)");
    }

    public static PersonaConfig defaults() {
        return new PersonaConfig(
                50, 3, 56, Instant.parse("2026-09-01T00:00:00Z"), SimulatorConfig.defaults(), 7L);
    }

    public PersonaConfig withPerPersona(int v) {
        return new PersonaConfig(v, regularsFactor, days, start, store, seed);
    }

    public PersonaConfig withDays(int v) {
        return new PersonaConfig(perPersona, regularsFactor, v, start, store, seed);
    }

    public PersonaConfig withSeed(long v) {
        return new PersonaConfig(perPersona, regularsFactor, days, start, store, v);
    }
}
