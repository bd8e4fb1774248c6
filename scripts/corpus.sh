#!/usr/bin/env bash
# Generates the PTX corpus the front-end tests and benches read. Nothing of it is committed:
# it goes to $CUEMU_PTX_CORPUS (default ~/.cache/cuemu/ptx-corpus), and the llama.cpp
# sources it compiles are cached next to it (~/.cache/cuemu/ggml).
#
#   bash scripts/corpus.sh            # ours at every virtual arch + the GGML subset
#   bash scripts/corpus.sh ours       # only our own CUDA sources
#   bash scripts/corpus.sh ggml       # only the GGML subset
#   bash scripts/corpus.sh ggml-full  # EVERY ggml-cuda translation unit (+ its fatbin set)
#   bash scripts/corpus.sh ggml-full-fatbin   # only the fatbin set, from ggml-full's PTX
#   bash scripts/corpus.sh cu12       # PTX written by a CUDA 12 nvcc (see below)
#
# Layout:
#   ours/compute_XX/<dir>-<name>.ptx  tests/programs/*.cu, ptx/tests/data/*.cu, benches/kernels.cu,
#                                     `nvcc -ptx -arch=compute_XX` for every XX of
#                                     `nvcc --list-gpu-arch` (CUDA 13.5: 75 … 121)
#   ggml/compute_80/<tu>.ptx          a bounded subset of ggml-cuda's translation units, built with
#                                     the flags, defines and include paths ggml's CMake uses
#   ggml-full/compute_80/<tu>.ptx     all 144 CUDA TUs a default `-DGGML_CUDA=ON
#                                     -DCMAKE_CUDA_ARCHITECTURES=80-virtual` build compiles: the 69
#                                     top-level .cu, template-instances fattn-tile*, fattn-mma*,
#                                     mmq*, mmf* and the fattn-vec instances of the default
#                                     GGML_CUDA_FA_QUANTS (with its GGML_CUDA_FA_<K>_<V> defines)
#   fatbin/ggml-subset.fatbin         the GGML subset's PTX as back-to-back fatbins (`nvcc -fatbin`,
#                                     zstd), for the fatbin indexing bench
#   fatbin/ggml-full.fatbin           the same for ggml-full: one fatbin per TU, back to back as in
#                                     libggml-cuda.so's `.nv_fatbin` section, `-compress-mode=size`
#                                     as ggml's CMake asks for with CUDA >= 12.8
#   cu12/curand/<n>.ptx               PTX from a CUDA 12.x toolchain: NVIDIA's PyPI toolkit for 12.x
#                                     ships no cicc, so nvcc 12 cannot run here; instead the PTX
#                                     libcurand 10.3.10 carries (built by NVIDIA with nvcc 12.9, PTX
#                                     ISA 8.8) is extracted from the nvidia-curand-cu12 wheel with
#                                     `cuemu fatbin extract --ptx` (needs `cargo build --release`)
#   MANIFEST                          one line per file: path, bytes, seconds nvcc took
#
# Incremental: a .ptx that is newer than its source is not rebuilt. Needs nvcc (scripts/setup.sh;
# ~/.cache/cuemu/env.sh) and, for ggml, python3 with venv + network once (pip download).
# Then: cargo test --release -p cuemu-ptx --test corpus -- --ignored --nocapture
#
# ggml-full, two ways:
# - here, on its own: `JOBS=2 bash scripts/corpus.sh ggml-full` (~2300 CPU-s of nvcc, i.e.
#   ~20 min on an idle 2-core machine, longer when shared);
# - once on a 16-core machine without network (the GPU lease; nvcc 13.0 there): copy the sources
#   it needs into the repo folder `.corpus-src/` (ignored through .git/info/exclude; ~4 MB):
#     g=~/.cache/cuemu/ggml/llama_cpp_python-0.3.36/vendor/llama.cpp/ggml; d=.corpus-src
#     mkdir -p $d/ggml/src && cp -r $g/include $d/ggml/ && cp -r $g/src/ggml-cuda $g/src/*.h $d/ggml/src/
#     cp -r ~/.cache/cuemu/ggml/cublas-include $d/
#   carry `.corpus-src` and run there
#     GGML_SRC=$PWD/.corpus-src/ggml CUBLAS_INCLUDE=$PWD/.corpus-src/cublas-include \
#       CUEMU_PTX_CORPUS=/tmp/corpus JOBS=16 bash scripts/corpus.sh ggml-full
#   then tar /tmp/corpus/{ggml-full,fatbin/ggml-full.fatbin} (xz) into $OUT and unpack it into
#   ~/.cache/cuemu/ptx-corpus/ here. Files an interrupted run left are complete (each is
#   written under a temporary name and renamed); `ggml-full-fatbin` rebuilds the fatbin set
#   from whatever PTX is there.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${CUEMU_CACHE:-$HOME/.cache/cuemu}"
OUT="${CUEMU_PTX_CORPUS:-$CACHE/ptx-corpus}"
JOBS="${JOBS:-2}"
WHAT="${1:-all}"
[ -f "$CACHE/env.sh" ] && source "$CACHE/env.sh"
NVCC="${NVCC:-$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)}"
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
    local t0=$(date +%s%N)
    if "$NVCC" -ptx "$@" -o "$out.tmp" "$src" 2>"$out.log"; then
        mv "$out.tmp" "$out"; rm -f "$out.log"
        local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
        echo "$out $(stat -c %s "$out") $((ms / 1000)).$(printf %03d $((ms % 1000)))"
    else
        rm -f "$out.tmp"; echo "FAILED $out (see $out.log)" >&2
    fi
}
export -f build_one
export JOBS

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
CUBLAS_INCLUDE="${CUBLAS_INCLUDE:-$GGML_CACHE/cublas-include}"
fetch_ggml() {
    # A prepared copy of the sources (GGML_SRC, with CUBLAS_INCLUDE) needs no network.
    if [ -n "${GGML_SRC:-}" ]; then echo "$GGML_SRC"; return 0; fi
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
    if [ ! -f "$CUBLAS_INCLUDE/cublas_v2.h" ]; then
        [ -x "$GGML_CACHE/venv/bin/pip" ] || python3 -m venv "$GGML_CACHE/venv"
        "$GGML_CACHE/venv/bin/pip" download -q --no-deps -d "$GGML_CACHE/wheels" nvidia-cublas >&2
        mkdir -p "$CUBLAS_INCLUDE"
        unzip -q -o -j "$GGML_CACHE"/wheels/nvidia_cublas-*.whl 'nvidia/cu13/include/*' -d "$CUBLAS_INCLUDE"
        rm -f "$GGML_CACHE"/wheels/nvidia_cublas-*.whl
    fi
    echo "$src"
}

# A bounded subset (~2 minutes of nvcc -ptx at -j2 on the 2-core machine): small elementwise ops,
# reductions, softmax/norm, rope, getrows/cpy, mmvq, two mmq instances, one mmf and three flash-attention instances.
GGML_TUS="${GGML_TUS:-fill arange scale clamp sumrows argmax softmax norm argsort getrows cpy rope mmvq template-instances/mmq-instance-q4_0 template-instances/mmq-instance-q4_k template-instances/mmf-instance-ncols_8 template-instances/fattn-tile-instance-dkq64-dv64 template-instances/fattn-vec-instance-f16-f16 template-instances/fattn-mma-f16-instance-ncols1_8-ncols2_1}"
# ggml/src/CMakeLists.txt + ggml-cuda/CMakeLists.txt (Release, GGML_CUDA=ON, Linux, defaults).
ggml_flags() {
    local g="$1"
    GGML_FLAGS=(-arch=compute_80 -O3 -std=c++17 -use_fast_math -extended-lambda
        -Xcompiler=-Wno-pedantic
        -I"$g/include" -I"$g/src" -I"$g/src/ggml-cuda" -I"$CUBLAS_INCLUDE"
        -DGGML_BUILD -DGGML_SHARED -DGGML_BACKEND_BUILD -DGGML_BACKEND_SHARED
        -DGGML_SCHED_MAX_COPIES=4 -D_GNU_SOURCE -D_XOPEN_SOURCE=600 -DGGML_CUDA_USE_GRAPHS -DNDEBUG)
}

# Back-to-back fatbins, one per PTX file of DIR, as in a `.nv_fatbin` section: DIR OUTFILE [NVCC ARGS].
fatbin_set() {
    local dir="$1" fb="$2"; shift 2
    local tmp; tmp=$(mktemp -d)
    mkdir -p "$(dirname "$fb")"
    printf '%s\0' "$dir"/*.ptx | xargs -0 -P"$JOBS" -I{} bash -c \
        '"$NVCC" -fatbin -arch=compute_80 '"$(printf '%q ' "$@")"' -o "$1/$(basename "$2" .ptx).fatbin" "$2"' _ "$tmp" {}
    cat "$tmp"/*.fatbin > "$fb.tmp" && mv "$fb.tmp" "$fb"; rm -rf "$tmp"
    echo "$fb $(stat -c %s "$fb") fatbin" >> "$OUT/MANIFEST.new"
}

ggml() {
    local g; g=$(fetch_ggml)
    ggml_flags "$g"
    echo "corpus: ggml ($g), TUs: $GGML_TUS"
    local jobs=()
    for tu in $GGML_TUS; do
        jobs+=("$g/src/ggml-cuda/$tu.cu" "$OUT/ggml/compute_80/$(basename "$tu").ptx")
    done
    printf '%s\0%s\0' "${jobs[@]}" | xargs -0 -n2 -P"$JOBS" bash -c 'build_one "$@" '"$(printf '%q ' "${GGML_FLAGS[@]}")" _ >> "$OUT/MANIFEST.new"
    fatbin_set "$OUT/ggml/compute_80" "$OUT/fatbin/ggml-subset.fatbin"
}

# The default fattn-vec K-V combinations (ggml/CMakeLists.txt GGML_CUDA_FA_QUANTS; f16-f16 always).
GGML_FA_QUANTS="${GGML_FA_QUANTS:-q4_0-q4_0 q8_0-q8_0 f16-f16 bf16-bf16}"
ggml_full() {
    local g; g=$(fetch_ggml)
    ggml_flags "$g"
    # cmake/common.cmake ggml_cuda_fattn_vec_instances: GGML_CUDA_FA_QUANTS="a,b,…" and
    # GGML_CUDA_FA_<K>_<V>=0|1 for all 7x7 type pairs.
    local types="q4_0 q4_1 q5_0 q5_1 q8_0 bf16 f16" k v on
    GGML_FLAGS+=("-DGGML_CUDA_FA_QUANTS=\"$(echo $GGML_FA_QUANTS | tr ' ' ',')\"")
    for v in $types; do for k in $types; do
        on=0; [[ " $GGML_FA_QUANTS " == *" $k-$v "* ]] && on=1
        GGML_FLAGS+=("-DGGML_CUDA_FA_${k^^}_${v^^}=$on")
    done; done
    local d="$g/src/ggml-cuda" srcs=() s
    srcs+=("$d"/*.cu "$d"/template-instances/fattn-tile*.cu "$d"/template-instances/fattn-mma*.cu
           "$d"/template-instances/mmq*.cu "$d"/template-instances/mmf*.cu)
    for s in $GGML_FA_QUANTS; do srcs+=("$d/template-instances/fattn-vec-instance-$s.cu"); done
    echo "corpus: ggml-full ($g), ${#srcs[@]} TUs, -j$JOBS"
    local jobs=()
    # Biggest sources first, so that the slowest TUs (5-76 CPU-s each) do not start last.
    for s in $(ls -S "${srcs[@]}"); do
        jobs+=("$s" "$OUT/ggml-full/compute_80/$(basename "$s" .cu).ptx")
    done
    printf '%s\0%s\0' "${jobs[@]}" | xargs -0 -n2 -P"$JOBS" bash -c 'build_one "$@" '"$(printf '%q ' "${GGML_FLAGS[@]}")" _ >> "$OUT/MANIFEST.new"
    ggml_full_fatbin
}
ggml_full_fatbin() {
    fatbin_set "$OUT/ggml-full/compute_80" "$OUT/fatbin/ggml-full.fatbin" -compress-mode=size
}

: > "$OUT/MANIFEST.new"
t0=$(date +%s)
# PTX written by NVIDIA's CUDA 12.9 nvcc, taken from a library it built (pinned wheel).
cu12() {
    local wheels="$CACHE/wheels" cuemu="$ROOT/target/release/cuemu" tmp
    [ -x "$cuemu" ] || { echo "corpus.sh cu12: build cuemu first (cargo build --release)" >&2; exit 1; }
    mkdir -p "$wheels"
    ls "$wheels"/nvidia_curand_cu12-10.3.10.19-*.whl >/dev/null 2>&1 ||
        python3 -m pip download -q --no-deps --only-binary :all: -d "$wheels" "nvidia-curand-cu12==10.3.10.19"
    tmp=$(mktemp -d)
    (cd "$tmp" && python3 -m zipfile -e "$wheels"/nvidia_curand_cu12-10.3.10.19-*.whl .)
    rm -rf "$OUT/cu12/curand"
    mkdir -p "$OUT/cu12/curand"
    "$cuemu" fatbin extract "$tmp/nvidia/curand/lib/libcurand.so.10" --ptx -o "$OUT/cu12/curand" >/dev/null
    rm -rf "$tmp"
    echo "corpus: cu12: $(ls "$OUT/cu12/curand" | wc -l) PTX files, $(du -sh "$OUT/cu12/curand" | cut -f1), $(grep -h -m1 '^.version' "$OUT"/cu12/curand/*.ptx | sort | uniq -c | tr '\n' ' ')"
}

case "$WHAT" in
    all) ours; ggml ;;
    ours) ours ;;
    ggml) ggml ;;
    ggml-full) ggml_full ;;
    ggml-full-fatbin) ggml_full_fatbin ;;
    cu12) cu12 ;;
    *) echo "usage: $0 [all|ours|ggml|ggml-full|ggml-full-fatbin|cu12]" >&2; exit 2 ;;
esac
[ -f "$OUT/MANIFEST" ] && cat "$OUT/MANIFEST" >> "$OUT/MANIFEST.new"
# Keep one line per file, the newest measurement first.
awk '!seen[$1]++' "$OUT/MANIFEST.new" | sort > "$OUT/MANIFEST"; rm -f "$OUT/MANIFEST.new"
n=$(find "$OUT" -name '*.ptx' | wc -l); bytes=$(find "$OUT" -name '*.ptx' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
echo "corpus: $n PTX files, $bytes bytes in $OUT ($(( $(date +%s) - t0 )) s)"
