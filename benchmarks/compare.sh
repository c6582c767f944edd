#!/usr/bin/env bash
# Side by side on this machine: the PyTorch reference (benchmarks/pytorch/vae_reference.py) and the VaeGen sample
# (samples/FashionMnist), same model, data, protocol, batch size, learning rate, seed and thread count, run alternately
# ROUNDS times each. Prints seconds per epoch, examples per second and the test -ELBO after EPOCHS epochs.
# Prints the CPU and PyTorch's OpenBLAS kernel first; sets OPENBLAS_CORETYPE when OpenBLAS falls back to Prescott.
# Needs: apt-get install -y python3-torch libopenblas0-openmp dataset-fashion-mnist
# Usage: benchmarks/compare.sh [ROUNDS=2] [EPOCHS=10] [PROTOCOL=binarized] [MODEL=mlp|conv]; THREADS defaults to the
# core count. MODEL=conv compares the sample's ConvFashionVae with its PyTorch twin.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
epochs=${2:-10}
protocol=${3:-binarized}
model=${4:-mlp}
threads=${THREADS:-$(nproc)}
python=/usr/bin/python3
out=out/compare-$model
if ! "$python" -c "import torch" 2>/dev/null; then
  echo "PyTorch is missing: apt-get install -y python3-torch libopenblas0-openmp" >&2
  exit 1
fi
# The OpenBLAS kernel PyTorch gets: torch loads the BLAS it was built against; ask that very library for its core name.
blas_kernel() {
  "$python" - <<'PY'
import ctypes, torch
paths = sorted({line.split()[-1] for line in open("/proc/self/maps") if "openblas" in line and ".so" in line.split()[-1]})
names = set()
for path in paths:
    try:
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        names.add(lib.openblas_get_corename().decode())
    except (OSError, AttributeError):
        pass
print(", ".join(sorted(names)) or "unknown (no OpenBLAS in the process)")
PY
}
# Debian's OpenBLAS 0.3.21 does not recognise some recent CPUs and falls back to its oldest kernel (Prescott), which
# makes PyTorch almost twice as slow. Then give it the kernel the instruction set deserves, unless the caller chose one.
kernel=$(blas_kernel)
if [[ -z "${OPENBLAS_CORETYPE:-}" && "$kernel" == *Prescott* ]]; then
  flags=$(grep -m1 '^flags' /proc/cpuinfo)
  if [[ " $flags " == *" avx512f "* && " $flags " == *" avx512vl "* ]]; then export OPENBLAS_CORETYPE=SkylakeX
  elif [[ " $flags " == *" avx2 "* ]]; then export OPENBLAS_CORETYPE=Haswell
  fi
  kernel=$(blas_kernel)
fi
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; PyTorch's OpenBLAS kernel: $kernel"
if [[ "$kernel" == *Prescott* ]]; then
  echo "PyTorch would run on OpenBLAS's slowest kernel (Prescott): set OPENBLAS_CORETYPE to this CPU's kernel." >&2
  exit 1
fi
mkdir -p "$out"
dotnet build samples/FashionMnist -c Release -v q -nologo >/dev/null

for round in $(seq 1 "$rounds"); do
  echo "round $round: PyTorch" >&2
  "$python" benchmarks/pytorch/vae_reference.py --model "$model" --epochs "$epochs" --threads "$threads" --protocol "$protocol" --seed "$round" \
    | tail -n 1 >"$out/pytorch-$round.json"
  echo "round $round: VaeGen" >&2
  dotnet run --no-build -c Release --project samples/FashionMnist -- --model "$model" --epochs "$epochs" --threads "$threads" \
    --protocol "$protocol" --seed "$round" --iw-samples 0 --output "$out/vaegen-$round" >/dev/null
done

"$python" - "$out" "$rounds" "$epochs" "$threads" "$protocol" "$model" <<'PY'
import json, statistics, sys
out, rounds, epochs, threads, protocol, model = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
rows = {"PyTorch": [], "VaeGen": []}
for r in range(1, rounds + 1):
    t = json.load(open(f"{out}/pytorch-{r}.json"))
    rows["PyTorch"].append((t["seconds_per_epoch"], t["examples_per_second"], t["test_loss"]))
    v = json.load(open(f"{out}/vaegen-{r}/metrics.json"))
    rows["VaeGen"].append((v["training"]["train_seconds_per_epoch"], v["training"]["examples_per_second"], v["test"]["negative_elbo"]))
print(f"model {model}, {epochs} epochs, protocol {protocol}, {threads} threads, {rounds} runs each (seeds 1..{rounds}), means;")
print("s/epoch counts the training steps only (no evaluation) in both programs:")
print(f"{'':8} {'s/epoch':>8} {'examples/s':>11} {'test -ELBO':>11}")
for name, values in rows.items():
    s, e, l = (statistics.mean(v[i] for v in values) for i in range(3))
    print(f"{name:8} {s:8.2f} {e:11,.0f} {l:11.2f}")
p, v = (statistics.mean(x[2] for x in rows[k]) for k in ("PyTorch", "VaeGen"))
ps, vs = (statistics.mean(x[0] for x in rows[k]) for k in ("PyTorch", "VaeGen"))
print(f"VaeGen/PyTorch: time per epoch {vs / ps:.3f}, test -ELBO {100 * (v - p) / p:+.2f}%")
PY
