package io.shopkeeper.api.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every dependency probe; the service is healthy only when all required probes are up.
 * Report-only probes are shown but do not decide (e.g. the job, for an API deployed without one).
 */
public final class HealthCheck {
    private final List<Probe> probes;
    private final List<Probe> reportOnly;

    public HealthCheck(List<Probe> probes) {
        this(probes, List.of());
    }

    public HealthCheck(List<Probe> probes, List<Probe> reportOnly) {
        this.probes = List.copyOf(probes);
        this.reportOnly = List.copyOf(reportOnly);
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
        for (Probe probe : reportOnly) results.put(probe.name(), probe.check());
        return new Report(healthy, results);
    }
}
