package io.shopkeeper.launcher.simulator;

import java.util.SplittableRandom;

/** Random draws the simulated storefronts share, from the caller's random source. */
public final class Draws {
    private Draws() {}

    /** A geometric-like count with mean about {@code mean} (an exponential, floored). */
    public static int geometric(SplittableRandom rnd, double mean) {
        return (int) (-Math.log(1 - rnd.nextDouble()) * mean);
    }
}
