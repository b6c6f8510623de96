#!/usr/bin/env bash
# Issue 7's Fashion-MNIST figure: class accuracy and Fréchet distance (features of the evaluation
# classifier) against the guidance scale for cfg, cfg-plus-plus, apg and autoguidance, all sampled
# from the same trained checkpoint with DDIM, 50 steps, the same noise (seed) and N images
# (N/10 per class). Autoguidance guides with WEAK_RUN, a smaller model trained for a quarter of the
# steps (see docs/results.md). Scale 1 of cfg, apg and autoguidance is the conditional model itself,
# sampled once ("conditional").
#
# Usage: bench/guidance-sweep.sh [all|sample|analyse] MAIN_RUN WEAK_RUN [RUNS_DIR] [N]
#   MAIN_RUN: the run folder of examples/manifests/fashion-mnist-cfg.yaml
#   WEAK_RUN: the same manifest with --set network.base_channels=8 --set training.steps=1250
#   RUNS_DIR: default runs/guidance-sweep; N: default 300.
# Writes RUNS_DIR/results.md and results.json, and docs/img/fashion-guidance-{accuracy,fd}.png.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
phase="${1:-all}"
main_run="$(cd "${2:?MAIN_RUN}" && pwd)"
weak_run="$(cd "${3:?WEAK_RUN}" && pwd)"
runs="${4:-$root/runs/guidance-sweep}"
n="${5:-300}"
cd "$root"

# name|scale|guidance: one sampling run each.
settings=(
  "conditional|1|{name: none}"
  "unconditional|0|{name: cfg, scale: 0}"
)
for w in 1.5 2 3 5; do settings+=("cfg|$w|{name: cfg, scale: $w}"); done
for l in 0.2 0.4 0.6 0.8 1.0; do settings+=("cfg-plus-plus|$l|{name: cfg-plus-plus, scale: $l}"); done
# The weak model's parameterisation, as its run folder records it (eps for the runs of docs/results.md).
weak_param="$(sed -n 's/^parameterisation: *"\{0,1\}\([a-z0-9-]*\)"\{0,1\} *$/\1/p' "$weak_run/manifest.yaml")"
for w in 1.5 2 3 5; do
  settings+=("autoguidance|$w|{name: autoguidance, scale: $w, weak_model: {name: checkpoint, run: $weak_run}, weak_parameterisation: $weak_param}")
done

for w in 2 3 5 8; do settings+=("apg|$w|{name: apg, scale: $w, eta: 0, momentum: -0.5}"); done

source bench/private-classpath.sh "$runs"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/guidance-sweep.sh $phase $main_run $weak_run $runs $n ($(date -u +%Y-%m-%dT%H:%MZ))"

if [[ "$phase" == all || "$phase" == sample ]]; then
  for s in "${settings[@]}"; do
    IFS='|' read -r name scale guidance <<<"$s"
    dir="$runs/$name/w-$scale"
    if [[ -f "$dir/evaluation.json" ]]; then continue; fi
    rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
    start=$(date +%s)
    d4j sample "$main_run" --out "$dir" --set "guidance=$guidance" --set sampling.n="$n" --set sampling.batch_size=100 \
      2>"$dir.stderr.txt" | grep -E '^sampled' || { cat "$dir.stderr.txt"; exit 1; }
    d4j evaluate "$dir" --json >/dev/null 2>>"$dir.stderr.txt" || { cat "$dir.stderr.txt"; exit 1; }
    echo "$name $scale: $(( $(date +%s) - start )) s wall"
  done
fi

if [[ "$phase" == all || "$phase" == analyse ]]; then
  java -Djava.awt.headless=true -cp "$cp" org.diffuse4j.experiments.GuidanceSweep \
    "$runs" "$root/docs/img" | tee "$runs/results.md"
fi
