#!/usr/bin/env bash
# CPU profile of the pipeline benchmark with async-profiler: every thread on the CPU sampled every
# millisecond (itimer), Java and native frames alike, so a task's time inside RocksDB's JNI calls is
# counted (JFR's Java samples miss it: it looked like a few percent of tasks where it was half).
#   bench/profile.sh [pipeline options...]      e.g. SKIP_BUILD=1 bench/profile.sh
# Writes bench/results/profile-<time>.collapsed (collapsed stacks, one line per stack, thread first:
# flame-graph tools read it; tens of MB, not committed: .gitignore) and prints the CPU by thread group with each group's RocksDB share and
# hottest frames (ProfileSummary). async-profiler comes from Maven Central (tools.profiler).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
VERSION=2.9
case "$(uname -m)" in
  x86_64) ARCH=linux-x64 ;;
  aarch64) ARCH=linux-arm64 ;;
  *) echo "async-profiler $VERSION has no library for $(uname -m)" >&2; exit 1 ;;
esac
DIR="$ROOT/bench/target/async-profiler"
LIB="$DIR/$ARCH/libasyncProfiler.so"
if [ ! -f "$LIB" ]; then
  mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$VERSION" -DoutputDirectory="$DIR"
  (cd "$DIR" && unzip -o -q "async-profiler-$VERSION.jar" "$ARCH/*")
fi
mkdir -p bench/results
OUT="$ROOT/bench/results/profile-$(date -u +%Y%m%d-%H%M%S).collapsed"
JAVA_OPTS="${JAVA_OPTS:--Xms4g -Xmx8g -XX:+UseParallelGC} -agentpath:$LIB=start,event=itimer,interval=1ms,threads,collapsed,file=$OUT" \
  "$ROOT/bench/pipeline.sh" "$@"
echo "profile: $OUT"
SKIP_BUILD=1 "$ROOT/bench/run.sh" io.shopkeeper.bench.ProfileSummary "$OUT"
