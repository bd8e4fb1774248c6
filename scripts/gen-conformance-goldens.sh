#!/usr/bin/env bash
# Records the PTX conformance goldens (tests/conformance/golden/h100.txt.gz) on a real NVIDIA GPU.
#
# Usage: scripts/gen-conformance-goldens.sh [OUTDIR]      (default: $OUT if set, else ./gpu-out)
#   CONFORMANCE_BIN=path   run this prebuilt binary (built with
#                          `nvcc -arch=sm_90 -diag-suppress 177 -o conformance tests/conformance/conformance.cu`)
#                          instead of building one; falls back to building if it cannot run.
#   CONFORMANCE_FILTER=F  record only the tests F selects (the program's argument: a substring of
#                          the name, or "^P1,^P2,..." name prefixes) into h100-$CONFORMANCE_PART.txt.gz,
#                          a part that tests/conformance.rs reads beside h100.txt.gz; e.g.
#                          CONFORMANCE_FILTER='^vadd,^vsub,^vavrg,^vabsdiff,^vmin,^vmax,^vset,^vshl,^vshr,^vmad'
#                          CONFORMANCE_PART=video
# OUTDIR gets h100.txt.gz (copy it to tests/conformance/golden/), summary.txt and stderr.txt.
set -u
OUTDIR="${1:-${OUT:-./gpu-out}}"
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC="$ROOT/tests/conformance/conformance.cu"
SUMMARY="$OUTDIR/summary.txt"
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }

GPU=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -n1)
say "gpu: $GPU"
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT

build() {
  local NVCC
  NVCC=$(command -v nvcc || true)
  for c in /usr/local/cuda/bin/nvcc ${CUDA_HOME:+$CUDA_HOME/bin/nvcc}; do
    [ -n "$NVCC" ] && break
    [ -x "$c" ] && NVCC="$c"
  done
  [ -n "$NVCC" ] || { say "no nvcc"; return 1; }
  say "building with $NVCC ($("$NVCC" --version | tail -n1))"
  "$NVCC" -arch=sm_90 -diag-suppress 177 -o "$BUILD/conformance" "$SRC" >"$OUTDIR/build.log" 2>&1 || { say "build failed"; tail -n 20 "$OUTDIR/build.log" | tee -a "$SUMMARY"; return 1; }
  BIN="$BUILD/conformance"
}

run() {  # $1 = binary, $2 = origin
  timeout "${RUN_TIMEOUT:-240}" "$1" ${CONFORMANCE_FILTER:+"$CONFORMANCE_FILTER"} >"$BUILD/out.txt" 2>"$OUTDIR/stderr.txt"
  local rc=$?
  say "run of $2 binary: rc=$rc, $(grep -c '^@' "$BUILD/out.txt") tests, $(grep -c '^@.* ERROR' "$BUILD/out.txt") errors"
  [ $rc = 0 ] && [ "$(head -c1 "$BUILD/out.txt")" = "@" ]
}

ok=0
if [ -n "${CONFORMANCE_BIN:-}" ] && [ -x "$CONFORMANCE_BIN" ]; then
  BIN="$CONFORMANCE_BIN"
  run "$BIN" prebuilt && ok=1 && ORIGIN="prebuilt sm_90 binary (${CONFORMANCE_ORIGIN:-nvcc of the checkout machine})"
fi
if [ $ok = 0 ]; then
  build && run "$BIN" "freshly built" && ok=1 && ORIGIN="built on the GPU machine"
fi
[ $ok = 1 ] || { say "VERDICT: no goldens"; exit 1; }
grep '^@.* ERROR' "$BUILD/out.txt" | tee -a "$SUMMARY"
NAME=h100.txt.gz
[ -n "${CONFORMANCE_FILTER:-}" ] && NAME="h100-${CONFORMANCE_PART:-part}.txt.gz"
{
  echo "# recorded on ${GPU:-unknown GPU}, $(date -u +%Y-%m-%d), ${ORIGIN}, by scripts/gen-conformance-goldens.sh"
  cat "$BUILD/out.txt"
} | gzip -9 -n >"$OUTDIR/$NAME"
say "VERDICT: goldens written to $NAME ($(wc -c <"$OUTDIR/$NAME") bytes)"
