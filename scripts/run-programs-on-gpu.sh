#!/usr/bin/env bash
# Builds every tests/programs/*.cu with the machine's own nvcc (default flags, static cudart,
# plus a --cudart=shared variant) and runs it on the machine's real NVIDIA GPU: the oracle for
# the outputs recorded in tests/golden/h100/.
#
# Usage: scripts/run-programs-on-gpu.sh [--pack] [--sanitize] [OUTDIR]
#   OUTDIR      where results go (default: $OUT if set, else ./gpu-out)
#   --pack      leave only a few files in OUTDIR (summary.txt, results.tar.gz, sanitizer.txt):
#               for the device `run` tool, which returns at most 8 files
#   --sanitize  afterwards also run each static binary under compute-sanitizer
#               (memcheck, racecheck, synccheck) when it is installed
#   ONLY="a b"  (environment) only the programs a.cu and b.cu
#
# For each program NAME, OUTDIR gets (inside results.tar.gz with --pack):
#   NAME.txt            stdout of the static-cudart build (what tests/programs.rs compares)
#   NAME.shared.txt     stdout of the --cudart=shared build (must equal NAME.txt)
#   NAME[.shared].stderr, NAME[.shared].build.log
#   golden/NAME.txt     header line + NAME.txt: copy to tests/golden/h100/ to refresh
#   summary.txt         one line per build/run, the GPU/driver/nvcc description, and a verdict
#
# Per-program extra link flags come from a `// Build: nvcc -o NAME NAME.cu FLAGS` line in the
# source (driver_api.cu uses it for -lcuda); everything else is built with plain `nvcc -o`.
set -u

PACK=0
SANITIZE=0
OUTDIR=""
for a in "$@"; do
  case "$a" in
    --pack) PACK=1 ;;
    --sanitize) SANITIZE=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) OUTDIR="$a" ;;
  esac
done
[ -n "$OUTDIR" ] || OUTDIR="${OUT:-./gpu-out}"
mkdir -p "$OUTDIR/golden"
OUTDIR=$(cd "$OUTDIR" && pwd)

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC="$ROOT/tests/programs"
RUN_TIMEOUT=${RUN_TIMEOUT:-120}
SUMMARY="$OUTDIR/summary.txt"
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }

NVCC=$(command -v nvcc || true)
for c in /usr/local/cuda/bin/nvcc ${CUDA_HOME:+$CUDA_HOME/bin/nvcc}; do
  [ -n "$NVCC" ] && break
  [ -x "$c" ] && NVCC="$c"
done
if [ -z "$NVCC" ]; then
  say "ERROR: nvcc not found (PATH, /usr/local/cuda/bin, \$CUDA_HOME/bin)"
  exit 2
fi
CUDA_ROOT=$(cd "$(dirname "$(readlink -f "$NVCC")")/.." && pwd)
# libcudart.so.13 for the shared-cudart builds
export LD_LIBRARY_PATH="$CUDA_ROOT/lib64:$CUDA_ROOT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

GPU=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -n1)
GPU_NAME=$(echo "$GPU" | cut -d, -f1 | sed 's/^ *//;s/ *$//')
DRIVER=$(echo "$GPU" | cut -d, -f2 | sed 's/^ *//;s/ *$//')
NVCC_VER=$("$NVCC" --version | sed -n 's/.*\(release [0-9.]*, V[0-9.]*\).*/\1/p' | head -n1)
DATE=$(date -u +%Y-%m-%d)
HEADER="# recorded on ${GPU_NAME:-unknown GPU}, driver ${DRIVER:-unknown}, nvcc ${NVCC_VER:-unknown} (default flags, static cudart), ${DATE}, by scripts/run-programs-on-gpu.sh"
say "$HEADER"
say "nvcc: $NVCC"
nvidia-smi >"$OUTDIR/nvidia-smi.txt" 2>&1 || true

BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT

extra_flags() {  # $1 = source file
  sed -n 's|^// Build: nvcc -o [^ ]* [^ ]*\.cu *||p' "$1" | head -n1
}

# ---- build everything in parallel ----
names=()
for src in "$SRC"/*.cu; do
  name=$(basename "$src" .cu)
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then continue; fi
  names+=("$name")
  extra=$(extra_flags "$src")
  # shellcheck disable=SC2086
  ( cd "$BUILD" && "$NVCC" -o "$name" "$src" $extra >"$OUTDIR/$name.build.log" 2>&1; echo $? >"$name.build.rc" ) &
  ( cd "$BUILD" && "$NVCC" --cudart=shared -o "$name.shared" "$src" $extra >"$OUTDIR/$name.shared.build.log" 2>&1; echo $? >"$name.shared.build.rc" ) &
done
wait

# ---- run ----
all_ok=1
for name in "${names[@]}"; do
  for variant in static shared; do
    bin="$name"; out="$name"
    [ "$variant" = shared ] && { bin="$name.shared"; out="$name.shared"; }
    brc=$(cat "$BUILD/$bin.build.rc" 2>/dev/null || echo 99)
    if [ "$brc" != 0 ]; then
      say "$name [$variant]: BUILD FAILED (rc=$brc)"
      sed 's/^/    /' "$OUTDIR/$bin.build.log" | head -n 20 | tee -a "$SUMMARY"
      all_ok=0
      continue
    fi
    timeout "$RUN_TIMEOUT" "$BUILD/$bin" >"$OUTDIR/$out.txt" 2>"$OUTDIR/$out.stderr"
    rc=$?
    verdict=$(tail -n1 "$OUTDIR/$out.txt")
    fails=$(grep -c '^FAIL' "$OUTDIR/$out.txt")
    same=""
    if [ "$variant" = shared ]; then
      if cmp -s "$OUTDIR/$name.txt" "$OUTDIR/$out.txt"; then same=" output=same-as-static"; else same=" output=DIFFERS-FROM-STATIC"; all_ok=0; fi
    fi
    say "$name [$variant]: rc=$rc last-line=$verdict fail-lines=$fails$same"
    if [ "$rc" != 0 ] || [ "$verdict" != PASS ]; then
      all_ok=0
      grep '^FAIL\|^  ' "$OUTDIR/$out.txt" | head -n 20 | sed 's/^/    /' | tee -a "$SUMMARY"
      head -n 10 "$OUTDIR/$out.stderr" | sed 's/^/    stderr: /' | tee -a "$SUMMARY"
    fi
    if [ "$variant" = static ]; then
      { echo "$HEADER"; cat "$OUTDIR/$out.txt"; } >"$OUTDIR/golden/$name.txt"
    fi
  done
done
if [ $all_ok = 1 ]; then say "VERDICT: all programs PASS (static and shared cudart)"; else say "VERDICT: FAILURES (see above)"; fi

pack() {
  ( cd "$OUTDIR" && find . -mindepth 1 -maxdepth 1 ! -name summary.txt ! -name results.tar.gz ! -name sanitizer.txt -print0 \
      | xargs -0 tar czf results.tar.gz.tmp && find . -mindepth 1 -maxdepth 1 ! -name summary.txt ! -name results.tar.gz.tmp ! -name sanitizer.txt -exec rm -rf {} + \
      && mv results.tar.gz.tmp results.tar.gz )
}
[ $PACK = 1 ] && pack

# ---- optional: compute-sanitizer over the static builds ----
if [ $SANITIZE = 1 ]; then
  CS=$(command -v compute-sanitizer || true)
  [ -z "$CS" ] && [ -x "$CUDA_ROOT/bin/compute-sanitizer" ] && CS="$CUDA_ROOT/bin/compute-sanitizer"
  [ -z "$CS" ] && [ -x "$CUDA_ROOT/compute-sanitizer/compute-sanitizer" ] && CS="$CUDA_ROOT/compute-sanitizer/compute-sanitizer"
  SAN="$OUTDIR/sanitizer.txt"
  if [ -z "$CS" ]; then
    echo "compute-sanitizer not found" >"$SAN"
  else
    : >"$SAN"
    # all runs at once (each bounded by SAN_TIMEOUT), then collect in a fixed order
    for tool in memcheck racecheck synccheck; do
      for name in "${names[@]}"; do
        [ -x "$BUILD/$name" ] || continue
        ( timeout "${SAN_TIMEOUT:-120}" "$CS" --tool "$tool" --error-exitcode 97 "$BUILD/$name" \
            >"$BUILD/$name.$tool.log" 2>&1; echo $? >"$BUILD/$name.$tool.rc" ) &
      done
    done
    wait
    for tool in memcheck racecheck synccheck; do
      for name in "${names[@]}"; do
        log="$BUILD/$name.$tool.log"
        [ -f "$log" ] || continue
        rc=$(cat "$BUILD/$name.$tool.rc")
        echo "== $tool $name: rc=$rc $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$log" | tr '\n' ' ')" >>"$SAN"
        if [ "$rc" != 0 ]; then grep -v '^PASS' "$log" | head -n 40 | sed 's/^/    /' >>"$SAN"; fi
      done
    done
  fi
  cat "$SAN"
fi
exit $((1 - all_ok))
