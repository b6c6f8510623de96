#!/usr/bin/env bash
# Reflow on two-moons (issue 6; docs/results.md, "Reflow on two-moons"). Trains the 1-rectified flow
# (examples/manifests/two-moons.yaml), writes PAIRS (noise, ODE endpoint) pairs with `reflow` on noise
# seed 1, trains `objective: reflow` on them (examples/manifests/two-moons-reflow.yaml), then for both
# models: (noise, endpoint) pairs of its own ODE (Heun, 50 steps) on 4000 held-out noise rows (seed 0)
# and the transport cost E‖x0 − ε‖², and samples with Euler at 1, 2 and 4 steps and Heun at 50,
# measured by sliced W2 against a fresh two-moons draw (experiments.ReflowStudy).
#
# Usage: bench/reflow-two-moons.sh [all|analyse] [RUNS_DIR]   (default: all, runs/reflow-two-moons)
#   PAIRS=20000 sets the number of training pairs. Writes RUNS_DIR/results.md, results.json and
#   docs/img/reflow-euler-1-{base,reflow}.png. 2.5-4.5 minutes on the project's 2-core machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
phase="${1:-all}"
runs="${2:-$root/runs/reflow-two-moons}"
pairs="${PAIRS:-20000}"
cd "$root"

source bench/private-classpath.sh "$runs"
started=$(date +%s)
wall() { echo "  $(( $(date +%s) - started )) s wall so far"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/reflow-two-moons.sh $phase $runs, PAIRS=$pairs ($(date -u +%Y-%m-%dT%H:%MZ))"

if [[ "$phase" == all ]]; then
  echo "1. train the 1-rectified flow"
  d4j run examples/manifests/two-moons.yaml --out "$runs/base" --force 2>"$runs/base.err" | grep -E '^(trained|sliced)' || true
  wall

  echo "2. $pairs training pairs from its ODE (noise seed 1)"
  d4j reflow "$runs/base" --n "$pairs" --set sampling.seed=1 --out "$runs/pairs" --force 2>>"$runs/base.err" \
    | grep -E '^(transport_cost|independent_cost|nfe|seconds)' || true
  wall

  echo "3. train reflow on the pairs"
  d4j run examples/manifests/two-moons-reflow.yaml --out "$runs/reflow" --force \
    --set data.path="$runs/pairs/x0.npy" --set data.noise="$runs/pairs/noise.npy" 2>"$runs/reflow.err" \
    | grep -E '^(trained|sliced)' || true
  wall

  for m in base reflow; do
    echo "4. $m: pairs of its ODE on held-out noise (seed 0), and samples"
    d4j reflow "$runs/$m" --n 4000 --out "$runs/$m/eval-pairs" --force 2>>"$runs/$m.err" | grep -E '^transport_cost' || true
    for s in 1 2 4; do
      d4j sample "$runs/$m" --set sampling.solver=euler --set sampling.steps="$s" --name "euler-$s" --force \
        2>>"$runs/$m.err" >/dev/null
      cp "$runs/$m/samples/euler-$s/samples.npy" "$runs/$m/samples-euler-$s.npy"
    done
    d4j sample "$runs/$m" --set sampling.solver=heun --set sampling.steps=50 --name heun-50 --force 2>>"$runs/$m.err" >/dev/null
    cp "$runs/$m/samples/heun-50/samples.npy" "$runs/$m/samples-heun-50.npy"
    wall
  done
fi

echo "5. metrics"
java -Djava.awt.headless=true -cp "$cp" org.diffuse4j.experiments.ReflowStudy \
  "$runs" base,reflow euler-1 euler-2 euler-4 heun-50 --img "$root/docs/img" | tee "$runs/results.md"
