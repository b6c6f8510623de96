#!/usr/bin/env bash
# Training step time of Diffuse4J's two example networks next to the same step in PyTorch on this
# CPU (issue 6): the two-moons MLP (3x256 SiLU, batch 1024, flow matching) and the Fashion-MNIST
# U-Net of fashion-mnist-cfg.yaml (base 16, batch 128, class-conditional), both with eps-prediction
# (the example itself predicts v since 2026-12-04; the step costs the same).
# Usage: bench/train-step.sh [OUT_DIR]      (prints Markdown tables; ~2 minutes on a quiet machine)
#
# Diffuse4J: one `diffuse4j run` of each example manifest (checkpoint_every=0, a tiny sampling pass,
# log_every=1); each "step k/N" line is timestamped as it arrives, so the per-step time is the
# interval between consecutive lines (the whole step: Java's batch and noise, feeding, one
# Session.run, the loss read back). "median" skips the first WARMUP steps like the PyTorch side;
# "whole run" is train_ms_per_step of metrics.json (all steps, including the first step's graph
# warm-up and the final checkpoint save).
# PyTorch: bench/torch_train_step.py (median over timed steps after WARMUP steps) with Debian's
# python3-torch, in four set-ups: the BLAS Debian installs with it (libblas3, the reference BLAS) or
# OpenBLAS loaded through LD_LIBRARY_PATH (no system change), each with libgomp's default
# OMP_WAIT_POLICY (threads spin before sleeping) and with OMP_WAIT_POLICY=PASSIVE. On a shared
# machine the wait policy alone changed PyTorch's step time by up to 10x (which way depends on
# the model and on what else runs), so all four are printed; the ratios are taken against PyTorch
# as installed (Debian's BLAS, default policy) and against the fastest of all set-ups. A fifth set-up
# (issue 17) loads OpenBLAS built for OpenMP (libopenblas0-openmp, OPENBLAS_OPENMP_DIR) with glibc's
# MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ raised to 4 GiB. Last line: the MLP's steady step
# without per-step logging (two more runs of MLP_STEPS and MLP_STEPS + MARGINAL_STEPS steps).
#
# Environment: DIFFUSE4J (launcher, default ./diffuse4j), DIFFUSE4J_LOCK (a lock file: each launcher
# call runs under `flock` on it), TORCH_PYTHON (default /usr/bin/python3), OPENBLAS_DIR (a folder
# with OpenBLAS's libblas.so.3; default: the system's openblas-pthread, else Debian's
# libopenblas0-pthread unpacked into OUT_DIR/openblas with apt-get download; OPENBLAS_DIR=none skips),
# TF_ENABLE_ONEDNN_OPTS (default 1, as the launcher), MARGINAL_STEPS (1000, above), MLP_STEPS / UNET_STEPS (Diffuse4J steps,
# 300 / 40), TORCH_MLP_STEPS / TORCH_UNET_STEPS (PyTorch's timed steps, 100 / 20), WARMUP (5),
# TORCH_DEVICE (cpu; cuda on a GPU machine, with DIFFUSE4J_MAVEN_ARGS=-Pgpu for Diffuse4J:
# docs/benchmarks.md, "On a GPU machine").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
d4j="${DIFFUSE4J:-$root/diffuse4j}"   # the launcher; set DIFFUSE4J to run something else
py="${TORCH_PYTHON:-/usr/bin/python3}"
out="${1:-$root/runs/bench-train-step}"
lock="${DIFFUSE4J_LOCK:-}"
mlp_steps="${MLP_STEPS:-300}"; unet_steps="${UNET_STEPS:-40}"
torch_mlp_steps="${TORCH_MLP_STEPS:-100}"; torch_unet_steps="${TORCH_UNET_STEPS:-20}"
warmup="${WARMUP:-5}"
torch_device="${TORCH_DEVICE:-cpu}"
mkdir -p "$out"
# TensorFlow's oneDNN kernels, as the launcher turns them on (TensorFlow itself does only on CPUs with
# AVX-512 VNNI/BF16, AVX-VNNI or AMX); TF_ENABLE_ONEDNN_OPTS=0 measures its Eigen kernels instead.
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"

# PyTorch: Debian's build (the python3 on PATH may be another interpreter without torch).
if ! "$py" -c 'import torch' >/dev/null 2>&1; then
  if [ "$py" = /usr/bin/python3 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's python3-torch..." >&2
    SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    $SUDO apt-get install -y -qq python3-torch >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-torch >/dev/null; }
  fi
  "$py" -c 'import torch' >/dev/null 2>&1 || {
    echo "train-step.sh: $py cannot import torch; install it with 'sudo apt-get install python3-torch' (Debian) or set TORCH_PYTHON" >&2
    exit 2
  }
fi

# openblas_dir THREADING: a folder holding Debian's OpenBLAS libblas.so.3 built for THREADING
# (pthread or openmp): the system's, else libopenblas0-THREADING unpacked into $out/openblas with
# apt-get download (no system change); prints nothing when neither is there.
openblas_dir() {
  local sys="/usr/lib/x86_64-linux-gnu/openblas-$1" cached
  if [ -e "$sys/libblas.so.3" ]; then echo "$sys"; return; fi
  mkdir -p "$out/openblas"
  cached="$(find "$out/openblas" -name libblas.so.3 -path "*openblas-$1*" | head -1)"
  if [ -z "$cached" ] && command -v apt-get >/dev/null; then
    (cd "$out/openblas" && apt-get download -qq "libopenblas0-$1" >/dev/null 2>&1 && dpkg -x "libopenblas0-$1"_*.deb root) || true
    cached="$(find "$out/openblas" -name libblas.so.3 -path "*openblas-$1*" | head -1)"
  fi
  [ -n "$cached" ] && dirname "$cached"
  return 0
}

# OpenBLAS for the second PyTorch run, without installing it system-wide.
openblas="${OPENBLAS_DIR:-$(openblas_dir pthread)}"
[ -e "$openblas/libblas.so.3" ] || { echo "no OpenBLAS found (set OPENBLAS_DIR); skipping the PyTorch + OpenBLAS column" >&2; openblas=""; }
# The separately tuned set-up of issue 17: OpenBLAS built for OpenMP, with glibc's malloc mmap and
# trim thresholds raised (no memory returned to the system between steps).
openmp="${OPENBLAS_OPENMP_DIR:-$(openblas_dir openmp)}"
[ -e "$openmp/libblas.so.3" ] || { echo "no OpenMP OpenBLAS found (set OPENBLAS_OPENMP_DIR); skipping the tuned PyTorch column" >&2; openmp=""; }

launch() {
  if [ -n "$lock" ]; then flock "$lock" "$d4j" "$@"; else "$d4j" "$@"; fi
}

# d4j_train NAME MANIFEST STEPS [--set ...]: one run into $out/NAME; its stdout lines, each prefixed
# with the time it arrived (seconds), go to $out/NAME.lines.
d4j_train() {
  local name="$1" manifest="$2" steps="$3"; shift 3
  launch run "$manifest" --out "$out/$name" --set training.steps="$steps" --set training.checkpoint_every=0 \
    --set training.log_every=1 "$@" 2>"$out/$name.err" \
    | "$py" -u -c 'import sys, time
for line in iter(sys.stdin.buffer.readline, b""):
    sys.stdout.write("%.6f %s" % (time.perf_counter(), line.decode("utf-8", "replace")))' >"$out/$name.lines" || {
    echo "diffuse4j run failed for $name; see $out/$name.err" >&2
    tail -5 "$out/$name.err" >&2
    exit 1
  }
}

torch_run() { # torch_run MODEL STEPS: the PyTorch set-ups, into $out/torch-MODEL-{debian,openblas}-{default,passive}.json and -openmp-tuned.json
  local blas lib policy wait
  for blas in debian openblas; do
    lib=""
    if [ "$blas" = openblas ]; then [ -n "$openblas" ] || continue; lib="$openblas"; fi
    for policy in default passive; do
      if [ "$policy" = default ]; then wait=(-u OMP_WAIT_POLICY); else wait=(OMP_WAIT_POLICY=PASSIVE); fi
      env "${wait[@]}" LD_LIBRARY_PATH="$lib" "$py" "$root/bench/torch_train_step.py" --model "$1" \
        --steps "$2" --warmup "$warmup" --threads 2 --device "$torch_device" >"$out/torch-$1-$blas-$policy.json"
    done
  done
  if [ -n "$openmp" ]; then
    env -u OMP_WAIT_POLICY LD_LIBRARY_PATH="$openmp" MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 \
      "$py" "$root/bench/torch_train_step.py" --model "$1" --steps "$2" --warmup "$warmup" --threads 2 \
      --device "$torch_device" >"$out/torch-$1-openmp-tuned.json"
  fi
}

loads=()
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(load)"
echo "command: bench/train-step.sh ($(date -u +%Y-%m-%dT%H:%MZ))"

# Each model: Diffuse4J, then PyTorch, back to back (similar load for the pair).
loads+=("$(load)")
d4j_train mlp "$root/examples/manifests/two-moons.yaml" "$mlp_steps" \
  --set sampling.n=16 --set sampling.batch_size=16 --set sampling.steps=2
torch_run mlp "$torch_mlp_steps"
# The MLP's step is ~10 ms, so the per-step log line, its TensorBoard record and the reader above cost a
# noticeable share of it; its steady step without them: two runs at the manifest's log_every, MLP_STEPS
# and MLP_STEPS + MARGINAL_STEPS steps, and the difference of their training times (warm-up and the final
# checkpoint cancel).
marginal="${MARGINAL_STEPS:-1000}"
for n in "$mlp_steps" "$((mlp_steps + marginal))"; do
  launch run "$root/examples/manifests/two-moons.yaml" --out "$out/mlp-quiet-$n" --set training.steps="$n" \
    --set training.checkpoint_every=0 --set sampling.n=16 --set sampling.batch_size=16 --set sampling.steps=2 \
    >/dev/null 2>"$out/mlp-quiet-$n.err" || { echo "diffuse4j run failed; see $out/mlp-quiet-$n.err" >&2; exit 1; }
done
loads+=("$(load)")
d4j_train unet "$root/examples/manifests/fashion-mnist-cfg.yaml" "$unet_steps" --set training.warmup=0 --set parameterisation=eps \
  --set sampling.n=10 --set sampling.batch_size=10 --set sampling.steps=2
torch_run unet "$torch_unet_steps"
loads+=("$(load)")
tfv="$(grep -o 'tensorflow-core-api/[^/]*' "$root/cli/target/diffuse4j.classpath" 2>/dev/null | head -1 | cut -d/ -f2 || true)"
echo "Diffuse4J: TensorFlow Java ${tfv:-?}, TF_ENABLE_ONEDNN_OPTS=$TF_ENABLE_ONEDNN_OPTS, $(java -version 2>&1 | head -1)"

"$py" - "$out" "$warmup" "$mlp_steps" "$marginal" "${loads[@]}" <<'PY'
import json, os, re, statistics, sys
out, warmup, mlp_steps, marginal, loads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]

def d4j(name):
    """(whole-run ms/step, median and mean ms/step after the warm-up steps, timed steps, parameters)."""
    m = json.load(open(os.path.join(out, name, "metrics.json")))
    stamps = []
    for line in open(os.path.join(out, name + ".lines"), encoding="utf-8"):
        hit = re.match(r"(\S+) step (\d+)/\d+ loss", line)
        if hit:
            stamps.append((int(hit.group(2)), float(hit.group(1))))
    # step k's time = stamp(k) - stamp(k-1); steps 1..warmup are skipped (step 1 has no start stamp)
    ms = [(b - a) * 1000 for (i, a), (k, b) in zip(stamps, stamps[1:]) if k == i + 1 and k > warmup]
    # parameters: the checkpoint holds float32 weights, Adam's m and v and the EMA copy (4 values each)
    ck = os.path.join(out, name, "checkpoint")
    size = sum(os.path.getsize(os.path.join(ck, f)) for f in os.listdir(ck) if f.startswith("variables.data"))
    return m["train_ms_per_step"], m["train_steps"], statistics.median(ms), statistics.fmean(ms), len(ms), size // 16

SETUPS = (("debian-default", "Debian's BLAS, default wait"), ("debian-passive", "Debian's BLAS, PASSIVE"),
          ("openblas-default", "OpenBLAS, default wait"), ("openblas-passive", "OpenBLAS, PASSIVE"),
          ("openmp-tuned", "OpenBLAS+OpenMP, malloc thresholds raised"))

def torch(name):
    found = {}
    for tag, _ in SETUPS:
        p = os.path.join(out, f"torch-{name}-{tag}.json")
        if os.path.exists(p):
            found[tag] = json.load(open(p))
    return found

def cell(r):
    return f"{r['median_ms']:.1f} ({r['mean_ms']:.1f})"

models = (("mlp", "MLP 3×256, two-moons, batch 1024"), ("unet", "U-Net base 16, Fashion-MNIST, batch 128"))
runs = {name: (d4j(name), torch(name)) for name, _ in models}
j = runs["mlp"][1]["debian-default"]
print(f"PyTorch {j['torch']} (Debian python3-torch, Python {j['python']}), {j['threads']} threads; "
      f"first {warmup} steps untimed in both frameworks; timed steps: Diffuse4J "
      f"{runs['mlp'][0][4]} / {runs['unet'][0][4]}, PyTorch {j['models']['mlp']['timed_steps']} / "
      f"{runs['unet'][1]['debian-default']['models']['unet']['timed_steps']} (MLP / U-Net); "
      f"load average before MLP / before U-Net / after: {' / '.join(loads)}")
print()
print("| model | parameters Diffuse4J / PyTorch | Diffuse4J ms/step, whole run (metrics.json) | "
      "Diffuse4J ms/step, median (mean) | PyTorch as installed, median (mean) | "
      "PyTorch, fastest set-up, median (mean) | Diffuse4J / PyTorch (medians): as installed; fastest |")
print("|---|---|---|---|---|---|---|")
for name, label in models:
    (whole, steps, med, mean, n, p4), t = runs[name]
    base = t["debian-default"]["models"][name]
    best_tag = min(t, key=lambda k: t[k]["models"][name]["median_ms"])
    best = t[best_tag]["models"][name]
    best_label = dict(SETUPS)[best_tag]
    print(f"| {label} | {p4:,} / {base['parameters']:,} | {whole:.1f} [{steps} steps] | {med:.1f} ({mean:.1f}) | "
          f"{cell(base)} | {cell(best)}: {best_label} | {med / base['median_ms']:.2f}; {med / best['median_ms']:.2f} |")
print()
print("PyTorch ms/step, median (mean), per set-up (BLAS, OMP_WAIT_POLICY):")
print()
print("| model | " + " | ".join(label for _, label in SETUPS) + " |")
print("|---|" + "---|" * len(SETUPS))
for name, label in models:
    t = runs[name][1]
    print(f"| {label} | " + " | ".join(cell(t[tag]["models"][name]) if tag in t else "—" for tag, _ in SETUPS) + " |")
print()
secs = [json.load(open(os.path.join(out, f"mlp-quiet-{n}", "metrics.json")))["train_seconds"]
        for n in (mlp_steps, mlp_steps + marginal)]
step = (secs[1] - secs[0]) * 1000 / marginal
t = runs["mlp"][1]
best_tag = min(t, key=lambda k: t[k]["models"]["mlp"]["median_ms"])
best = t[best_tag]["models"]["mlp"]["median_ms"]
print(f"MLP without the per-step log line: training {secs[0]:.2f} s for {mlp_steps} steps, {secs[1]:.2f} s for "
      f"{mlp_steps + marginal} (two-moons.yaml's log_every), so {step:.2f} ms per step in steady state; "
      f"{step / best:.2f}x PyTorch's fastest set-up ({best:.1f} ms, {dict(SETUPS)[best_tag]})")
PY
