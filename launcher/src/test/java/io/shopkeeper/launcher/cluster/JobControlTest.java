package io.shopkeeper.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.shopkeeper.jobs.JobConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobControlTest {
    @Test
    void anOverrideReplacesEveryValueOfItsOptionAndKeepsTheRest() {
        List<String> recorded =
                JobConfig.builder()
                        .trendingSize(50)
                        .recommenderParam("knnWeight=0")
                        .recommenderParam("contextWeight=2")
                        .build()
                        .toArgs();

        List<String> merged =
                JobControl.merge(
                        recorded, List.of("trending.size=30", "--recommender.param=knnWeight=1"));

        JobConfig config = JobConfig.fromArgs(merged.toArray(String[]::new));
        assertThat(config.trendingSize()).isEqualTo(30);
        assertThat(config.recommenderParams()).containsExactly("knnWeight=1");
        assertThat(config.kafkaBootstrap()).isEqualTo(JobConfig.builder().build().kafkaBootstrap());
        assertThat(merged).doesNotContain("--trending.size=50");
    }
}
