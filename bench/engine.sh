#!/usr/bin/env bash
# Training and sampling speed at batch 1024, and the sampling engine's overhead
# (sampling time / (NFE x time of one network evaluation alone)), for several solvers.
# Usage: bench/engine.sh [OUT_DIR]      (prints a Markdown table; takes ~6 minutes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
d4j="${DIFFUSE4J:-$root/diffuse4j}"   # the launcher; set DIFFUSE4J to run something else
out="${1:-$root/runs/bench-engine}"
manifest="$root/examples/manifests/two-moons.yaml"
common=(--set training.batch_size=1024 --set sampling.batch_size=1024 --set sampling.n=8192 --set sampling.steps=50)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/engine.sh ($(date -u +%Y-%m-%dT%H:%MZ))"
echo
"$d4j" run "$manifest" --out "$out" --force "${common[@]}" --set training.steps=1000 >/dev/null 2>&1
python3 - "$out/metrics.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"training: {m['train_ms_per_step']:.2f} ms/step (3x256 MLP, batch 1024, Adam)")
print()
PY
echo "| solver | NFE | sampling ms/step | network eval ms | engine overhead |"
echo "|---|---|---|---|---|"
for solver in euler heun midpoint ralston rk3 rk4 dopri5 ddim dpm-solver dpm-solver-multistep dpmpp-2s dpmpp-2m dpmpp-3m \
    unipc deis lms pndm plms ipndm dpmpp-sde dpmpp-2m-sde euler-maruyama ddpm euler-ancestral edm-stochastic pc; do
  "$d4j" run "$manifest" --out "$out" --resume "${common[@]}" --set training.steps=1000 \
    --set sampling.solver="$solver" >/dev/null 2>&1 || { echo "| $solver | failed | | | |"; continue; }
  python3 - "$out/metrics.json" "$solver" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"| {sys.argv[2]} | {m['nfe']} | {m['sample_ms_per_step']:.2f} | {m['network_eval_ms']:.3f} | {m['engine_overhead']:.2f} |")
PY
done
