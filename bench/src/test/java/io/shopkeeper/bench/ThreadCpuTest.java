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

    @Test
    void allocatedBytesFoldIntoTheCpuGroupsAndTheReportGivesThemPerEvent() {
        ThreadCpu.Snapshot start =
                new ThreadCpu.Snapshot(
                        Map.of("1/11", new ThreadCpu.Sample("jvm", "profiles (1/2)#0", 100)),
                        Map.of(
                                11L, new ThreadCpu.Allocation("profiles (1/2)#0", 1_000),
                                12L, new ThreadCpu.Allocation("profiles (2/2)#0", 5_000),
                                13L, new ThreadCpu.Allocation("ended (1/1)#0", 7_000)));
        ThreadCpu.Snapshot end =
                new ThreadCpu.Snapshot(
                        Map.of("1/11", new ThreadCpu.Sample("jvm", "profiles (1/2)#0", 300)),
                        Map.of(
                                11L, new ThreadCpu.Allocation("profiles (1/2)#0", 41_000),
                                12L, new ThreadCpu.Allocation("profiles (2/2)#0", 25_000),
                                // started inside the window: counts from zero
                                14L, new ThreadCpu.Allocation("main", 2_000)));
        // thread 13 ended inside the window: missing, as its CPU would be
        assertThat(end.allocatedSince(start))
                .containsExactly(Map.entry("task: profiles", 60_000L), Map.entry("other", 2_000L));

        Map<String, Object> report = ThreadCpu.report(start, end, 100, 1.0);
        assertThat(report.get("totalAllocatedBytes")).isEqualTo(62_000L);
        assertThat(report.get("totalAllocatedBytesPerVisitorEvent")).isEqualTo(620L);
        assertThat(report.get("totalMicrosPerVisitorEvent")).isEqualTo(20_000.0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("groups");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .containsEntry("group", "task: profiles")
                .containsEntry("coreSeconds", 2.0)
                .containsEntry("allocatedBytes", 60_000L)
                .containsEntry("allocatedBytesPerVisitorEvent", 600L);
        // allocated without a CPU tick: last, with no CPU
        assertThat(rows.get(1))
                .containsEntry("group", "other")
                .containsEntry("coreSeconds", 0.0)
                .containsEntry("allocatedBytesPerVisitorEvent", 20L);

        Map<String, Object> perRequest = ThreadCpu.report(start, end, 1_000, 1.0, "Request");
        assertThat(perRequest.get("totalAllocatedBytesPerRequest")).isEqualTo(62L);
        assertThat(ThreadCpu.report(start, end, 0, 1.0).get("totalAllocatedBytesPerVisitorEvent"))
                .isNull();
    }

    @Test
    void anAllocatingThreadOfThisJvmShowsItsBytesUnderItsTask() throws Exception {
        CountDownLatch measured = new CountDownLatch(1);
        CountDownLatch allocated = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        long[] sink = new long[1];
        Thread allocating =
                new Thread(
                        () -> {
                            try {
                                measured.await();
                                for (int i = 0; i < 64; i++) sink[0] += new byte[1 << 20].length;
                                allocated.countDown();
                                done.await(); // alive at the second snapshot
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "an-allocating-task-with-a-long-name (1/1)#0");
        allocating.start();
        // the thread is alive and has not allocated its 64 MiB yet
        ThreadCpu.Snapshot start = ThreadCpu.take(-1, "none");
        measured.countDown();
        allocated.await();
        ThreadCpu.Snapshot end = ThreadCpu.take(-1, "none");
        done.countDown();
        allocating.join();

        assertThat(sink[0]).isEqualTo(64L << 20);
        Map<String, Long> bytes = end.allocatedSince(start);
        assertThat(bytes.get("task: an-allocating-task-with-a-long-name"))
                .isBetween(64L << 20, 65L << 20);
        Map<String, Object> report = ThreadCpu.report(start, end, 1 << 20, 0.1);
        assertThat((Long) report.get("totalAllocatedBytesPerVisitorEvent"))
                .isGreaterThanOrEqualTo(64L);
    }
}
