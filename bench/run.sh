#!/usr/bin/env bash
# Builds the bench module and everything it depends on, then runs one benchmark's main class with the
# JVM flags Flink needs on Java 17 (jvm.opens in the parent pom). Used by pipeline.sh, api.sh, freshness.sh.
#   bench/run.sh <main class> [benchmark options...]
# Environment: JAVA_OPTS (heap etc.), SKIP_BUILD=1 to reuse the last build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MAIN="$1"; shift

CP_FILE="$ROOT/bench/target/classpath.txt"
if [ -z "${SKIP_BUILD:-}" ]; then
  # Built in this work tree's reactor (never `install`): the classpath points at this tree's own jars,
  # so two checkouts on one machine never load each other's modules through ~/.m2.
  echo "Building (mvn -pl bench -am package -DskipTests)..." >&2
  mvn -B -q -pl bench -am package dependency:build-classpath -DskipTests -Dspotless.check.skip=true \
    -Dmdep.outputFile="$CP_FILE"
fi
# Run from a private copy of our own modules' jars: a rebuild rewriting them in target/
# under a running benchmark would break class loading mid-run.
# One copy per run (named by this shell's pid, which `exec` hands to java), so a second benchmark
# started from the same tree, even just for --help, cannot delete the jars a running one still loads.
# Copies of runs that ended are removed here.
RUNS="$ROOT/bench/target/run-lib"
mkdir -p "$RUNS"
for old in "$RUNS"/*; do
  name="$(basename "$old")"
  [ -e "$old" ] || continue
  if [[ "$name" =~ ^[0-9]+$ ]] && kill -0 "$name" 2>/dev/null; then continue; fi
  rm -rf "$old"
done
SNAPSHOT="$RUNS/$$"
mkdir -p "$SNAPSHOT"
CP=""
IFS=":" read -r -a ENTRIES < "$CP_FILE" || true  # the file has no trailing newline
for entry in "${ENTRIES[@]}"; do
  case "$entry" in
    */shopkeeper-*.jar) cp "$entry" "$SNAPSHOT/" && entry="$SNAPSHOT/$(basename "$entry")" ;;
  esac
  CP="${CP:+$CP:}$entry"
done
cp -r "$ROOT/bench/target/classes" "$SNAPSHOT/bench-classes"
OPENS="$(sed -n 's:.*<jvm.opens>\(.*\)</jvm.opens>.*:\1:p' "$ROOT/pom.xml")"
mkdir -p "$ROOT/bench/results"
# shellcheck disable=SC2086
# JAVA_OPTS come last, so they can override the logging configuration too.
exec java $OPENS -Dlog4j2.configurationFile=log4j2-bench.xml ${JAVA_OPTS:-} -cp "$SNAPSHOT/bench-classes:$CP" "$MAIN" "$@"
