package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JIT compiler threads' CPU minute by minute. */
class JitCpuTest {
    private static final long S = 1_000_000_000L;

    @Test
    void minutesAndTheLastMinuteFromTheReadings() {
        JitCpu jit = new JitCpu();
        // {nanos, compiler ticks (1/100 s), JVM + redis CPU nanos}: 10 core-s of JIT in the first
        // minute out of 100, 2 in the second out of 100, 1 in the last 30 s out of 50.
        jit.add(new JitCpu.Point(0, 0, 0));
        jit.add(new JitCpu.Point(30 * S, 600, 50 * S));
        jit.add(new JitCpu.Point(60 * S, 1000, 100 * S));
        jit.add(new JitCpu.Point(90 * S, 1100, 150 * S));
        jit.add(new JitCpu.Point(120 * S, 1200, 200 * S));
        jit.add(new JitCpu.Point(150 * S, 1300, 250 * S));
        Map<String, Object> r = jit.report();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> minutes = (List<Map<String, Object>>) r.get("byMinute");
        assertThat(minutes)
                .extracting(m -> m.get("jitCoreSeconds"))
                .containsExactly(10.0, 2.0, 1.0);
        assertThat(minutes).extracting(m -> m.get("share")).containsExactly(0.1, 0.02, 0.02);
        assertThat(minutes).extracting(m -> m.get("toSecond")).containsExactly(60.0, 120.0, 150.0);
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) r.get("lastMinute");
        assertThat(last).containsEntry("fromSecond", 90.0).containsEntry("jitCoreSeconds", 2.0);
        assertThat(JitCpu.lastMinuteShare(r)).isEqualTo(0.02);
        @SuppressWarnings("unchecked")
        Map<String, Object> whole = (Map<String, Object>) r.get("whole");
        assertThat(whole).containsEntry("jitCoreSeconds", 13.0).containsEntry("share", 0.052);
    }

    @Test
    void pollsReadEveryFiveSecondsAndTheEndAlways() {
        JitCpu jit = new JitCpu();
        jit.poll(0, 0);
        jit.poll(S, 1);
        jit.poll(5 * S, 2);
        jit.last(List.of(new long[] {6 * S, 10, 3}));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> minutes =
                (List<Map<String, Object>>) jit.report().get("byMinute");
        assertThat(minutes).hasSize(1);
        assertThat(minutes.get(0)).containsEntry("fromSecond", 0.0).containsEntry("toSecond", 6.0);
        assertThat(new JitCpu().report()).isEmpty();
        assertThat(JitCpu.lastMinuteShare(Map.of())).isNull();
    }

    @Test
    void theCompilerThreadsByTheirKernelNames() {
        assertThat(JitCpu.isCompiler("C2 CompilerThre")).isTrue();
        assertThat(JitCpu.isCompiler("C1 CompilerThre")).isTrue();
        assertThat(JitCpu.isCompiler("GC Thread#0")).isFalse();
        // This JVM has compiled (the test framework alone makes its compilers work).
        long x = 0;
        for (int i = 0; i < 5_000_000; i++) x += Integer.toString(i).length();
        assertThat(x).isPositive();
        assertThat(JitCpu.ticks()).isPositive();
    }
}
