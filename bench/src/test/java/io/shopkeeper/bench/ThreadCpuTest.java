package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void aStatLineGivesTheNameAndUserPlusSystemTicksEvenWithParenthesesInTheName() {
        String stat =
                "4242 (profiles (1/2)) S 1 4200 4200 0 -1 1077936192 12 0 0 0 350 25 0 0 20 0 80 0"
                        + " 123 0 0";
        ThreadCpu.Sample s = ThreadCpu.parseStat("jvm", stat, null);
        assertThat(s.name()).isEqualTo("profiles (1/2)");
        assertThat(s.ticks()).isEqualTo(375);
        assertThat(ThreadCpu.parseStat("jvm", stat, "full name").name()).isEqualTo("full name");
    }

    @Test
    void theThreadDumpGivesFullNamesByNativeId() {
        String dump =
                """
                "Source: kafka-input -> decode-and-validate (2/2)#0" #91 prio=5 os_prio=0 cpu=12.5ms elapsed=3.2s tid=0x00007f nid=0x1a2b runnable  [0x00007f]
                   java.lang.Thread.State: RUNNABLE
                "C2 CompilerThread0" #6 daemon prio=9 os_prio=0 cpu=900ms elapsed=5s tid=0x00007e nid=0x10 waiting on condition  [0x0000000000000000]
                "GC Thread#0" os_prio=0 cpu=41ms elapsed=5s tid=0x00007d nid=4321 runnable
                """;
        Map<Long, String> names = ThreadCpu.parseDump(dump);
        assertThat(names)
                .containsEntry(0x1a2bL, "Source: kafka-input -> decode-and-validate (2/2)#0")
                .containsEntry(0x10L, "C2 CompilerThread0")
                .containsEntry(4321L, "GC Thread#0");
    }

    @Test
    void threadsFoldIntoTheirGroups() {
        assertThat(ThreadCpu.group("jvm", "profiles (1/2)#0")).isEqualTo("task: profiles");
        assertThat(ThreadCpu.group("jvm", "profiles (2/2)#0")).isEqualTo("task: profiles");
        assertThat(ThreadCpu.group("jvm", "Source: kafka-input -> decode-and-validate (1/2)#0"))
                .isEqualTo("task: Source: kafka-input (+ chained)");
        assertThat(ThreadCpu.group("jvm", "C1 CompilerThread0")).isEqualTo("JIT compiler (C2/C1)");
        assertThat(ThreadCpu.group("jvm", "C2 CompilerThread1")).isEqualTo("JIT compiler (C2/C1)");
        assertThat(ThreadCpu.group("jvm", "G1 Refine#0")).isEqualTo("GC and VM");
        assertThat(ThreadCpu.group("jvm", "OutputFlusher for profiles (1/2)#0"))
                .isEqualTo("output flushers");
        assertThat(ThreadCpu.group("jvm", "rocksdb:low")).isEqualTo("rocksdb background");
        assertThat(ThreadCpu.group("jvm", "data-plane-kafka-request-handler-0"))
                .isEqualTo("Kafka broker");
        assertThat(ThreadCpu.group("jvm", "kafka-producer-network-thread | producer-3"))
                .isEqualTo("Kafka producers");
        assertThat(ThreadCpu.group("jvm", "Source Data Fetcher for Source: kafka-input (1/2)#0"))
                .isEqualTo("Kafka source fetchers");
        assertThat(ThreadCpu.group("redis-server", "io_thd_1")).isEqualTo("redis-server");
        assertThat(ThreadCpu.group("jvm", "qtp1862347028-31"))
                .isEqualTo("API request threads (Jetty's pool)");
        assertThat(ThreadCpu.group("jvm", "fixed-rate-7"))
                .isEqualTo("benchmark load threads (the HTTP or Redis client)");
        assertThat(ThreadCpu.group("jvm", "closed-loop-31"))
                .isEqualTo("benchmark load threads (the HTTP or Redis client)");
        assertThat(ThreadCpu.group("jvm", "ForkJoinPool.commonPool-worker-1"))
                .isEqualTo("ForkJoinPool common pool");
        assertThat(ThreadCpu.group("jvm", "main")).isEqualTo("other");
    }

    @Test
    void aBusyThreadOfThisJvmShowsUnderItsTaskWithItsCpuTime() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread busy =
                new Thread(
                        () -> {
                            started.countDown();
                            long x = 0;
                            while (!stop.get()) x += System.nanoTime() % 7;
                            if (x == 42) System.out.println(x);
                        },
                        "a-rather-long-task-name-to-fold (1/1)#0");
        busy.start();
        started.await();
        ThreadCpu.Snapshot start = ThreadCpu.take(-1, "none");
        long spinUntil = System.nanoTime() + 400_000_000L;
        while (System.nanoTime() < spinUntil) Thread.onSpinWait();
        ThreadCpu.Snapshot end = ThreadCpu.take(-1, "none");
        stop.set(true);
        busy.join();

        Map<String, Double> groups = end.groupsSince(start);
        // its full name, not the kernel's 15 characters
        assertThat(groups).containsKey("task: a-rather-long-task-name-to-fold");
        assertThat(groups.get("task: a-rather-long-task-name-to-fold")).isGreaterThan(0.0);

        Map<String, Object> report = ThreadCpu.report(start, end, 1_000, 0.4);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("groups");
        double total = (Double) report.get("totalCoreSeconds");
        assertThat(rows.stream().mapToDouble(r -> (Double) r.get("coreSeconds")).sum())
                .isCloseTo(total, org.assertj.core.data.Offset.offset(0.05));
        assertThat((Double) rows.get(0).get("coreSeconds"))
                .isGreaterThanOrEqualTo((Double) rows.get(rows.size() - 1).get("coreSeconds"));
        assertThat(report).containsKeys("visitorEvents", "totalMicrosPerVisitorEvent");
        assertThat(rows.get(0)).containsKey("microsPerVisitorEvent");

        // the API benchmark's form: per request
        Map<String, Object> perRequest = ThreadCpu.report(start, end, 2_000, 0.4, "Request");
        assertThat(perRequest.get("requests")).isEqualTo(2_000L);
        assertThat((Double) perRequest.get("totalMicrosPerRequest"))
                .isCloseTo(total * 1e6 / 2_000, org.assertj.core.data.Offset.offset(0.1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perRequestRows =
                (List<Map<String, Object>>) perRequest.get("groups");
        assertThat(perRequestRows.get(0)).containsKey("microsPerRequest");
    }
}
