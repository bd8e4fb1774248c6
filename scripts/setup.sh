#!/usr/bin/env bash
# Installs everything cuemu needs on a fresh Debian 12 machine, idempotently:
#  - LLVM 19 (apt) for the JIT, linked statically into libcuda.so.1;
#  - a CUDA 13 toolkit assembled from NVIDIA's PyPI wheels (nvcc, cicc, headers, cudart,
#    cuobjdump) into a cache outside the repo; plus the CUDA 12.x runtime for handshake tests.
# Prints the environment to source on stdout's last lines (also written to $CUEMU_CACHE/env.sh).
set -euo pipefail

CACHE=${CUEMU_CACHE:-$HOME/.cache/cuemu}
CUDA_VER=13.5.37
PREFIX="$CACHE/cuda-$CUDA_VER"
WHEELS="$CACHE/wheels"
ROOT="$PREFIX/nvidia/cu13"
mkdir -p "$CACHE" "$WHEELS"

log() { echo "[setup] $*" >&2; }

# --- LLVM 19 -------------------------------------------------------------------------------
if ! command -v llvm-config-19 >/dev/null || [ ! -f /usr/lib/llvm-19/lib/libPolly.a ]; then
  log "installing LLVM 19 from apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    llvm-19-dev libpolly-19-dev libzstd-dev zlib1g-dev libffi-dev libxml2-dev libncurses-dev >/dev/null
else
  log "LLVM 19 present"
fi

# --- CUDA 13 toolkit from PyPI wheels --------------------------------------------------------
PINNED=(
  "nvidia-cuda-nvcc==$CUDA_VER"
  "nvidia-nvvm==$CUDA_VER"
  "nvidia-cuda-crt==$CUDA_VER"
  "nvidia-cuda-runtime==$CUDA_VER"
  "nvidia-cuda-cccl==13.3.5.0.6"
  "nvidia-cuda-cuobjdump==$CUDA_VER"
)
if [ ! -x "$ROOT/bin/nvcc" ] || [ ! -x "$ROOT/nvvm/bin/cicc" ] || [ ! -f "$ROOT/bin/cuobjdump" ]; then
  log "downloading CUDA $CUDA_VER wheels"
  python3 -m pip download -q --no-deps --only-binary :all: -d "$WHEELS" "${PINNED[@]}"
  log "unpacking into $PREFIX"
  whls=()
  for p in "${PINNED[@]}"; do
    n=${p%%==*}; v=${p##*==}; n=${n//-/_}
    f=$(ls "$WHEELS"/${n}-${v}-*.whl | head -n1)
    whls+=("$f")
  done
  python3 -m pip install -q --no-deps --no-index --upgrade --target "$PREFIX" "${whls[@]}"
else
  log "CUDA toolkit present at $ROOT"
fi
chmod +x "$ROOT"/bin/* "$ROOT"/nvvm/bin/* 2>/dev/null || true
# What the wheels lack: lib64 and unversioned links.
[ -e "$ROOT/lib64" ] || ln -s lib "$ROOT/lib64"
[ -e "$ROOT/lib/libcudart.so" ] || ln -s libcudart.so.13 "$ROOT/lib/libcudart.so"
ln -sfn "$ROOT" "$CACHE/cuda"

# --- CUDA 12 runtime (for the 12.x handshake) --------------------------------------------------
CU12="$CACHE/cudart-12"
if [ ! -f "$CU12/nvidia/cuda_runtime/lib/libcudart.so.12" ]; then
  log "installing the CUDA 12.9 runtime wheel"
  python3 -m pip download -q --no-deps --only-binary :all: -d "$WHEELS" "nvidia-cuda-runtime-cu12==12.9.79"
  python3 -m pip install -q --no-deps --no-index --upgrade --target "$CU12" "$WHEELS"/nvidia_cuda_runtime_cu12-12.9.79-*.whl
fi

cat > "$CACHE/env.sh" <<ENV
export LLVM_SYS_191_PREFIX=/usr/lib/llvm-19
export CUEMU_CUDA_HOME=$CACHE/cuda
export CUEMU_CUDART12=$CU12/nvidia/cuda_runtime/lib
export PATH=$CACHE/cuda/bin:\$PATH
ENV
log "done; environment in $CACHE/env.sh"
