#!/usr/bin/env bash
# Where the API's request threads spend their CPU, kernel included (JFR sees Java frames only):
# runs bench/api.sh and samples its closed loop with Linux perf (cpu-clock, call graphs), JIT
# frames named through `jcmd <pid> Compiler.perfmap`. Needs `perf` (Debian: linux-perf) and root
# or kernel.perf_event_paranoid <= 1 for kernel frames.
#   bench/perf-api.sh [output folder, default /tmp/shopkeeper-perf-api] [seconds sampled, default 20]
# Writes perf.data, by-thread-and-object.txt (comm x DSO), top-symbols-request-threads.txt and
# api.log (the benchmark's own output) into the folder.
set -euo pipefail
OUT="${1:-/tmp/shopkeeper-perf-api}"
SECONDS_SAMPLED="${2:-20}"
mkdir -p "$OUT"
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 1; }
# Warm-up 45 s (30 on the API, 15 on Redis), then the API closed loop for 30 s: sampled from 47 s.
JAVA_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:+PreserveFramePointer" \
  "$(dirname "$0")/api.sh" --duration-seconds 30 --warmup-seconds 45 --rate-seconds 10 \
  --results-dir "$OUT" >"$OUT/api.log" 2>&1 &
BENCH=$!
until grep -q "Warming up API" "$OUT/api.log" 2>/dev/null; do
  kill -0 "$BENCH" 2>/dev/null || { echo "api.sh ended early; see $OUT/api.log" >&2; exit 1; }
  sleep 0.5
done
PID=$(pgrep -f io.shopkeeper.bench.ApiBenchmark | head -1)
sleep 47
perf record -e cpu-clock -F 999 -g -p "$PID" -o "$OUT/perf.data" -- sleep "$SECONDS_SAMPLED" \
  >"$OUT/perf.log" 2>&1
jcmd "$PID" Compiler.perfmap >>"$OUT/perf.log" 2>&1
wait "$BENCH"
perf report -i "$OUT/perf.data" --no-children --sort comm,dso -g none --stdio \
  >"$OUT/by-thread-and-object.txt" 2>/dev/null
perf report -i "$OUT/perf.data" --no-children --comms "$(perf report -i "$OUT/perf.data" \
  --sort comm -g none --stdio 2>/dev/null | grep -o 'qtp[0-9-]*' | sort -u | paste -sd,)" \
  --sort sym -g none --stdio >"$OUT/top-symbols-request-threads.txt" 2>/dev/null
echo "perf data and reports in $OUT (request threads are Jetty's pool: qtp*)"
