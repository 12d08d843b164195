# The personalization job on the official Flink image: the same job jar `./shopkeeper cluster up`
# submits, in usrlib/ for application mode (`standalone-job`). Build from the project root:
#   docker build -f docker/job.Dockerfile -t shopkeeper-job:0.1.0 .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -pl stream-jobs -am -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true \
 && cp stream-jobs/target/shopkeeper-stream-jobs-*-job.jar /shopkeeper-job.jar

FROM flink:2.2.1-java17
# RocksDB ships in the image's lib/, the Prometheus reporter in plugins/; config.yaml comes from
# FLINK_PROPERTIES (compose) or the FlinkDeployment (Kubernetes).
COPY --from=build --chown=flink:flink /shopkeeper-job.jar /opt/flink/usrlib/shopkeeper-job.jar
