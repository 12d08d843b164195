package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CPU time per event over a benchmark's steady window. */
class CpuTimeTest {
    @Test
    void redisCpuIsUserPlusSysFromInfo() {
        String info =
                "# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:2.500000\r\n"
                        + "used_cpu_sys_children:9.0\r\nused_cpu_user_children:9.0\r\n";
        assertThat(CpuTime.redisNanos(info)).isEqualTo(3_750_000_000L);
    }

    @Test
    void microsPerEventBetweenThePollsReachingTheWindowsEnds() {
        // {nanos, applied, cpu nanos}: 10 us of CPU per event from 100 to 900 events.
        List<long[]> progress =
                List.of(
                        new long[] {1, 0, 0},
                        new long[] {2, 50, 5_000_000},
                        new long[] {3, 100, 6_000_000},
                        new long[] {4, 500, 10_000_000},
                        new long[] {5, 900, 14_000_000},
                        new long[] {6, 1000, 99_000_000});
        assertThat(CpuTime.microsPerEvent(progress, 100, 900)).isEqualTo(10.0);
        // Incomplete: to the last poll.
        assertThat(CpuTime.microsPerEvent(progress.subList(0, 5), 100, 2000)).isEqualTo(10.0);
        assertThat(CpuTime.microsPerEvent(progress, 5000, 9000)).isNaN();
    }

    @Test
    void thisJvmsCpuTimeGrows() {
        long before = CpuTime.jvmNanos();
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) x += i % 7;
        assertThat(x).isPositive();
        assertThat(CpuTime.jvmNanos()).isGreaterThan(before);
    }
}
