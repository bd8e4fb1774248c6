#!/usr/bin/env bash
# Generates the PTX corpus the front-end tests and benches read. Nothing of it is committed:
# it goes to $CUEMU_PTX_CORPUS (default ~/.cache/cuemu/ptx-corpus), and the llama.cpp
# sources it compiles are cached next to it (~/.cache/cuemu/ggml).
#
#   bash scripts/corpus.sh            # ours at every virtual arch + the GGML subset
#   bash scripts/corpus.sh ours       # only our own CUDA sources
#   bash scripts/corpus.sh ggml       # only the GGML subset
#
# Layout:
#   ours/compute_XX/<dir>-<name>.ptx  tests/programs/*.cu, ptx/tests/data/*.cu, benches/kernels.cu,
#                                     `nvcc -ptx -arch=compute_XX` for every XX of
#                                     `nvcc --list-gpu-arch` (CUDA 13.5: 75 … 121)
#   ggml/compute_80/<tu>.ptx          a bounded subset of ggml-cuda's translation units, built with
#                                     the flags, defines and include paths ggml's CMake uses
#   fatbin/ggml-subset.fatbin         the GGML PTX as back-to-back fatbins (`nvcc -fatbin`, zstd),
#                                     for the fatbin indexing bench
#   MANIFEST                          one line per file: path, bytes, seconds nvcc took
#
# Incremental: a .ptx that is newer than its source is not rebuilt. Needs nvcc (scripts/setup.sh;
# ~/.cache/cuemu/env.sh) and, for ggml, python3 with venv + network once (pip download).
# Then: cargo test --release -p cuemu-ptx --test corpus -- --ignored --nocapture
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${CUEMU_CACHE:-$HOME/.cache/cuemu}"
OUT="${CUEMU_PTX_CORPUS:-$CACHE/ptx-corpus}"
JOBS="${JOBS:-2}"
WHAT="${1:-all}"
[ -f "$CACHE/env.sh" ] && source "$CACHE/env.sh"
NVCC="${NVCC:-$(command -v nvcc || true)}"
[ -n "$NVCC" ] || { echo "corpus.sh: nvcc not found (run scripts/setup.sh)" >&2; exit 1; }
mkdir -p "$OUT"
export NVCC

# One nvcc -ptx job: SRC OUTFILE ARGS...; prints "OUTFILE BYTES SECONDS" (or FAILED).
build_one() {
    local src="$1" out="$2"; shift 2
    if [ -s "$out" ] && [ "$out" -nt "$src" ]; then
        echo "$out $(stat -c %s "$out") cached"; return 0
    fi
    mkdir -p "$(dirname "$out")"
    local t0=$(date +%s.%N)
    if "$NVCC" -ptx "$@" -o "$out.tmp" "$src" 2>"$out.log"; then
        mv "$out.tmp" "$out"; rm -f "$out.log"
        echo "$out $(stat -c %s "$out") $(echo "$(date +%s.%N) - $t0" | bc)"
    else
        rm -f "$out.tmp"; echo "FAILED $out (see $out.log)" >&2
    fi
}
export -f build_one

ours() {
    local archs
    archs=$("$NVCC" --list-gpu-arch | grep -E '^compute_[0-9]+$' | sort -t_ -k2 -n)
    echo "corpus: ours, archs: $(echo $archs)"
    local jobs=()
    for src in "$ROOT"/tests/programs/*.cu "$ROOT"/ptx/tests/data/*.cu "$ROOT"/benches/kernels.cu; do
        local dir name
        dir=$(basename "$(dirname "$src")"); name=$(basename "$src" .cu)
        [ "$dir" = data ] && dir=ptx-data
        for a in $archs; do
            jobs+=("$src" "$OUT/ours/$a/$dir-$name.ptx" "-arch=$a")
        done
    done
    printf '%s\0%s\0%s\0' "${jobs[@]}" | xargs -0 -n3 -P"$JOBS" bash -c 'build_one "$@"' _ >> "$OUT/MANIFEST.new"
}

# llama.cpp from the llama-cpp-python sdist (shared/notes/ggml-needs.md §1).
GGML_CACHE="$CACHE/ggml"
LCP_VERSION="${LCP_VERSION:-0.3.36}"
fetch_ggml() {
    local src="$GGML_CACHE/llama_cpp_python-$LCP_VERSION/vendor/llama.cpp/ggml"
    if [ ! -d "$src/src/ggml-cuda" ]; then
        mkdir -p "$GGML_CACHE"
        local tgz="$GGML_CACHE/sdist/llama_cpp_python-$LCP_VERSION.tar.gz"
        if [ ! -f "$tgz" ]; then
            # pip prepares metadata for an sdist: it needs scikit-build-core and cmake.
            [ -x "$GGML_CACHE/venv/bin/pip" ] || python3 -m venv "$GGML_CACHE/venv"
            "$GGML_CACHE/venv/bin/pip" install -q scikit-build-core cmake
            PATH="$GGML_CACHE/venv/bin:$PATH" "$GGML_CACHE/venv/bin/pip" download -q --no-deps \
                --no-binary llama-cpp-python --no-build-isolation -d "$GGML_CACHE/sdist" \
                "llama-cpp-python==$LCP_VERSION"
        fi
        tar xzf "$tgz" -C "$GGML_CACHE" --wildcards '*/vendor/llama.cpp/ggml/*'
    fi
    # ggml-cuda's vendors/cuda.h includes cublas_v2.h: take the headers from the nvidia-cublas
    # wheel (444 MB download, kept: 0.5 MB of headers).
    if [ ! -f "$GGML_CACHE/cublas-include/cublas_v2.h" ]; then
        [ -x "$GGML_CACHE/venv/bin/pip" ] || python3 -m venv "$GGML_CACHE/venv"
        "$GGML_CACHE/venv/bin/pip" download -q --no-deps -d "$GGML_CACHE/wheels" nvidia-cublas >&2
        mkdir -p "$GGML_CACHE/cublas-include"
        unzip -q -o -j "$GGML_CACHE"/wheels/nvidia_cublas-*.whl 'nvidia/cu13/include/*' -d "$GGML_CACHE/cublas-include"
        rm -f "$GGML_CACHE"/wheels/nvidia_cublas-*.whl
    fi
    echo "$src"
}

# A bounded subset (~2 minutes of nvcc -ptx at -j2 on the 2-core machine): small elementwise ops,
# reductions, softmax/norm, rope, getrows/cpy, mmvq, two mmq instances, one mmf and three flash-attention instances.
GGML_TUS="${GGML_TUS:-fill arange scale clamp sumrows argmax softmax norm argsort getrows cpy rope mmvq template-instances/mmq-instance-q4_0 template-instances/mmq-instance-q4_k template-instances/mmf-instance-ncols_8 template-instances/fattn-tile-instance-dkq64-dv64 template-instances/fattn-vec-instance-f16-f16 template-instances/fattn-mma-f16-instance-ncols1_8-ncols2_1}"
ggml() {
    local g; g=$(fetch_ggml)
    # ggml/src/CMakeLists.txt + ggml-cuda/CMakeLists.txt (Release, GGML_CUDA=ON, Linux, defaults).
    local flags=(-arch=compute_80 -O3 -std=c++17 -use_fast_math -extended-lambda
        -Xcompiler=-Wno-pedantic
        -I"$g/include" -I"$g/src" -I"$g/src/ggml-cuda" -I"$GGML_CACHE/cublas-include"
        -DGGML_BUILD -DGGML_SHARED -DGGML_BACKEND_BUILD -DGGML_BACKEND_SHARED
        -DGGML_SCHED_MAX_COPIES=4 -D_GNU_SOURCE -D_XOPEN_SOURCE=600 -DGGML_CUDA_USE_GRAPHS -DNDEBUG)
    echo "corpus: ggml ($g), TUs: $GGML_TUS"
    local jobs=()
    for tu in $GGML_TUS; do
        jobs+=("$g/src/ggml-cuda/$tu.cu" "$OUT/ggml/compute_80/$(basename "$tu").ptx")
    done
    printf '%s\0%s\0' "${jobs[@]}" | xargs -0 -n2 -P"$JOBS" bash -c 'build_one "$@" '"$(printf '%q ' "${flags[@]}")" _ >> "$OUT/MANIFEST.new"
    # One fatbin per TU, concatenated as in a `.nv_fatbin` section.
    local fb="$OUT/fatbin/ggml-subset.fatbin" tmp; tmp=$(mktemp -d)
    mkdir -p "$OUT/fatbin"
    for p in "$OUT"/ggml/compute_80/*.ptx; do
        "$NVCC" -fatbin -arch=compute_80 -o "$tmp/$(basename "$p" .ptx).fatbin" "$p"
    done
    cat "$tmp"/*.fatbin > "$fb.tmp" && mv "$fb.tmp" "$fb"; rm -rf "$tmp"
    echo "$fb $(stat -c %s "$fb") fatbin" >> "$OUT/MANIFEST.new"
}

: > "$OUT/MANIFEST.new"
t0=$(date +%s)
case "$WHAT" in
    all) ours; ggml ;;
    ours) ours ;;
    ggml) ggml ;;
    *) echo "usage: $0 [all|ours|ggml]" >&2; exit 2 ;;
esac
[ -f "$OUT/MANIFEST" ] && cat "$OUT/MANIFEST" >> "$OUT/MANIFEST.new"
# Keep one line per file, the newest measurement first.
awk '!seen[$1]++' "$OUT/MANIFEST.new" | sort > "$OUT/MANIFEST"; rm -f "$OUT/MANIFEST.new"
n=$(find "$OUT" -name '*.ptx' | wc -l); bytes=$(find "$OUT" -name '*.ptx' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
echo "corpus: $n PTX files, $bytes bytes in $OUT ($(( $(date +%s) - t0 )) s)"
