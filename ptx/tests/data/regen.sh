#!/usr/bin/env bash
# Regenerate the committed nvcc PTX fixtures in ptx/ from the .cu sources here.
# Needs nvcc (source ~/.cache/cuemu/env.sh). The committed files let `cargo test` exercise
# real nvcc output on machines without a CUDA toolkit; tests/nvcc.rs additionally compiles
# the sources afresh when nvcc is available.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p ptx
for f in *.cu; do
  n=${f%.cu}
  for a in 75 90; do
    nvcc -ptx -arch=compute_$a "$f" -o "ptx/$n.sm$a.ptx"
  done
done
# Debug-info flavours: .file/.loc (with inlined_at) and .section blocks.
nvcc -ptx -lineinfo -arch=compute_90 indirect_call.cu -o ptx/indirect_call.lineinfo.ptx
nvcc -ptx -G -arch=compute_75 printf_kernel.cu -o ptx/printf_kernel.debug.ptx
# Make the fixtures independent of the checkout location.
sed -i "s#$(pwd)/##g" ptx/*.ptx
