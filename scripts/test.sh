#!/usr/bin/env bash
# The test command (README, CI): installs the toolchains if missing, builds the driver in
# release mode, runs every crate's tests (CUDA programs through our libcuda.so.1 included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
source "${CUEMU_CACHE:-$HOME/.cache/cuemu}/env.sh"
export CARGO_TERM_COLOR=never
echo "== build (release)"
cargo build --release --workspace --all-targets
echo "== tests"
cargo test --release --workspace 2>&1 | tee target/test.log
# One closing line over every test binary (cargo's last block is often a crate's empty doc-tests).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i } }
     END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s }' target/test.log
# Fail loudly if a test binary reported a failure that cargo's exit code did not carry.
if grep -q "^test result: FAILED" target/test.log; then
  echo "some tests failed" >&2
  exit 1
fi
