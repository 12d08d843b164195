#!/usr/bin/env bash
# Serving: GET /v1/recommendations throughput and latency against the same reads straight from Redis.
#   bench/api.sh [--concurrency 32 --duration-seconds 30 --rate 5000 ...]   (--help for all)
# Writes bench/results/api-<timestamp>.json and api-latest.json.
set -euo pipefail
# The JVM as the API is deployed (docker/api.Dockerfile: the default collector, G1), its heap touched up
# front as on a server that has run a while. With ZGC (the default before) the request threads spent about
# twice the CPU per request (ZGC re-maps pages: page faults, and marking all along); without the pre-touch
# the first touch of each heap page was 15% of the JVM's CPU samples in the measured 30 s.
JAVA_OPTS="${JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseG1GC -XX:+AlwaysPreTouch}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.ApiBenchmark "$@"
