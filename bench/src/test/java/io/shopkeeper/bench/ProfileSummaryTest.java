package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** async-profiler's thread frames map onto the benchmark's thread groups. */
class ProfileSummaryTest {
    @Test
    void aThreadFrameGivesTheThreadsNameAndGroup() {
        String task =
                ProfileSummary.threadName(
                        "[recommendations -> recommendation-redis-writer: Writer (1/2)#0 tid=4173]");
        assertThat(task)
                .isEqualTo("recommendations -> recommendation-redis-writer: Writer (1/2)#0");
        assertThat(ThreadCpu.group("jvm", task)).isEqualTo("task: recommendations (+ chained)");
        String jit = ProfileSummary.threadName("[C2 CompilerThre tid=22151]");
        assertThat(ThreadCpu.group("jvm", jit)).isEqualTo("JIT compiler (C2/C1)");
        assertThat(ProfileSummary.threadName("[rocksdb:high tid=1]")).isEqualTo("rocksdb:high");
    }
}
