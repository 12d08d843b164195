package io.shopkeeper.launcher.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the build leaves what the local cluster runs: the job jar ({@code
 * stream-jobs/target/*-job.jar}) and the list of the Flink runtime's jars ({@code
 * flink-lib/target/flink-lib.classpath}), found from the working directory or a parent (the project
 * root for {@code ./shopkeeper}, a module folder in tests).
 */
public final class BuildOutputs {
    private BuildOutputs() {}

    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("flink-lib/pom.xml"))) return d;
        }
        throw new IllegalStateException("not inside the Shopkeeper project: " + dir);
    }

    /** The newest job jar built in stream-jobs/target. */
    public static Path jobJar() throws IOException {
        Path target = projectRoot().resolve("stream-jobs/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar =
                        files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                                .max(Comparator.comparing(p -> p.toFile().lastModified()));
                if (jar.isPresent()) return jar.get();
            }
        }
        throw new IOException(
                "no job jar in " + target + ": build it with `mvn -pl stream-jobs -am package`");
    }

    public static Path flinkLibClasspath() {
        return projectRoot().resolve("flink-lib/target/flink-lib.classpath");
    }
}
