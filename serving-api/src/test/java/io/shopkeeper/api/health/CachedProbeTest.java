package io.shopkeeper.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedProbeTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void dependencyIsCheckedAtMostOncePerTtl() {
        AtomicInteger checks = new AtomicInteger();
        ManualClock clock = new ManualClock();
        Probe counting = Probe.of("kafka", () -> checks.incrementAndGet() % 2 == 1);
        CachedProbe cached = new CachedProbe(counting, Duration.ofSeconds(1), clock);

        assertThat(cached.check().up()).isTrue();
        clock.now = clock.now.plusMillis(999);
        assertThat(cached.check().up()).isTrue();
        assertThat(checks).hasValue(1);

        clock.now = clock.now.plusMillis(1);
        assertThat(cached.check().up()).isFalse();
        assertThat(checks).hasValue(2);
        assertThat(cached.name()).isEqualTo("kafka");
    }

    @Test
    void probeThatThrowsReportsDownWithTheReason() {
        Probe failing =
                Probe.of(
                        "redis",
                        () -> {
                            throw new IllegalStateException("connection refused");
                        });

        ProbeResult result = failing.check();

        assertThat(result.up()).isFalse();
        assertThat(result.error()).isEqualTo("connection refused");
    }
}
