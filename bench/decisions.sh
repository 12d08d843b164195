#!/usr/bin/env bash
# Decision latency: a triggering event's arrival in Kafka -> the onsite offer readable in Redis, with
# 20 live campaigns under the quick start's simulated traffic.
#   bench/decisions.sh [--rate 100 --duration-seconds 90 --probes-per-second 5 ...]   (--help for all)
# Writes bench/results/decisions-<timestamp>.json and decisions-latest.json.
set -euo pipefail
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx4g -XX:+UseG1GC}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.DecisionBenchmark "$@"
