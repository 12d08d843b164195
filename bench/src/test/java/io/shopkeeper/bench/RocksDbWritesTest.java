package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RocksDbWritesTest {

    // Lines as an instance of the job wrote them (frocksdb 8.10, INFO level), thread ids cut.
    private static final String LOG =
            """
            2026/11/26-10:07:33.318006 1 [/flush_job.cc:929] [offers] [JOB 2] Level-0 flush table #14: started
            2026/11/26-10:07:33.326774 1 (Original Log Time 2026/11/26-10:07:33.325219) [/flush_job.cc:1018] [offers] [JOB 2] Level-0 flush table #14: 17165 bytes OK
            2026/11/26-10:07:33.549800 1 (Original Log Time 2026/11/26-10:07:33.547505) [/flush_job.cc:1018] [pending-count] [JOB 3] Level-0 flush table #15: 54921 bytes OK
            2026/11/26-10:08:22.104003 2 [/compaction/compaction_job.cc:2082] [offers] [JOB 6] Compacting 4@0 files to L1, score 1.00
            2026/11/26-10:08:22.104055 2 EVENT_LOG_v1 {"time_micros": 1795687702104039, "job": 6, "event": "compaction_started", "compaction_reason": "LevelL0FilesNum", "files_L0": [13, 12, 11, 10], "score": 1, "input_data_size": 1325951, "oldest_snapshot_seqno": -1}
            2026/11/26-10:08:22.469299 2 (Original Log Time 2026/11/26-10:08:22.467108) [/compaction/compaction_job.cc:1733] [offers] [JOB 6] Compacted 4@0 files to L1 => 676255 bytes
            2026/11/26-10:08:22.469302 2 (Original Log Time 2026/11/26-10:08:22.469206) [/compaction/compaction_job.cc:926] [offers] compacted to: files[0 1 0 0 0 0 0] max score 0.00, MB/sec: 3.8 rd, 1.9 wr, level 1, files in(4, 0) out(1 +0 blob) MB in(1.3, 0.0 +0.0 blob) out(0.6 +0.0 blob), read-write-amplify(1.5) write-amplify(0.5) OK, records in: 17515, records dropped: 8746 output_compression: Snappy
            2026/11/26-10:08:58.156180 2 [/compaction/compaction_job.cc:2082] [pending-count] [JOB 11] Compacting 4@0 + 1@1 files to L1, score 1.00
            2026/11/26-10:08:58.156204 2 EVENT_LOG_v1 {"time_micros": 1795687738156193, "job": 11, "event": "compaction_started", "compaction_reason": "LevelL0FilesNum", "files_L0": [18, 17, 16, 15], "files_L1": [14], "score": 1, "input_data_size": 2357154, "oldest_snapshot_seqno": -1}
            2026/11/26-10:08:58.338255 2 (Original Log Time 2026/11/26-10:08:58.335723) [/compaction/compaction_job.cc:1733] [pending-count] [JOB 11] Compacted 4@0 + 1@1 files to L1 => 981117 bytes
            """;

    @Test
    void flushesAndCompactionsAreSummedByColumnFamily() {
        Map<String, RocksDbWrites.ByState> states = new TreeMap<>();
        RocksDbWrites.parse(LOG.lines(), states);
        RocksDbWrites.ByState offers = states.get("offers");
        assertThat(offers.flushes).isEqualTo(1);
        assertThat(offers.flushBytes).isEqualTo(17165);
        assertThat(offers.compactions).isEqualTo(1);
        assertThat(offers.compactionReadBytes).isEqualTo(1325951);
        assertThat(offers.compactionWriteBytes).isEqualTo(676255);
        RocksDbWrites.ByState counts = states.get("pending-count");
        assertThat(counts.flushBytes).isEqualTo(54921);
        assertThat(counts.compactionReadBytes).isEqualTo(2357154);
        assertThat(counts.compactionWriteBytes).isEqualTo(981117);
    }

    @Test
    void compactionJobIdsBelongToTheirInstance() {
        // job 6 of another instance is another state's compaction
        Map<String, RocksDbWrites.ByState> states = new TreeMap<>();
        RocksDbWrites.parse(LOG.lines(), states);
        RocksDbWrites.parse(
                Stream.of(
                        "[/compaction/compaction_job.cc:2082] [profile] [JOB 6] Compacting 4@0 files to L1, score 1.00",
                        "EVENT_LOG_v1 {\"time_micros\": 1, \"job\": 6, \"event\": \"compaction_started\", \"input_data_size\": 100}"),
                states);
        assertThat(states.get("profile").compactionReadBytes).isEqualTo(100);
        assertThat(states.get("offers").compactionReadBytes).isEqualTo(1325951);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReportOrdersStatesByBytesWrittenPerVisitorEvent() {
        Map<String, RocksDbWrites.ByState> states = new TreeMap<>();
        RocksDbWrites.parse(LOG.lines(), states);
        Map<String, Object> report = RocksDbWrites.report(states, 1000);
        assertThat(report.get("flushedBytesPerVisitorEvent")).isEqualTo(72.1);
        assertThat(report.get("compactionWrittenBytesPerVisitorEvent")).isEqualTo(1657.4);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("byState");
        assertThat(rows).extracting(r -> r.get("state")).containsExactly("pending-count", "offers");
        assertThat(rows.get(0).get("compactionWrittenBytesPerVisitorEvent")).isEqualTo(981.1);
    }
}
