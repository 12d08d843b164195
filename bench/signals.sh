#!/usr/bin/env bash
# Signal quality: price-sensitive and drifting flags against planted personas with true labels
# (precision, recall, F1, events-to-flag, in-session timing, loyal-regular false positives, profile size).
#   bench/signals.sh [--per-persona 60 --days 56 --seed 7 ...]   (--help for all)
# Writes bench/results/signals-<timestamp>.json and signals-latest.json.
set -euo pipefail
JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.SignalBenchmark "$@"
