#!/usr/bin/env bash
# Web pages: first contentful paint of the console's and the demo shop's pages in headless Chromium,
# with the quick start's stack running (job, simulated traffic, example campaigns).
#   bench/pages.sh [--loads 15 ...]   (--help for all)
# Writes bench/results/pages-<timestamp>.json and pages-latest.json.
set -euo pipefail
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx3g -XX:+UseG1GC}" exec "$(dirname "$0")/run.sh" io.shopkeeper.bench.PageBenchmark "$@"
