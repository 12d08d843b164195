package io.shopkeeper.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.RocksDB;

class RocksDbCompactionTest {

    @Test
    void theJobsStateBackendCompactsLevelZeroLaterWithBloomFilters() {
        Configuration conf = PersonalizationJob.clusterConfiguration(JobConfig.fromArgs());
        EmbeddedRocksDBStateBackend backend =
                new EmbeddedRocksDBStateBackend().configure(conf, getClass().getClassLoader());
        RocksDBOptionsFactory factory = backend.getRocksDBOptions();
        assertThat(factory).isInstanceOf(RocksDbCompaction.class);
        assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
        // the levels rewritten most often are not compressed, those below are
        assertThat(conf.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(
                        CompressionType.NO_COMPRESSION,
                        CompressionType.NO_COMPRESSION,
                        CompressionType.LZ4_COMPRESSION);

        RocksDB.loadLibrary();
        List<AutoCloseable> handles = new ArrayList<>();
        try (ColumnFamilyOptions options = new ColumnFamilyOptions()) {
            assertThat(options.level0FileNumCompactionTrigger()).isEqualTo(4); // RocksDB's own
            ColumnFamilyOptions tuned = factory.createColumnOptions(options, handles);
            assertThat(tuned.level0FileNumCompactionTrigger())
                    .isEqualTo(RocksDbCompaction.L0_FILES_TO_COMPACT);
            // writes slow down and stop only well after a compaction is due
            assertThat(tuned.level0SlowdownWritesTrigger())
                    .isGreaterThan(RocksDbCompaction.L0_FILES_TO_COMPACT);
            assertThat(tuned.level0StopWritesTrigger())
                    .isGreaterThan(tuned.level0SlowdownWritesTrigger());
        }
    }

    @Test
    void rocksDbWorksInTheConfiguredLocalFolderOrTheTaskManagersOwn(@TempDir Path dir) {
        EmbeddedRocksDBStateBackend byDefault =
                new EmbeddedRocksDBStateBackend()
                        .configure(
                                PersonalizationJob.clusterConfiguration(JobConfig.fromArgs()),
                                getClass().getClassLoader());
        assertThat(byDefault.getDbStoragePaths()).isNull();

        Configuration conf =
                PersonalizationJob.clusterConfiguration(
                        JobConfig.fromArgs("--state.local-dir=" + dir));
        EmbeddedRocksDBStateBackend configured =
                new EmbeddedRocksDBStateBackend().configure(conf, getClass().getClassLoader());
        assertThat(configured.getDbStoragePaths()).containsExactly(dir.toString());
    }
}
