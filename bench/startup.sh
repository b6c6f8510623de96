#!/usr/bin/env bash
# Start-up time of the read-only commands (issue 17): wall and CPU seconds of `plugins`, `validate`,
# `describe` and `inspect`, each run REPEAT times (default 5; the median is printed), in three set-ups:
#   plain     java -cp <cli jar + dependencies> Main ...   (the JVM's defaults: what the launcher did before)
#   c1+serial the launcher with DIFFUSE4J_CDS=0 (client compiler and serial GC only)
#   launcher  ./diffuse4j as shipped (plus the class-data-sharing archive)
# Usage: bench/startup.sh            (builds through the launcher first if needed; ~1 minute)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
repeat="${REPEAT:-5}"
./diffuse4j --version >/dev/null   # builds, and writes the archive, when needed
jar="$(ls cli/target/diffuse4j-cli-*.jar | grep -v -e sources -e javadoc -e tests | head -1)"
cp="$jar:$(cat cli/target/diffuse4j.classpath)"
plain() { java -Djava.awt.headless=true -cp "$cp" org.diffuse4j.cli.Main "$@"; }
nocds() { DIFFUSE4J_CDS=0 ./diffuse4j "$@"; }
shipped() { ./diffuse4j "$@"; }

# median WALL CPU over $repeat runs of "$@" (output discarded)
measure() {
  local i runs wall cpu
  local TIMEFORMAT="%R %U %S"   # bash's time keyword: it also times the shell functions below
  runs="$(for i in $(seq "$repeat"); do
    { time "$@" >/dev/null 2>&1; } 2>&1 || true
  done)"
  wall="$(echo "$runs" | awk '{print $1}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')"
  cpu="$(echo "$runs" | awk '{printf "%.2f\n", $2+$3}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')"
  printf "%.2f s (CPU %.2f s)" "$wall" "$cpu"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/startup.sh ($(date -u +%Y-%m-%dT%H:%MZ)), $(java -version 2>&1 | head -1), median of $repeat"
echo
echo "| command | plain JVM (before) | client compiler + serial GC | launcher (+ CDS archive) |"
echo "|---|---|---|---|"
for args in "plugins" "validate examples/manifests/two-moons.yaml" "describe solver dpmpp-2m" "inspect schedule vp --t 0.5"; do
  # shellcheck disable=SC2086
  echo "| \`$args\` | $(measure plain $args) | $(measure nocds $args) | $(measure shipped $args) |"
done
