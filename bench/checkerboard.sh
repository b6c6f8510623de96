#!/usr/bin/env bash
# The seeds' checkerboard experiment (issue 6; seed 004, S26): DDPM (cosine VP, ε, ancestral)
# against flow matching (straight path, velocity, Euler), same MLP, optimiser, batch and iterations.
# Trains each manifest once, samples 10,000 points at NFE 5, 10, 20, 50, 100 from the same
# checkpoint (`sample RUN --out DIR --set sampling.steps=N`), then measures exact W2 (2000 vs 2000 fresh
# data points, optimal assignment), sliced W2 (10,000 vs 10,000), the off-support fraction and the
# number of the 8 squares covered, and draws docs/img/checkerboard-*.png.
# Ablation "ddpm-t0.99": the same DDPM checkpoint and ancestral sampler, but the uniform grid starts
# at t = 0.99 (α = 0.016) instead of t = 1 (α = 1.7e-4, where x̂0 = (x − σ ε̂)/α amplifies ε̂ errors).
#
# Usage: bench/checkerboard.sh [all|train|sample|analyse|replot] [RUNS_DIR]
#   replot: redraw the figures from RUNS_DIR/results.json without measuring again.
#   default: all, runs/checkerboard. Writes RUNS_DIR/results.md (a Markdown table) and results.json.
#   About 15 minutes on the project's 2-core machine: 2 × 2.3 min training, 2.5 min sampling,
#   5–7 min for the 80 exact (Hungarian) W2 computations.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
phase="${1:-all}"
runs="${2:-$root/runs/checkerboard}"
nfes=(5 10 20 50 100)
methods=(ddpm flow)            # trained
sweeps=(ddpm flow ddpm-t0.99)  # sampled: folder name -> manifest, checkpoint and extra settings below
manifest_of() { case "$1" in flow) echo flow ;; *) echo ddpm ;; esac; }
extra_of() { case "$1" in ddpm-t0.99) echo "sampling.grid={name: uniform, t_max: 0.99}" ;; *) echo "sampling.grid=uniform" ;; esac; }
cd "$root"

source bench/private-classpath.sh "$runs"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/checkerboard.sh $phase $runs ($(date -u +%Y-%m-%dT%H:%MZ))"

if [[ "$phase" == all || "$phase" == train ]]; then
  for m in "${methods[@]}"; do
    start=$(date +%s)
    d4j run "examples/manifests/checkerboard-$m.yaml" --out "$runs/$m/train" --force 2>"$runs/$m-train.err" \
      | grep -E '^(step [0-9]+/|trained|sampled|sliced)' || true
    echo "train $m: $(( $(date +%s) - start )) s wall (JVM start, training and one sampling pass)"
  done
fi

if [[ "$phase" == all || "$phase" == sample ]]; then
  for m in "${sweeps[@]}"; do
    base=$(manifest_of "$m")
    for n in "${nfes[@]}"; do
      dir="$runs/$m/nfe-$n"
      rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
      start=$(date +%s.%N)
      d4j sample "$runs/$base/train" --out "$dir" --set sampling.steps="$n" --set "$(extra_of "$m")" \
        2>"$dir.stderr.txt" | grep -E '^sampled' || true
      printf 'sample %s NFE %s: %.1f s wall\n' "$m" "$n" "$(echo "$(date +%s.%N) - $start" | bc)"
    done
  done
fi

if [[ "$phase" == all || "$phase" == analyse ]]; then
  start=$(date +%s)
  java -Djava.awt.headless=true -cp "$cp" org.diffuse4j.experiments.CheckerboardSweep \
    "$runs" "$root/docs/img" "$(IFS=,; echo "${sweeps[*]}")" "${nfes[@]}" | tee "$runs/results.md"
  echo "analyse: $(( $(date +%s) - start )) s wall"
fi

if [[ "$phase" == replot ]]; then
  java -Djava.awt.headless=true -cp "$cp" org.diffuse4j.experiments.CheckerboardSweep --replot \
    "$runs" "$root/docs/img" "$(IFS=,; echo "${sweeps[*]}")" "${nfes[@]}"
fi
