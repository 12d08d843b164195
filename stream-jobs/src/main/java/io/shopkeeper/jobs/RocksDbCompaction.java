package io.shopkeeper.jobs;

import java.util.Collection;
import java.util.List;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;

/**
 * The RocksDB column family options of the job's state that Flink's settings cannot express (set by
 * {@link PersonalizationJob#clusterConfiguration} as {@code
 * state.backend.rocksdb.options-factory}).
 *
 * <p>Every checkpoint flushes every state's memtable into a small level-0 file whose keys span the
 * state's whole key range, so each compaction from level 0 into level 1 rewrites all of level 1:
 * the state's whole size for a few MB of new data, and more as the state grows. Starting that
 * compaction at {@link #L0_FILES_TO_COMPACT} files instead of RocksDB's 4 rewrites level 1 that
 * many times less often. Reads then look into more level-0 files, which the bloom filters the job
 * turns on ({@code state.backend.rocksdb.use-bloom-filter}) keep cheap for point reads. The
 * write-slowdown and stop thresholds move up with it.
 *
 * <p>The same churn decides the compression per level ({@link #COMPRESSION_PER_LEVEL}, set through
 * Flink's {@code state.backend.rocksdb.compression.per.level}).
 */
public final class RocksDbCompaction implements RocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    /** Level-0 files (about one per checkpoint interval) that start a compaction into level 1. */
    public static final int L0_FILES_TO_COMPACT = 16;

    /**
     * Compression by level: none on levels 0 and 1, LZ4 below. Level 0 holds a checkpoint
     * interval's writes each, and level 1 is rewritten by every compaction from level 0, so
     * compressing them costs the background threads CPU at every flush and again at every
     * compaction, and reads that miss the block cache pay for decompression; their bytes are the
     * price: larger files on disk and in incremental checkpoints. Levels 2 and below, rewritten
     * rarely and holding most of a large state, keep compression (LZ4: cheaper to decompress than
     * RocksDB's default Snappy, at about the same ratio). The last entry applies to every level
     * below.
     */
    public static final List<CompressionType> COMPRESSION_PER_LEVEL =
            List.of(
                    CompressionType.NO_COMPRESSION,
                    CompressionType.NO_COMPRESSION,
                    CompressionType.LZ4_COMPRESSION);

    @Override
    public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handles) {
        return current;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(
            ColumnFamilyOptions current, Collection<AutoCloseable> handles) {
        return current.setLevel0FileNumCompactionTrigger(L0_FILES_TO_COMPACT)
                .setLevel0SlowdownWritesTrigger(L0_FILES_TO_COMPACT * 3)
                .setLevel0StopWritesTrigger(L0_FILES_TO_COMPACT * 4);
    }
}
