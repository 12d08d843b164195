package io.shopkeeper.jobs.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Waits, with a deadline instead of a guessed sleep, for a probe to return a value (the API tests'
 * {@code io.shopkeeper.api.Await} waits for a condition).
 */
public final class AwaitValue {
    private static final long POLL_NANOS = Duration.ofMillis(50).toNanos();

    private AwaitValue() {}

    /**
     * Polls {@code probe} until it returns non-null, or fails after {@code timeout} naming {@code
     * what}.
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) return value;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
