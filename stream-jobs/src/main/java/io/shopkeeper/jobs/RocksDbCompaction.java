package io.shopkeeper.jobs;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
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
 */
public final class RocksDbCompaction implements RocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    /** Level-0 files (about one per checkpoint interval) that start a compaction into level 1. */
    public static final int L0_FILES_TO_COMPACT = 16;

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
