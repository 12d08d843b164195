package io.shopkeeper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.JobConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --job-option} replaces the named options of the benchmark's config and keeps the rest. */
class PipelineBenchmarkJobOptionsTest {
    @Test
    void jobOptionsReplaceTheirOwnValuesAndKeepTheOthers() {
        JobConfig config =
                JobConfig.builder()
                        .redis("127.0.0.1", 16379)
                        .profileCacheSize(0)
                        .redisFlush(Duration.ofMillis(50), 1000)
                        .build();

        JobConfig changed =
                PipelineBenchmark.withJobOptions(
                        config,
                        List.of(
                                "profile.cache-size=10000",
                                "--redis.backlog-flush-interval=PT0.05S"));

        assertThat(changed.profileCacheSize()).isEqualTo(10_000);
        assertThat(changed.redisBatching().backlogInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(changed.redisPort()).isEqualTo(16379);
        assertThat(changed.redisFlushBatch()).isEqualTo(1000);
        assertThat(changed.toArgs()).contains("--profile.cache-size=10000");
    }
}
