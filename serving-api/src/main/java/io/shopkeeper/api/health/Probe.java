package io.shopkeeper.api.health;

import java.util.function.BooleanSupplier;

/**
 * A reachability check of one dependency. {@link #check()} never throws and returns in bounded
 * time.
 */
public interface Probe {
    String name();

    ProbeResult check();

    /** A probe from a yes/no test, e.g. {@code Probe.of("redis", store::ping)}. */
    static Probe of(String name, BooleanSupplier up) {
        return new Probe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ProbeResult check() {
                try {
                    return up.getAsBoolean()
                            ? ProbeResult.UP
                            : ProbeResult.down(name + " did not answer");
                } catch (RuntimeException e) {
                    return ProbeResult.down(String.valueOf(e.getMessage()));
                }
            }
        };
    }
}
