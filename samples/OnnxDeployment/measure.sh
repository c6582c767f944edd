#!/usr/bin/env bash
# The deployment sample against the same model on TorchSharp, side by side on this machine: published size, start-up time
# (process start to the first encoded image) and throughput of encode and score at batch 1 and 256. The two programs
# alternate in every round; each figure is the median over the rounds. Prints a Markdown table for the README.
#
#   samples/OnnxDeployment/measure.sh [ROUNDS (5)] [SECONDS per throughput figure (3)] [THREADS (one per core)]
#
# Both programs are published framework-dependent for linux-x64 into a temporary folder, which is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
seconds=${2:-3}
threads=${3:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

publish() { dotnet publish "samples/$1" -c Release -r linux-x64 --self-contained false -o "$work/$1" -v q -nologo >&2; }
publish OnnxDeployment
publish OnnxDeployment.TorchSharp
onnx=("$work/OnnxDeployment/OnnxDeployment" "$work/model")
torch=("$work/OnnxDeployment.TorchSharp/OnnxDeployment.TorchSharp")
"${torch[@]}" export "$work/model" --epochs 5 >&2

megabytes() { du -sb "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# Milliseconds from starting the command to its first line of output; the line itself goes to $work/line.
first_line_ms() {
  local start end
  start=$(date +%s%N)
  { IFS= read -r line; end=$(date +%s%N); cat >/dev/null; } < <("$@")
  echo "$line" >"$work/line"
  echo $(((end - start) / 1000000))
}

: >"$work/onnx-start"; : >"$work/torch-start"; : >"$work/onnx-throughput"; : >"$work/torch-throughput"
for ((round = 1; round <= rounds; round++)); do
  first_line_ms "${onnx[@]}" first >>"$work/onnx-start"; onnx_code=$(cat "$work/line")
  first_line_ms "${torch[@]}" first "$work/model" >>"$work/torch-start"; torch_code=$(cat "$work/line")
  if [[ $onnx_code != "$torch_code" ]]; then echo "the programs disagree: '$onnx_code' vs '$torch_code'" >&2; exit 1; fi
  "${onnx[@]}" throughput --threads "$threads" --seconds "$seconds" >>"$work/onnx-throughput"
  "${torch[@]}" throughput "$work/model" --threads "$threads" --seconds "$seconds" >>"$work/torch-throughput"
  echo "round $round of $rounds done" >&2
done

figure() { awk -v op="$2" -v b="$3" '$2 == op && $3 == b { print $4 }' "$work/$1-throughput" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "Medians of $rounds alternating rounds, $threads threads, ${seconds} s per throughput figure; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')."
echo
echo "| | ONNX Runtime 1.31.1 (OnnxDeployment) | TorchSharp 0.107.0 (OnnxDeployment.TorchSharp) | ONNX Runtime ahead by |"
echo "|---|---:|---:|---:|"
onnx_size=$(megabytes "$work/OnnxDeployment"); torch_size=$(megabytes "$work/OnnxDeployment.TorchSharp")
echo "| published size, framework-dependent linux-x64 (MB) | $onnx_size | $torch_size | $(ratio "$torch_size" "$onnx_size") x |"
onnx_start=$(median <"$work/onnx-start"); torch_start=$(median <"$work/torch-start")
echo "| start-up: process start to the first encoded image (ms) | $onnx_start | $torch_start | $(ratio "$torch_start" "$onnx_start") x |"
for op in encode score; do
  for batch in 1 256; do
    o=$(figure onnx "$op" "$batch"); t=$(figure torch "$op" "$batch")
    echo "| $op, batch $batch (examples/s) | $o | $t | $(ratio "$o" "$t") x |"
  done
done
echo
echo "model files: $(megabytes "$work/model") MB ($(cd "$work/model" && ls | tr '\n' ' '))"
