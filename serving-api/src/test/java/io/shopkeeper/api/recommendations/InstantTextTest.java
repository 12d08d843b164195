package io.shopkeeper.api.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link InstantText} writes what {@link Instant#toString()} writes, for any instant. */
class InstantTextTest {

    @Test
    void writesWhatToStringWrites() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[] nanos = {0, 1, 999_999_999, 1_000, 1_000_000, 120_000_000, 123_456_000, 100};
        // one thread's minute text reused across neighbouring seconds, and changed between them
        long second = 1_795_000_000L;
        for (int i = 0; i < 20_000; i++) {
            second += rnd.nextInt(0, 90);
            int nano =
                    rnd.nextBoolean()
                            ? nanos[rnd.nextInt(nanos.length)]
                            : rnd.nextInt(1_000_000_000);
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(InstantText.of(t)).isEqualTo(t.toString());
        }
        for (int i = 0; i < 20_000; i++) {
            Instant t =
                    Instant.ofEpochSecond(
                            rnd.nextLong(-100_000_000_000L, 400_000_000_000L),
                            nanos[rnd.nextInt(nanos.length)]);
            assertThat(InstantText.of(t)).isEqualTo(t.toString());
        }
        for (Instant t :
                List.of(
                        Instant.EPOCH,
                        Instant.ofEpochSecond(-1),
                        Instant.ofEpochSecond(59, 1),
                        Instant.ofEpochSecond(60),
                        Instant.parse("9999-12-31T23:59:59.999999999Z"),
                        Instant.parse("+10000-01-01T00:00:00Z"),
                        Instant.MIN,
                        Instant.MAX)) {
            assertThat(InstantText.of(t)).isEqualTo(t.toString());
        }
    }
}
