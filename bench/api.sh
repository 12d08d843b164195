#!/usr/bin/env bash
# Serving: GET /v1/recommendations throughput and latency against the same reads straight from Redis.
#   bench/api.sh [--concurrency 32 --duration-seconds 30 --rate 5000 ...]   (--help for all)
# Writes bench/results/api-<timestamp>.json and api-latest.json.
set -euo pipefail
JAVA_OPTS="${JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseZGC}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.ApiBenchmark "$@"
