#!/usr/bin/env bash
# Pipeline throughput: Kafka -> Flink (RocksDB, checkpoints) -> Redis against a bare Kafka consumer.
#   bench/pipeline.sh [--events 2000000 --customers 1000000 --items 100000 ...]   (--help for all)
# Writes bench/results/pipeline-<timestamp>.json and pipeline-latest.json.
# The job runs with the collector its TaskManagers are deployed with (LocalCluster.TASKMANAGER_JVM_OPTIONS).
set -euo pipefail
JAVA_OPTS="${JAVA_OPTS:--Xms4g -Xmx8g -XX:+UseParallelGC}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.PipelineBenchmark "$@"
