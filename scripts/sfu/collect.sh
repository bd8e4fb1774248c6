#!/usr/bin/env bash
# Runs scripts/sfu/probe.cu on the machine's NVIDIA GPU over every f32 input and packs what it
# measured into $OUT (at most 8 files, as the device `run` tool returns): summary.txt, the five
# reduced-domain tables table-*.d8.xz and misc.tar.xz (summary, gpu.txt, half.bin, hashes.bin,
# lists.bin). Usage, from the repository root: OUT=dir bash scripts/sfu/collect.sh
set -eu
D=$(mktemp -d)
nvcc -arch=sm_90 -O3 -diag-suppress 177 -o "$D/probe" scripts/sfu/probe.cu
mkdir "$D/o"
{ nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; nvcc --version | tail -2; } > "$D/o/gpu.txt" 2>&1 || true
time "$D/probe" "$D/o"
cp "$D/o/summary.txt" "$OUT/"
cd "$D/o"
tar cf misc.tar gpu.txt summary.txt half.bin hashes.bin lists.bin
for f in table-*.d8 misc.tar; do
  python3 -c "import lzma,sys; open(sys.argv[2],'wb').write(lzma.compress(open(sys.argv[1],'rb').read(), preset=6))" "$f" "$OUT/$f.xz" &
done
wait
ls -la "$OUT"
