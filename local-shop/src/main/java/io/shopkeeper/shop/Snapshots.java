package io.shopkeeper.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The job's snapshots in a local data folder: savepoints ({@code savepoints/savepoint-*}) and
 * retained checkpoints ({@code checkpoints/{jobId}/chk-N}), each complete once its {@code
 * _metadata} file exists. The newest complete one is where the job resumes.
 *
 * <p>Restores run in Flink's default NO_CLAIM mode (the resumed job's first checkpoint is a full
 * one and never references the snapshot's files), so every snapshot older than the one resumed from
 * can be deleted.
 */
public final class Snapshots {
    public static final String METADATA = "_metadata";

    private final Path checkpoints;
    private final Path savepoints;

    public Snapshots(Path checkpoints, Path savepoints) {
        this.checkpoints = checkpoints;
        this.savepoints = savepoints;
    }

    /** The newest complete savepoint or checkpoint, by the time its metadata was written. */
    public Optional<Path> latest() {
        return all().stream()
                .max(Comparator.comparing(Snapshots::completedAt))
                .map(metadata -> metadata.getParent());
    }

    /**
     * Deletes every savepoint but {@code keep}, and every job's checkpoint folder but the one
     * holding {@code keep}; folders of snapshots that never completed too.
     */
    public void pruneAllBut(Path keep) throws IOException {
        Path kept = keep.toAbsolutePath().normalize();
        for (Path savepoint : children(savepoints)) {
            if (!savepoint.toAbsolutePath().normalize().equals(kept)) {
                LocalShop.deleteRecursively(savepoint);
            }
        }
        for (Path jobDir : children(checkpoints)) {
            if (!kept.startsWith(jobDir.toAbsolutePath().normalize())) {
                LocalShop.deleteRecursively(jobDir);
            }
        }
    }

    private List<Path> all() {
        List<Path> found = new ArrayList<>();
        for (Path savepoint : children(savepoints)) addIfComplete(found, savepoint);
        for (Path jobDir : children(checkpoints)) {
            for (Path checkpoint : children(jobDir)) {
                if (checkpoint.getFileName().toString().startsWith("chk-")) {
                    addIfComplete(found, checkpoint);
                }
            }
        }
        return found;
    }

    private static void addIfComplete(List<Path> found, Path snapshot) {
        Path metadata = snapshot.resolve(METADATA);
        if (Files.isRegularFile(metadata)) found.add(metadata);
    }

    private static FileTime completedAt(Path metadata) {
        try {
            return Files.getLastModifiedTime(metadata);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
