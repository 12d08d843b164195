#!/usr/bin/env bash
# Signal quality: price-sensitive and drifting flags against planted personas with true labels
# (precision, recall, F1, events-to-flag, in-session timing, loyal-regular false positives, profile size).
#   bench/signals.sh [--mode job|replay] [--per-persona 60 --days 56 --seed 7 ...]   (--help for all)
#   --mode job (default, about 1.5 min): the real PersonalizationJob on a Flink MiniCluster with Kafka and Redis
#       in-process; flags read from the segment-changes topic, profile size from Redis; the replay runs too and
#       the per-visitor agreement of the two is reported.
#   --mode replay (seconds): the signal engine in the profile operator's call order, without Flink.
# Writes bench/results/signals-<timestamp>.json and signals-latest.json.
set -euo pipefail
JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.SignalBenchmark "$@"
