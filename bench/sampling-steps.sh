#!/usr/bin/env bash
# Graph-building time, peak memory and time per step of `sample` against the step count: samples
# 200 points (one chunk of 200) from a run folder with heun at each step count and prints a Markdown table.
# Usage: bench/sampling-steps.sh RUN_DIR [OUT_DIR]   (RUN_DIR from e.g.
#        ./diffuse4j run examples/manifests/two-moons.yaml; STEPS="50 1000" to choose the step counts)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
d4j="${DIFFUSE4J:-$root/diffuse4j}"   # the launcher; set DIFFUSE4J to run something else
run="${1:?usage: bench/sampling-steps.sh RUN_DIR [OUT_DIR]}"
out="${2:-$(mktemp -d)}"
steps="${STEPS:-50 1000 10000 100000}"
mkdir -p "$out"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 2; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/sampling-steps.sh ($(date -u +%Y-%m-%dT%H:%MZ)), heun, 200 points in one chunk"
echo
echo "| steps | graph build s | warm-up chunk s | sampling ms per step | peak RSS MB | wall s |"
echo "|---|---|---|---|---|---|"
for s in $steps; do
  dir="$out/steps-$s"
  rm -rf "$dir"
  if ! /usr/bin/time -v -o "$out/time-$s.txt" "$d4j" sample "$run" --out "$dir" \
      --set sampling.solver=heun --set sampling.n=200 --set sampling.batch_size=200 --set sampling.steps="$s" >"$out/log-$s.txt" 2>&1; then
    echo "| $s | failed (see $out/log-$s.txt) | | | | |"
    continue
  fi
  rss=$(awk -F: '/Maximum resident/ {print int($2 / 1024)}' "$out/time-$s.txt")
  wall=$(awk '/Elapsed \(wall clock\)/ {n = split($NF, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$out/time-$s.txt")
  python3 - "$dir/metrics.json" "$s" "$rss" "$wall" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {m['sample_build_seconds']:.2f} | {m['sample_warmup_seconds']:.2f} | "
      f"{m['sample_ms_per_step']:.3f} | {sys.argv[3]} | {float(sys.argv[4]):.0f} |")
PY
done
