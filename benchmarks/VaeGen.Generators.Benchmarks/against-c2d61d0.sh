#!/usr/bin/env bash
# The generator against c2d61d0, the last commit before the priors/posteriors redesign (issue 9), in one invocation:
# this commit as it is; c2d61d0; and this commit without the generated members that later issues added (issue 10's
# ExportOnnx, issue 11's architecture fingerprint, issue 13's streamed Fit and Evaluate and Save/Load), built from
# without-later-members.patch. Cold runs and unrelated edits (with the trivial [Vae] generator as the floor) alternate
# the builds block by block in one process (Alternating.cs).
#
#   benchmarks/VaeGen.Generators.Benchmarks/against-c2d61d0.sh [BLOCKS=16] [MODELS=0,1,100,1000]
#
# Needs a quiet machine: the builds are compared by ratio, and a busy machine moves them by more than 10%.
set -euo pipefail
blocks=${1:-16}
models=${2:-0,1,100,1000}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
# "current" is built from the working tree and "without" from HEAD: they differ by the patch alone only when clean.
if ! git -C "$root" diff --quiet HEAD; then
    echo "Commit or stash your changes first: the build without the later members is made from HEAD." >&2
    exit 1
fi
if ! git -C "$root" cat-file -e 'c2d61d0^{commit}' 2>/dev/null; then
    echo "c2d61d0 is not in this clone (a shallow clone?): run 'git fetch --unshallow' first." >&2
    exit 1
fi
work=$(mktemp -d)
cleanup() {
    git -C "$root" worktree remove --force "$work/c2d61d0" 2>/dev/null || true
    git -C "$root" worktree remove --force "$work/without" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

git -C "$root" worktree add --quiet --detach "$work/c2d61d0" c2d61d0
git -C "$root" worktree add --quiet --detach "$work/without" HEAD
git -C "$work/without" apply "$root/benchmarks/VaeGen.Generators.Benchmarks/without-later-members.patch"
for build in c2d61d0 without; do
    dotnet build -c Release --nologo -v quiet "$work/$build/generators/VaeGen.Generators/VaeGen.Generators.csproj"
done
dotnet build -c Release --nologo -v quiet "$root/benchmarks/VaeGen.Generators.Benchmarks"

dll=generators/VaeGen.Generators/bin/Release/netstandard2.0/VaeGen.Generators.dll
export VAEGEN_BASELINE_GENERATOR="c2d61d0=$work/c2d61d0/$dll,without=$work/without/$dll"
# Dynamic PGO recompiles each loaded build from its own profile, and two loads of one build have differed by 3x:
# off, the builds are compared on the work they do.
export DOTNET_TieredPGO=0
echo "HEAD $(git -C "$root" rev-parse --short HEAD); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
bench="$root/benchmarks/VaeGen.Generators.Benchmarks/bin/Release/net10.0/VaeGen.Generators.Benchmarks.dll"
dotnet "$bench" alternate-emit "$blocks"
dotnet "$bench" alternate "$blocks" "$models"
dotnet "$bench" alternate-edit "$blocks" "$models"
