package io.shopkeeper.api.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs every dependency probe; the service is healthy only when all are up. */
public final class HealthCheck {
    private final List<Probe> probes;

    public HealthCheck(List<Probe> probes) {
        this.probes = List.copyOf(probes);
    }

    /** Probe results by name, in registration order, and the verdict. */
    public record Report(boolean healthy, Map<String, ProbeResult> checks) {}

    public Report check() {
        Map<String, ProbeResult> results = new LinkedHashMap<>();
        boolean healthy = true;
        for (Probe probe : probes) {
            ProbeResult result = probe.check();
            results.put(probe.name(), result);
            healthy &= result.up();
        }
        return new Report(healthy, results);
    }
}
