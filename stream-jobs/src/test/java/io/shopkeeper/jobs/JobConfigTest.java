package io.shopkeeper.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shopkeeper.jobs.ordering.EventTimeOrder;
import io.shopkeeper.jobs.visitor.RecommendationFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
    @TempDir Path dir;

    @Test
    void argsRenderEveryOptionSoTheJobJarParsesTheSameConfig() {
        JobConfig config =
                JobConfig.builder()
                        .kafkaBootstrap("127.0.0.1:9140")
                        .redis("127.0.0.1", 6440)
                        .parallelism(3)
                        .checkpointInterval(Duration.ofSeconds(7))
                        .trending(Duration.ofMinutes(10), Duration.ofSeconds(10))
                        .startFromEarliest(false)
                        .recommenderParam("knnWeight=0")
                        .recommenderParam("contextWeight=2")
                        .stateDir(dir.resolve("checkpoints"))
                        .build();

        JobConfig parsed = JobConfig.fromArgs(config.toArgs().toArray(String[]::new));

        assertThat(parsed.toArgs()).isEqualTo(config.toArgs());
        assertThat(parsed.kafkaBootstrap()).isEqualTo("127.0.0.1:9140");
        assertThat(parsed.redisPort()).isEqualTo(6440);
        assertThat(parsed.parallelism()).isEqualTo(3);
        assertThat(parsed.checkpointInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(parsed.trendingSlide()).isEqualTo(Duration.ofSeconds(10));
        assertThat(parsed.startFromEarliest()).isFalse();
        assertThat(parsed.recommenderParams()).containsExactly("knnWeight=0", "contextWeight=2");
        assertThat(parsed.checkpointDir()).isEqualTo(dir.resolve("checkpoints").toUri().toString());
        assertThat(config.toArgs()).contains("--trending.size=50").doesNotContain("--help");
    }

    @Test
    void aParamsFileFromTuningSetsTheKnobsAndSingleParamsOverrideIt() throws Exception {
        Path file = dir.resolve("params.json");
        Files.writeString(
                file,
                "{\"params\": {\"contextWeight\": \"2.0\", \"contextsKept\": \"100\","
                        + " \"knnWeight\": \"3\"}, \"validation\": {\"hr\": 0.2}}");
        JobConfig config =
                JobConfig.fromArgs(
                        "--recommender.params-file",
                        file.toString(),
                        "--recommender.param",
                        "knnWeight=0");

        assertThat(config.recommenderConfig().getContextWeight()).isEqualTo(2.0);
        assertThat(config.recommenderConfig().getContextsKept()).isEqualTo(100);
        assertThat(config.recommenderConfig().getKnnWeight()).isZero();
    }

    @Test
    void aBadParamsFileFailsAtStartNamingTheFile() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"params\": {\"noSuchKnob\": \"1\"}}");
        assertThatThrownBy(() -> JobConfig.fromArgs("--recommender.params-file", file.toString()))
                .hasMessageContaining("bad.json")
                .hasMessageContaining("noSuchKnob");
        assertThatThrownBy(
                        () ->
                                JobConfig.fromArgs(
                                        "--recommender.params-file",
                                        dir.resolve("missing.json").toString()))
                .hasMessageContaining("missing.json");
    }

    @Test
    void flagsArePassedThroughAndUnsetOptionsKeepTheirDefaults() {
        JobConfig config =
                JobConfig.fromArgs(
                        "--kafka.bootstrap",
                        "broker:9092",
                        "--redis.port",
                        "6390",
                        "--session.gap",
                        "PT10M",
                        "--recommender.param",
                        "knnWeight=0");

        assertThat(config.kafkaBootstrap()).isEqualTo("broker:9092");
        assertThat(config.redisPort()).isEqualTo(6390);
        assertThat(config.sessionGap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.recommenderParams()).containsExactly("knnWeight=0");
        assertThat(config.recommenderConfig().asMap()).containsEntry("knnWeight", 0.0);
        assertThat(config.trendingWindow()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void aBuiltConfigDoesNotChangeWhenItsBuilderDoes() {
        JobConfig.Builder builder =
                JobConfig.builder().parallelism(3).recommenderParam("knnWeight=0");
        JobConfig config = builder.build();
        builder.parallelism(7).recommenderParam("repeatWeight=2");

        assertThat(config.parallelism()).isEqualTo(3);
        assertThat(config.recommenderParams()).containsExactly("knnWeight=0");
    }

    @Test
    void inconsistentOptionsFailAtStartWithAClearMessage() {
        assertThatThrownBy(
                        () ->
                                JobConfig.builder()
                                        .trending(Duration.ofMinutes(10), Duration.ofMinutes(3))
                                        .build())
                .hasMessageContaining("multiple of the trending slide");
        assertThatThrownBy(() -> JobConfig.builder().recommenderParam("knnWeight").build())
                .hasMessageContaining("expected NAME=VALUE");
        assertThatThrownBy(() -> JobConfig.fromArgs("--ordering.heap-events=-1"))
                .hasMessageContaining("--ordering.heap-events cannot be negative");
        assertThatThrownBy(() -> JobConfig.fromArgs("--recommendations.cache-size=-1"))
                .hasMessageContaining("--recommendations.cache-size cannot be negative");
    }

    @Test
    void theHeapRoomOfEventsHeldForOrderIsAnOption() {
        assertThat(JobConfig.builder().build().orderingHeapEvents())
                .isEqualTo(EventTimeOrder.DEFAULT_HEAP_EVENTS);
        JobConfig config = JobConfig.fromArgs("--ordering.heap-events=0");
        assertThat(config.orderingHeapEvents()).isZero();
        assertThat(JobConfig.fromArgs(config.toArgs().toArray(String[]::new)).orderingHeapEvents())
                .isZero();
    }

    @Test
    void theVisitorsTheRecommendationsKeepOnTheHeapAreAnOption() {
        assertThat(JobConfig.builder().build().recommendationsCacheSize())
                .isEqualTo(RecommendationFunction.DEFAULT_CACHE_SIZE);
        JobConfig config = JobConfig.fromArgs("--recommendations.cache-size=0");
        assertThat(config.recommendationsCacheSize()).isZero();
        assertThat(
                        JobConfig.fromArgs(config.toArgs().toArray(String[]::new))
                                .recommendationsCacheSize())
                .isZero();
    }
}
