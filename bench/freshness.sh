#!/usr/bin/env bash
# Freshness: Kafka arrival -> updated recommendations in Redis, under live traffic at a fixed rate
# (default: half the steady rate of the last pipeline benchmark).
#   bench/freshness.sh [--rate 5000 --duration-seconds 60 ...]   (--help for all)
# Writes bench/results/freshness-<timestamp>.json and freshness-latest.json.
# The job runs with the collector its TaskManagers are deployed with (LocalCluster.TASKMANAGER_JVM_OPTIONS).
set -euo pipefail
JAVA_OPTS="${JAVA_OPTS:--Xms2g -Xmx6g -XX:+UseParallelGC}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.FreshnessBenchmark "$@"
