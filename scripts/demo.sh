#!/usr/bin/env bash
# The main job: install what is needed, build cuemu, compile an ordinary CUDA program with
# NVIDIA's nvcc (default flags: static cudart 13, sm_75 SASS + compute_75 PTX) and run it on the
# CPU through cuemu's libcuda.so.1. Pass a .cu file to run your own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
source "${CUEMU_CACHE:-$HOME/.cache/cuemu}/env.sh"
cargo build --release -q
src=${1:-tests/programs/sgemm_tiled.cu}
out=target/demo/$(basename "${src%.cu}")
mkdir -p target/demo
echo "== nvcc -o $out $src"
nvcc -o "$out" "$src"
./target/release/cuemu info
echo "== cuemu run -- $out"
./target/release/cuemu run -- "$out"
